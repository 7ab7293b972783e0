package dev.hangdoctor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets one clear line on stderr and exit 2 (or a partial diagnosis that says what it skipped). */
class BadInputTest {
    @TempDir
    Path dir;

    private static void assertOneLineError(CliRun r, String... mentions) {
        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err()).startsWith("hangdoctor: ").contains(mentions);
    }

    @Test
    void aWatchConfigMistakeIsOneLineNamingFileLineAndKey() throws IOException {
        Path f = Files.writeString(dir.resolve("watch.yaml"), "interval: 1s\nscan:\n  windw: 2s\n");
        assertOneLineError(CliRun.of("watch", "--config", f.toString(), "--state-dir", dir.resolve("s").toString()),
                f + ":3: unknown key scan.windw (known: cooldown, deadline, rescanEvery, resolveAfter, window)");
        Path g = Files.writeString(dir.resolve("remedy.yaml"), "listen: \"off\"\nkmsg: {device: \"off\"}\n"
                + "remediate: {enabled: true, signatures: [hung-fuse-daemon]}\n");
        assertOneLineError(CliRun.of("watch", "--config", g.toString(), "--state-dir", dir.resolve("s").toString()),
                "unknown signature 'hung-fuse-daemon' (nearest known: fuse-daemon-hung");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = Files.createFile(dir.resolve("empty.log"));
        assertOneLineError(CliRun.of("analyze", f.toString()), "empty.log", "empty");
    }

    @Test
    void binaryGarbage() throws IOException {
        byte[] junk = new byte[256 * 1024];
        new Random(7).nextBytes(junk);
        Path f = Files.write(dir.resolve("core.bin"), junk);
        assertOneLineError(CliRun.of("analyze", f.toString()), "core.bin", "binary");
    }

    @Test
    void missingFileAndNoFiles() {
        assertOneLineError(CliRun.of("analyze", dir.resolve("nope.log").toString()), "nope.log", "no such file");
        assertOneLineError(CliRun.of("analyze"), "FILE");
        assertOneLineError(CliRun.of("analyze", "--bogus", "x"), "--bogus");
    }

    @Test
    void proseIsNotEvidence() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.txt"), "we rebooted the host on tuesday\nit was slow\n");
        assertOneLineError(CliRun.of("analyze", f.toString()), "notes.txt", "nothing recognised", "dmesg");
    }

    @Test
    void truncatedStackStillDiagnoses() throws IOException {
        Path f = Files.writeString(dir.resolve("cut.log"), String.join("\n",
                "[ 4080.123456] INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.",
                "[ 4080.123700] jbd2/md127-8    D ffff9f53ff35bbf0     0   587      2 0x00000000",
                "[ 4080.123800] Call Trace:",
                "[ 4080.123900]  [<ffffffff8163a909>] schedule+0x29/0x70",
                "[ 4080.124000]  [<ffffffffa01fd0f8>] jbd2_journal_commit_transa"));
        CliRun r = CliRun.of("analyze", "--json", f.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.PROBLEM);
        assertThat(r.json().get("tasks").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void hundredMegabyteSingleLineIsCutNotLoaded() throws IOException {
        Path f = dir.resolve("oneline.log");
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'a');
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write("[ 1.000000] INFO: task x:1 blocked for more than 120 seconds.\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100; i++) {
                out.write(block);
            }
        }
        CliRun r = CliRun.of("analyze", f.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.PROBLEM);
        assertThat(r.err()).contains("longer than").contains("were cut");
    }

    @Test
    void directoryWithUnreadableEntriesSaysWhatItSkipped() throws Exception {
        Path d = Files.createDirectory(dir.resolve("bundle"));
        Files.writeString(d.resolve("dmesg.txt"), "[ 3891.875313] Killed process 27153 (stress), UID 0, total-vm:848900kB,"
                + " anon-rss:499124kB, file-rss:868kB, shmem-rss:0kB\n");
        Files.writeString(d.resolve("readme.txt"), "collected by hand\n");
        Path fifo = d.resolve("pipe");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        CliRun r = CliRun.of("analyze", d.toString());
        assertThat(r.exit()).isIn(ExitCodes.OK, ExitCodes.PROBLEM);
        assertThat(r.err()).contains("readme.txt").contains("pipe");
    }

    @Test
    void directoryWithNothingUsable() throws Exception {
        Path d = Files.createDirectory(dir.resolve("junk"));
        Files.writeString(d.resolve("a.txt"), "hello\n");
        assertOneLineError(CliRun.of("analyze", d.toString()), "junk", "no readable evidence");
    }

    @Test
    void directoryOverTheFileCapSaysSoInJsonAndOnStderr() throws Exception {
        Path d = Files.createDirectory(dir.resolve("many"));
        Files.writeString(d.resolve("a-dmesg.txt"), "[ 3891.875313] Killed process 27153 (stress), UID 0, total-vm:848900kB,"
                + " anon-rss:499124kB, file-rss:868kB, shmem-rss:0kB\n");
        for (int i = 0; i < 10_001; i++) {
            Files.createFile(d.resolve(String.format("z%05d.txt", i)));
        }
        CliRun r = CliRun.of("analyze", "--json", d.toString());
        assertThat(r.exit()).isIn(ExitCodes.OK, ExitCodes.PROBLEM);
        String cap = d + ": more than 10000 files; only the first 10000 in name order were read";
        assertThat(r.json().get("warnings").get(0).asText()).startsWith(cap);
        assertThat(r.err()).contains("hangdoctor: warning: " + cap);
    }
}
