package dev.hangdoctor.watch;

import dev.hangdoctor.collect.TimedReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The cheap sample on a copy of the 6.18 bundle: a task in D, a FUSE connection with waiters, a memcg under OOM. */
class CheapSamplerTest {
    @TempDir
    Path root;

    private void copyBundle() throws IOException {
        Path from = Path.of("src/test/resources/proc/bundle-6.18");
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path to = root.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        // the bundle keeps the memcg's files the full scan reads; the cheap sample also reads memory.oom_control
        Path memcg = root.resolve("sys/fs/cgroup/memory/h5test");
        if (!Files.exists(memcg.resolve("memory.oom_control"))) {
            Files.writeString(memcg.resolve("memory.oom_control"), "oom_kill_disable 1\nunder_oom 1\noom_kill 0\n");
        }
    }

    @Test
    void conditionsTriggerOnlyOnceTheyHaveHeldForTheThreshold() throws Exception {
        copyBundle();
        CheapSampler s = new CheapSampler(root, Duration.ofMillis(300), 1000, new TimedReader(4));
        CheapSampler.Sample first = s.sample();
        assertThat(first.triggers()).isEmpty();
        assertThat(first.byState()).containsEntry('D', 2);
        assertThat(first.fuseWaiting()).isEqualTo(2);
        assertThat(first.memcgsUnderOom()).isEqualTo(1);
        assertThat(first.load1()).isNotNull();
        Thread.sleep(350);
        CheapSampler.Sample second = s.sample();
        assertThat(second.triggers()).extracting(CheapSampler.Trigger::key)
                .contains("D:4892@43795", "fuse:40", "memcg:/h5test");
        assertThat(second.stuckTasks()).isEqualTo(2);
    }

    @Test
    void aTaskThatLeavesDStartsOver() throws Exception {
        copyBundle();
        CheapSampler s = new CheapSampler(root, Duration.ofMillis(300), 1000, new TimedReader(4));
        s.sample();
        Path stat = root.resolve("proc/4892/stat");
        String text = Files.readString(stat);
        Files.writeString(stat, text.replace(" D 4889", " S 4889"));
        Thread.sleep(350);
        s.sample();
        Files.writeString(stat, text);
        assertThat(s.sample().triggers()).extracting(CheapSampler.Trigger::key).doesNotContain("D:4892@43795");
    }

    @Test
    void aReusedPidIsANewTask() throws Exception {
        copyBundle();
        CheapSampler s = new CheapSampler(root, Duration.ofMillis(300), 1000, new TimedReader(4));
        s.sample();
        Thread.sleep(350);
        Path stat = root.resolve("proc/4892/stat");
        Files.writeString(stat, Files.readString(stat).replace(" 43795 ", " 99999 "));
        assertThat(s.sample().triggers()).extracting(CheapSampler.Trigger::key).doesNotContain("D:4892@99999");
    }

    @Test
    void anEmptyTreeGivesAnEmptySample() {
        CheapSampler s = new CheapSampler(root, Duration.ofSeconds(1), 1000, new TimedReader(4));
        CheapSampler.Sample x = s.sample();
        assertThat(x.tasks()).isZero();
        assertThat(x.triggers()).isEmpty();
    }

    // the stat line of pid 4892 in the 6.18 bundle, with pid, comm, state, num_threads and starttime filled in
    private static String stat(int pid, String comm, char state, int threads, long start) {
        return pid + " (" + comm + ") " + state + " 4889 4875 3753 0 -1 4194368 29 0 0 0 0 0 0 0 20 0 " + threads
                + " 0 " + start + " 10944512 174 18446744073709551615 94358313906176 94358313907281 140723902063776 0"
                + " 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0\n";
    }

    /** A process with {@code threads} tasks (the leader included), all asleep. */
    private void process(int pid, int threads) throws IOException {
        Path dir = root.resolve("proc/" + pid);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("stat"), stat(pid, "p" + pid, 'S', threads, 100 + pid));
        for (int k = 0; k < threads; k++) {
            thread(pid, pid + k, 'S', threads);
        }
    }

    private void thread(int pid, int tid, char state, int threads) throws IOException {
        Path t = root.resolve("proc/" + pid + "/task/" + tid);
        Files.createDirectories(t);
        Files.writeString(t.resolve("stat"), stat(tid, "t" + tid, state, threads, 100 + tid));
    }

    @Test
    void theThreadBudgetIsForTheWholeHostAndTheSweepGoesRoundAllProcesses() throws Exception {
        process(100, 300);
        process(1000, 30);
        process(2000, 1);
        CheapSampler s = new CheapSampler(root, Duration.ofSeconds(10), 50, new TimedReader(4));
        int firstReads = s.sample().reads();
        // 3 process stats, 2 task listings, 50 threads, fuse and the host files: never 300 threads at once
        assertThat(firstReads).isLessThan(3 + 2 + 50 + 20);
        int seen = 0;
        for (int i = 0; i < 8; i++) {
            seen = s.sample().tasks();
        }
        // after 9 samples of 50, all 331 tasks (328 threads, 3 leaders) are known
        assertThat(seen).isEqualTo(331);
    }

    @Test
    void aThreadInDIsReadEveryTimeAndIsHot() throws Exception {
        process(100, 300);
        CheapSampler s = new CheapSampler(root, Duration.ofMillis(200), 50, new TimedReader(4));
        thread(100, 110, 'D', 300);
        s.sample();
        assertThat(s.hotPids()).contains(110, 100);
        Thread.sleep(250);
        // many sweeps later the D thread is still watched, though the round robin passes it only every 6 samples
        CheapSampler.Sample x = null;
        for (int i = 0; i < 3; i++) {
            x = s.sample();
        }
        assertThat(x.triggers()).extracting(CheapSampler.Trigger::key).contains("D:110@210");
        thread(100, 110, 'S', 300);
        assertThat(s.sample().stuckTasks()).isZero();
        assertThat(s.hotPids()).doesNotContain(110);
    }

    @Test
    void taskListsAreListedAgainOnlyWhenTheThreadCountChanges() throws Exception {
        process(100, 10);
        CheapSampler s = new CheapSampler(root, Duration.ofSeconds(10), 1000, new TimedReader(4));
        assertThat(s.sample().tasks()).isEqualTo(10);
        // a new thread whose process's num_threads is unchanged is not looked for (the listing is reused) ...
        thread(100, 500, 'S', 10);
        assertThat(sweeps(s, CheapSampler.BUSY_SWEEP).tasks()).isEqualTo(10);
        // ... until num_threads says so (the process's stat and its leader's: both carry it)
        Files.writeString(root.resolve("proc/100/stat"), stat(100, "p100", 'S', 11, 200));
        thread(100, 100, 'S', 11);
        assertThat(sweeps(s, CheapSampler.BUSY_SWEEP).tasks()).isEqualTo(11);
        // a thread that exited is forgotten once its stat is gone
        deleteTree(root.resolve("proc/100/task/500"));
        Files.writeString(root.resolve("proc/100/stat"), stat(100, "p100", 'S', 10, 200));
        thread(100, 100, 'S', 10);
        assertThat(sweeps(s, CheapSampler.BUSY_SWEEP).tasks()).isEqualTo(10);
    }

    @Test
    void threadIdsOfBigProcessesAreHandedToTheFullScanWhileTheirListStillMatches() throws Exception {
        process(100, 300);
        process(1000, 30);
        CheapSampler s = new CheapSampler(root, Duration.ofSeconds(10), 1000, new TimedReader(4));
        s.sample();
        java.util.Map<Integer, int[]> ids = s.threadIds(100);
        assertThat(ids).containsOnlyKeys(100);
        assertThat(ids.get(100)).hasSize(299).doesNotContain(100).contains(101, 399).isSorted();
        // num_threads moved since the listing: the scan lists task/ itself
        Files.writeString(root.resolve("proc/100/stat"), stat(100, "p100", 'S', 301, 200));
        thread(100, 100, 'S', 301);
        thread(100, 400, 'S', 301);
        s.sample();
        if (s.threadIds(100).containsKey(100)) {
            // listed again in that sample already: then the list has the new thread
            assertThat(s.threadIds(100).get(100)).hasSize(300).contains(400);
        }
    }

    @Test
    void aStaleTaskListIsListedAgainAfterAWhile() throws Exception {
        process(100, 10);
        CheapSampler s = new CheapSampler(root, Duration.ofSeconds(10), 1000, new TimedReader(4));
        s.sample();
        thread(100, 500, 'S', 10);
        int tasks = sweeps(s, Math.max(CheapSampler.RELIST_EVERY, CheapSampler.QUIET_SWEEP) + 1).tasks();
        assertThat(tasks).isEqualTo(11);
    }

    @Test
    void theThreadsOfAProcessThatDidNotRunAreReadLessOften() throws Exception {
        process(100, 300);
        process(1000, 30);
        CheapSampler s = new CheapSampler(root, Duration.ofSeconds(10), 1000, new TimedReader(4));
        s.sample(); // every thread once
        int quietReads = 0;
        int busyReads = 0;
        for (int i = 1; i <= CheapSampler.QUIET_SWEEP; i++) {
            // process 1000 runs: its summed CPU time moves every interval; process 100 sleeps throughout
            Files.writeString(root.resolve("proc/1000/stat"), stat(1000, "p1000", 'S', 30, 1100)
                    .replace(" 29 0 0 0 0 0 ", " 29 0 0 0 " + i + " 0 "));
            int reads = s.sample().reads();
            if (i % CheapSampler.BUSY_SWEEP == 0 && i < CheapSampler.QUIET_SWEEP) {
                busyReads++;
                // only the busy process's 29 threads besides the process stats and host files
                assertThat(reads).isBetween(29, 29 + 20);
            } else if (i < CheapSampler.QUIET_SWEEP) {
                assertThat(reads).isLessThan(20);
                quietReads++;
            } else {
                // the quiet one's threads come round again after QUIET_SWEEP intervals
                assertThat(reads).isGreaterThanOrEqualTo(299);
            }
        }
        assertThat(busyReads).isEqualTo(CheapSampler.QUIET_SWEEP / CheapSampler.BUSY_SWEEP - 1);
        assertThat(quietReads).isPositive();
    }

    @Test
    void aThreadOfAQuietProcessThatEntersDIsStillFound() throws Exception {
        process(100, 300);
        CheapSampler s = new CheapSampler(root, Duration.ofMillis(1), 1000, new TimedReader(4));
        s.sample();
        // the thread ran too briefly to move the process's clock ticks: the quiet sweep still reaches it
        thread(100, 250, 'D', 300);
        boolean found = false;
        for (int i = 0; i <= CheapSampler.QUIET_SWEEP && !found; i++) {
            found = s.sample().byState().getOrDefault('D', 0) == 1;
        }
        assertThat(found).isTrue();
        Thread.sleep(5);
        assertThat(s.sample().triggers()).extracting(CheapSampler.Trigger::key).contains("D:250@350");
        assertThat(s.hotPids()).contains(250, 100);
    }

    @Test
    void procIsListedAgainOnlyWhenATaskWasCreated() throws Exception {
        process(100, 1);
        process(300, 1);
        Files.writeString(root.resolve("proc/loadavg"), "0.00 0.00 0.00 1/120 300\n");
        CheapSampler s = new CheapSampler(root, Duration.ofSeconds(10), 1000, new TimedReader(4));
        s.sample();
        int steady = s.sample().reads();
        // the same two stats, PSI and FUSE again, and no listing (the first sample's listing is one read more)
        assertThat(steady).isEqualTo(1 + 2 + 1 + 3);
        // a process that exits is seen gone by its stat, without a listing
        deleteTree(root.resolve("proc/300"));
        assertThat(s.sample().tasks()).isEqualTo(1);
        // a new pid given out since: /proc is listed again and the new process is found
        process(200, 1);
        assertThat(s.sample().tasks()).isEqualTo(1);
        Files.writeString(root.resolve("proc/loadavg"), "0.00 0.00 0.00 1/121 200\n");
        assertThat(s.sample().tasks()).isEqualTo(2);
    }

    /** Takes {@code n} samples; returns the last. */
    private static CheapSampler.Sample sweeps(CheapSampler s, int n) {
        CheapSampler.Sample x = null;
        for (int i = 0; i < n; i++) {
            x = s.sample();
        }
        return x;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
