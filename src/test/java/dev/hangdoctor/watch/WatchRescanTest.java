package dev.hangdoctor.watch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Full scans the agent leaves out: a hang that stays as it was is not scanned again and again (as soon as it changes,
 * it is), and OOM kills that a scan found harmless do not start another scan each within the cool-down.
 */
class WatchRescanTest {
    @TempDir
    Path tmp;

    // written by the agent's threads while a failing assertion joins it: a copy-on-write list iterates safely
    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void anUnchangedHangIsLeftAloneUntilItChanges() throws Exception {
        Path host = dev.hangdoctor.collect.ProcFixtures.copyBundle(tmp.resolve("host"));
        WatchConfig cfg = WatchConfig.defaults().withRoot(host).withStateDir(tmp.resolve("state")).withListen("off")
                .withKmsgDevice(null).withInterval(Duration.ofMillis(100)).withStuckAfter(Duration.ofSeconds(1))
                .withScan(Duration.ofMillis(100), Duration.ofMillis(200), 2);
        try (WatchAgent agent = new WatchAgent(cfg, log::add).start()) {
            await(() -> !agent.tracker().open().isEmpty(), "an incident opens");
            // the tasks of the fixture's hang cross the threshold within an interval of each other: let the scans
            // they start settle, then nothing about the hang changes
            Thread.sleep(1500);
            long settled = agent.fullScans();
            Thread.sleep(3000);
            // before: a rescan every 200 ms (or three times a scan's cost) while the incident was open
            assertThat(agent.fullScans() - settled).as(String.join("\n", log)).isZero();

            // the hung tasks wake up: the cheap sample sees it and a full scan follows (resolving an incident takes
            // more than that: WatchLiveTest does it on real hangs)
            for (String rel : List.of("proc/4892/stat", "proc/4892/task/4892/stat", "proc/5213/stat",
                    "proc/5213/task/5213/stat")) {
                Path p = host.resolve(rel);
                Files.writeString(p, Files.readString(p, StandardCharsets.UTF_8).replaceFirst("\\) D ", ") S "),
                        StandardCharsets.UTF_8);
            }
            await(() -> agent.fullScans() > settled, "a full scan once the hang changed");
        }
    }

    @Test
    void oomKillsWaitOutTheCooldownOnceAScanFoundNothingBehindOne() throws Exception {
        Path host = tmp.resolve("host");
        Files.createDirectories(host.resolve("proc"));
        Files.writeString(host.resolve("proc/uptime"), "100.00 50.00\n");
        Path kmsg = tmp.resolve("kmsg");
        Process mkfifo = new ProcessBuilder("mkfifo", kmsg.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        WatchConfig cfg = WatchConfig.defaults().withRoot(host).withStateDir(tmp.resolve("state")).withListen("off")
                .withKmsgDevice(kmsg).withInterval(Duration.ofMillis(100)).withStuckAfter(Duration.ofSeconds(1))
                .withScan(Duration.ofMillis(100), Duration.ofMillis(200), 2);
        try (WatchAgent agent = new WatchAgent(cfg, log::add).start();
             var out = Files.newOutputStream(kmsg)) {
            // records as /dev/kmsg gives them (prefix, sequence, microseconds since boot), text from a real host
            out.write(("6,1001,90000000,-;Memory cgroup out of memory: Killed process 18648 (memhog) total-vm:22956kB,"
                    + " anon-rss:20480kB, file-rss:1476kB, shmem-rss:0kB, UID:0 pgtables:88kB oom_score_adj:0\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(() -> agent.fullScans() == 1, "a full scan for the first OOM kill");
            assertThat(agent.tracker().open()).as("nothing found behind it").isEmpty();

            out.write(("6,1002,91000000,-;Memory cgroup out of memory: Killed process 18702 (memhog) total-vm:22956kB,"
                    + " anon-rss:20480kB, file-rss:1476kB, shmem-rss:0kB, UID:0 pgtables:88kB oom_score_adj:0\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(1500);
            assertThat(agent.fullScans()).as(String.join("\n", log)).isEqualTo(1);

            // a hung-task report is not an OOM kill: it still scans at once
            out.write(("3,1003,92000000,-;INFO: task fsop:4892 blocked for more than 122 seconds.\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(() -> agent.fullScans() == 2, "a full scan for the hung-task report");
        }
    }

    private void await(BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(done.getAsBoolean()).as(what + "\n" + String.join("\n", log)).isTrue();
    }
}
