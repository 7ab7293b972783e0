package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full scan next to a huge process: pid 100 holds 10 000 idle threads (one of them, 9100, in D), and the hung
 * task is alone at pid 90000, read last in pid order. The stat, wchan and stack lines are pid 4892 of the 6.18
 * bundle (src/test/resources/proc/bundle-6.18), with pids, states and thread counts changed.
 */
class HugeHostScanTest {
    private static final int BIG = 100;
    private static final int THREADS = 10_000;
    private static final int HUNG = 90_000;
    private static final int HOT_THREAD = 9100;

    @TempDir
    static Path root;

    private static String stat(int pid, String comm, char state, int threads) {
        return pid + " (" + comm + ") " + state + " 4889 4875 3753 0 -1 4194368 29 0 0 0 0 0 0 0 20 0 " + threads
                + " 0 " + (43795 + pid) + " 10944512 174 18446744073709551615 94358313906176 94358313907281"
                + " 140723902063776 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0\n";
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @BeforeAll
    static void host() throws IOException {
        Path big = root.resolve("proc/" + BIG);
        write(big.resolve("stat"), stat(BIG, "holder", 'S', THREADS));
        for (int k = 0; k < THREADS; k++) {
            int tid = BIG + k;
            Path t = big.resolve("task/" + tid);
            boolean hot = tid == HOT_THREAD;
            write(t.resolve("stat"), stat(tid, "holder", hot ? 'D' : 'S', THREADS));
            Files.writeString(t.resolve("wchan"), hot ? "fuse_get_req" : "futex_wait_queue");
        }
        Path hung = root.resolve("proc/" + HUNG);
        write(hung.resolve("stat"), stat(HUNG, "mk2", 'D', 1));
        Path t = hung.resolve("task/" + HUNG);
        write(t.resolve("stat"), stat(HUNG, "mk2", 'D', 1));
        Files.writeString(t.resolve("wchan"), "fuse_get_req");
        Files.writeString(t.resolve("stack"), "[<0>] fuse_get_req+0x1ce/0x2b0\n[<0>] __fuse_simple_request+0x3a/0x330\n"
                + "[<0>] fuse_lookup_name+0xbf/0x220\n[<0>] fuse_lookup+0x75/0x1b0\n");
    }

    private static ProcTreeReader.Options live(Duration deadline) {
        return ProcTreeReader.Options.defaults().withReader(new TimedReader(4)).withLive(true).withDeadline(deadline);
    }

    /** How long a whole read in pid order takes here (which also warms the page cache and the JIT). */
    private static long wholeReadMillis() throws IOException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            Evidence e = new ProcTreeReader(root, live(Duration.ofSeconds(60)).withStatePass(false)
                    .withMaxThreadsPerProcess(Integer.MAX_VALUE)).read();
            best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
            assertThat(e.tasks()).hasSize(THREADS + 1);
        }
        return best;
    }

    @Test
    void theStatePassReachesTheHungTaskWithinADeadlineThatPidOrderDoesNot() throws Exception {
        long whole = wholeReadMillis();
        Duration deadline = Duration.ofMillis(Math.max(40, whole / 3));
        Evidence inOrder = new ProcTreeReader(root, live(deadline).withStatePass(false)
                .withMaxThreadsPerProcess(Integer.MAX_VALUE)).read();
        assertThat(inOrder.taskOrNull(HUNG)).as("pid order within %s (a whole read: %d ms)", deadline, whole).isNull();

        Evidence first = new ProcTreeReader(root, live(deadline).withMaxThreadsPerProcess(Integer.MAX_VALUE)).read();
        Task hung = first.taskOrNull(HUNG);
        assertThat(hung).as("D first within %s", deadline).isNotNull();
        assertThat(hung.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(hung.frames()).isNotEmpty();
    }

    @Test
    void threadCountsFromTheAgentPutTheHugeProcessLastWithoutTheStatePass() throws Exception {
        long whole = wholeReadMillis();
        Duration deadline = Duration.ofMillis(Math.max(40, whole / 3));
        // no state pass and no hot pid: only the agent's word that pid 100 has 10 000 threads
        Evidence e = new ProcTreeReader(root, live(deadline).withStatePass(false)
                .withMaxThreadsPerProcess(Integer.MAX_VALUE).withThreadCounts(java.util.Map.of(BIG, THREADS))).read();
        assertThat(e.taskOrNull(HUNG)).as("the hung task within %s (a whole read: %d ms)", deadline, whole)
                .isNotNull();
    }

    @Test
    void aFullScanReadsAtMostTheCapOfOneProcessAndSaysSo() throws Exception {
        Evidence e = new ProcTreeReader(root, live(Duration.ofSeconds(30))).read();
        List<Task> mine = e.tasks().stream().filter(t -> t.tgid() != null && t.tgid() == BIG).toList();
        assertThat(mine).hasSize(2000);
        // the leader and the thread in D (found by the state pass, far past the cap in tid order) are among them
        assertThat(e.taskOrNull(BIG)).isNotNull();
        assertThat(e.taskOrNull(HOT_THREAD).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(e.taskOrNull(HUNG)).isNotNull();
        assertThat(e.warnings()).anyMatch(w -> w.startsWith("pid 100 (holder): read 2000 of its 10000 threads"));
    }

    @Test
    void hotPidsFromTheAgentAreReadFirstWithoutTheStatePass() throws Exception {
        Evidence e = new ProcTreeReader(root, live(Duration.ofSeconds(30)).withStatePass(false).withMaxThreadsPerProcess(50)
                .withHotPids(Set.of(HOT_THREAD, BIG))).read();
        assertThat(e.taskOrNull(HOT_THREAD)).isNotNull();
        assertThat(e.tasks().stream().filter(t -> t.tgid() != null && t.tgid() == BIG)).hasSize(50);
    }

    @Test
    void threadIdsFromTheAgentStandInForListingTheHugeProcess() throws Exception {
        // the agent's list: every thread but the first ten after the leader, and one that has exited since
        int[] known = new int[THREADS - 10];
        for (int k = 0; k < known.length - 1; k++) {
            known[k] = BIG + 11 + k;
        }
        known[known.length - 1] = BIG + THREADS + 5;
        Evidence e = new ProcTreeReader(root, live(Duration.ofSeconds(30)).withStatePass(false).withMaxThreadsPerProcess(50)
                .withHotPids(Set.of(HOT_THREAD, BIG)).withKnownThreads(java.util.Map.of(BIG, known))).read();
        List<Task> mine = e.tasks().stream().filter(t -> t.tgid() != null && t.tgid() == BIG).toList();
        assertThat(mine).hasSize(50);
        assertThat(e.taskOrNull(BIG)).isNotNull();
        assertThat(e.taskOrNull(HOT_THREAD).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        // task/ was not listed: the threads on disk the list leaves out are not read
        assertThat(mine).noneMatch(t -> t.pid() > BIG && t.pid() <= BIG + 10).anyMatch(t -> t.pid() == BIG + 11);
        assertThat(e.warnings()).anyMatch(w -> w.startsWith("pid 100 (holder): read 50 of its 9991 threads"));
        assertThat(e.taskOrNull(HUNG)).isNotNull();

        // a list of a process small enough to be read whole is not used: its task/ is listed
        Evidence whole = new ProcTreeReader(root, live(Duration.ofSeconds(30)).withStatePass(false)
                .withMaxThreadsPerProcess(Integer.MAX_VALUE).withKnownThreads(java.util.Map.of(BIG, known))).read();
        assertThat(whole.tasks().stream().filter(t -> t.tgid() != null && t.tgid() == BIG)).hasSize(THREADS);
    }

    @Test
    void aCappedScanSavesABundleThatReadsBackTheSame(@TempDir Path save) throws Exception {
        Evidence live = new ProcTreeReader(root, live(Duration.ofSeconds(30)).withMaxThreadsPerProcess(300)
                .withSaveDir(save)).read();
        Evidence back = new ProcTreeReader(save, ProcTreeReader.Options.defaults().withReader(new TimedReader(4))).read();
        assertThat(back.tasks()).hasSize(live.tasks().size());
        assertThat(ProcFixtures.describe(back).stream().filter(l -> l.startsWith("task")).toList())
                .isEqualTo(ProcFixtures.describe(live).stream().filter(l -> l.startsWith("task")).toList());
    }
}
