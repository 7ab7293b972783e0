package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessPackTest {
    @TempDir
    Path dir;

    @Test
    void recordsReadBackWhateverTheTextHolds() {
        ProcessPack.Writer w = new ProcessPack.Writer();
        // a task name may hold newlines and what looks like a record's head
        String stat = "7 (x\ntask/8/stat 3\nabc) S 1 7 7 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n";
        w.add("task/7/stat", stat);
        w.add("task/7/wchan", "");
        w.add("task/8/stack", "[<0>] futex_wait_queue+0x60/0x90\n");
        w.add("ns/pid.link", "pid:[4026531836]\n");
        w.add("fd/3.link", "/dev/fuse\n");
        ProcessPack.Contents c = new ProcessPack.Contents();
        c.addText(w.text(), "pack");
        assertThat(c.problem()).isNull();
        assertThat(c.text("task/7/stat")).isEqualTo(stat);
        assertThat(c.text("task/7/wchan")).isEmpty();
        assertThat(c.text("task/8/stack")).startsWith("[<0>] futex_wait_queue");
        assertThat(c.text("task/8/stat")).isNull();
        assertThat(c.children("task", true)).containsExactly("7", "8");
        assertThat(c.children("task", false)).containsExactly("7", "8");
        assertThat(c.children("fd", false)).containsExactly("3.link");
        assertThat(c.children("fd", true)).isEmpty();
        assertThat(c.children("ns", false)).containsExactly("pid.link");
    }

    @Test
    void aCutOrForgedPackKeepsTheRecordsBeforeTheBadOneAndSaysSo() {
        ProcessPack.Writer w = new ProcessPack.Writer();
        w.add("task/7/stat", "7 (a) S 1\n");
        w.add("task/8/stat", "8 (b) S 1\n");
        String text = w.text();
        ProcessPack.Contents cut = new ProcessPack.Contents();
        cut.addText(text.substring(0, text.length() - 4), "pack");
        assertThat(cut.text("task/7/stat")).isEqualTo("7 (a) S 1\n");
        assertThat(cut.text("task/8/stat")).isNull();
        assertThat(cut.problem()).contains("does not parse");

        for (String bad : new String[]{"../../etc/passwd 3\nabc\n", "/stat 3\nabc\n", "task/../x 3\nabc\n",
                "task/7/stat 99999999999999999999\nabc\n", "task/7/stat -1\n\n", "Task/7/stat 3\nabc\n"}) {
            ProcessPack.Contents c = new ProcessPack.Contents();
            c.addText(bad, "pack");
            assertThat(c.isEmpty()).as(bad).isTrue();
            assertThat(c.problem()).as(bad).isNotNull();
        }
        assertThat(ProcessPack.isKey(ProcessPack.PREFIX + "1" + ProcessPack.SUFFIX)).isFalse();
    }

    @Test
    void aProcessWithManyThreadsTakesSeveralPacksAndReadsBackWhole() throws Exception {
        Path host = dir.resolve("host");
        int pid = 300;
        ProcFixtures.write(host, "proc/" + pid + "/cgroup", "0::/\n");
        for (int k = 0; k < 400; k++) {
            int tid = pid + k;
            ProcFixtures.write(host, "proc/" + pid + "/task/" + tid + "/stat", tid + " (worker " + "w".repeat(100)
                    + ") S 1 " + pid + " " + pid + " 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 400 0 5 0 0\n");
            ProcFixtures.write(host, "proc/" + pid + "/task/" + tid + "/wchan", "futex_wait_queue");
        }
        Path save = Files.createDirectories(dir.resolve("held"));
        HeldBundle held = new HeldBundle(save, HeldBundle.DEFAULT_MAX_BYTES);
        ProcTreeReader.Options o = ProcTreeReader.Options.defaults().withReader(new TimedReader(4)).withLive(true)
                .withHeldBundle(held);
        Evidence live = new ProcTreeReader(host, o).read();
        held.write();
        assertThat(live.tasks()).hasSize(400);
        assertThat(save.resolve("proc/" + pid + "/" + ProcessPack.PREFIX + "2" + ProcessPack.SUFFIX)).exists();
        assertThat(save.resolve("proc/" + pid + "/task")).doesNotExist();

        Evidence back = new ProcTreeReader(save, ProcTreeReader.Options.defaults().withReader(new TimedReader(4))).read();
        assertThat(ProcFixtures.describe(back)).isEqualTo(ProcFixtures.describe(live));
        assertThat(back.warnings()).isEmpty();
    }

    @Test
    void aBundleThatOverflowedToDiskMidScanReadsPacksAndFilesAsOneTree() throws Exception {
        Path host = ProcFixtures.copyBundle(dir.resolve("host"));
        Path save = Files.createDirectories(dir.resolve("held"));
        // room for a few files only: the rest of the scan goes to disk as plain files
        HeldBundle held = new HeldBundle(save, 3000);
        ProcTreeReader.Options o = ProcTreeReader.Options.defaults().withReader(new TimedReader(4)).withLive(true)
                .withHeldBundle(held);
        Evidence live = new ProcTreeReader(host, o).read();
        held.write();
        Evidence back = new ProcTreeReader(save, ProcTreeReader.Options.defaults().withReader(new TimedReader(4))).read();
        assertThat(ProcFixtures.describe(back)).isEqualTo(ProcFixtures.describe(live));
    }
}
