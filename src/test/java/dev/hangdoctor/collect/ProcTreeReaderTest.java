package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import dev.hangdoctor.model.UffdHandle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ProcTreeReaderTest {

    @TempDir
    Path dir;

    private static ProcTreeReader.Options opts() {
        return ProcTreeReader.Options.defaults().withReader(new TimedReader(4));
    }

    @Test
    void recognisesBundlesAndBareProcTrees() throws Exception {
        assertThat(ProcTreeReader.looksLikeProc(ProcFixtures.bundle())).isTrue();
        assertThat(ProcTreeReader.looksLikeProc(ProcFixtures.bundle().resolve("proc"))).isTrue();
        assertThat(ProcTreeReader.looksLikeProc(ProcFixtures.bundle().resolve("sys"))).isFalse();
        Files.createDirectories(dir.resolve("2024"));
        Files.writeString(dir.resolve("2024").resolve("notes.txt"), "x");
        assertThat(ProcTreeReader.looksLikeProc(dir)).isFalse();
    }

    @Test
    void readsTheCapturedBundle() throws Exception {
        Evidence e = new ProcTreeReader(ProcFixtures.bundle(), opts()).read();
        assertThat(e.live()).isFalse();
        assertThat(e.warnings()).isEmpty();
        assertThat(e.tasks()).extracting(Task::pid).containsExactly(4889, 4891, 4892, 5049, 5050, 5213);

        Task toucher = e.taskOrNull(4891);
        assertThat(toucher.tgid()).isEqualTo(4889);
        assertThat(toucher.comm()).isEqualTo("uffd-toucher");
        assertThat(toucher.state()).isEqualTo(TaskState.SLEEPING);
        assertThat(toucher.wchan()).isEqualTo("handle_userfault");
        assertThat(toucher.frames().get(0).function()).isEqualTo("handle_userfault");
        assertThat(toucher.pidNamespace()).isEqualTo("pid:[4026531836]");

        Task fuseVictim = e.taskOrNull(4892);
        assertThat(fuseVictim.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(fuseVictim.ppid()).isEqualTo(4889);
        assertThat(fuseVictim.hasFrame("fuse_lookup")).isTrue();
        assertThat(fuseVictim.nsPids()).containsExactly(4892);
        assertThat(fuseVictim.startTime()).isEqualTo(43795L);

        // the zombie leader and its live thread are both there
        Task leader = e.taskOrNull(5049);
        Task live = e.taskOrNull(5050);
        assertThat(leader.state()).isEqualTo(TaskState.ZOMBIE);
        assertThat(leader.frames()).isEmpty();
        assertThat(live.tgid()).isEqualTo(5049);
        assertThat(live.state()).isEqualTo(TaskState.SLEEPING);
        assertThat(live.comm()).isEqualTo("zlive");
        assertThat(live.hasFrame("__do_sys_pause")).isTrue();

        Task hog = e.taskOrNull(5213);
        assertThat(hog.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(hog.frames().get(0).function()).isEqualTo("mem_cgroup_oom_synchronize");
        assertThat(hog.memoryCgroup()).isEqualTo("/h5test");
        assertThat(hog.rssKb()).isPositive();
        assertThat(hog.pageTablesKb()).isEqualTo(180L);
        assertThat(hog.swapKb()).isZero();
        // read only inside a memory cgroup with a limit, where a cgroup OOM picks among them
        assertThat(hog.oomScoreAdj()).isZero();
        assertThat(e.taskOrNull(4892).oomScoreAdj()).isNull();

        assertThat(e.uffds()).containsExactly(new UffdHandle(4889, 3, 1L, 1L, "7692"));

        assertThat(e.fuseConnections()).containsExactly(
                new FuseConnection(40, 2L, List.of("/tmp/h5/mnt"), "fuse.h5test", List.of(4889)));

        assertThat(e.memCgroups()).hasSize(1);
        MemCgroup m = e.memCgroups().get(0);
        assertThat(m.path()).isEqualTo("/h5test");
        assertThat(m.version()).isEqualTo(1);
        assertThat(m.limitBytes()).isEqualTo(67108864L);
        assertThat(m.unlimited()).isFalse();
        assertThat(m.underOom()).isTrue();
        assertThat(m.oomKillDisable()).isTrue();
        assertThat(m.failcnt()).isEqualTo(19L);
        assertThat(m.usageBytes()).isEqualTo(67108864L);
        assertThat(m.pids()).containsExactly(5049, 5213);

        assertThat(e.host().kernelRelease()).isEqualTo("6.18.44-fc-v595");
        assertThat(e.host().sysctls()).containsEntry("kernel.hung_task_timeout_secs", "120")
                .containsEntry("kernel.watchdog_thresh", "10")
                .containsEntry("cgroup.memory.walked", "2").containsEntry("cgroup.memory.unlimited", "1")
                .containsEntry("cgroup.cpu.walked", "1").containsEntry("cgroup.cpu.quota_set", "0");
        assertThat(e.host().loadavg()).isNotBlank();
        assertThat(e.host().pressure()).containsKeys("cpu", "memory", "io");
    }

    @Test
    void liveReadSkipsStatusAndStackOfThreadsIdleInAnOrdinaryWait() throws Exception {
        Path root = ProcFixtures.copyBundle(dir.resolve("b"));
        Evidence e = new ProcTreeReader(root, opts().withLive(true)).read();
        // 5050 is a non-leader thread asleep in pause(): stat and wchan say all there is to say
        Task idle = e.taskOrNull(5050);
        assertThat(idle.comm()).isEqualTo("zlive");
        assertThat(idle.state()).isEqualTo(TaskState.SLEEPING);
        assertThat(idle.wchan()).isEqualTo("__do_sys_pause");
        assertThat(idle.frames()).isEmpty();
        assertThat(idle.contextSwitches()).isNull();
        assertThat(idle.memoryCgroup()).isNotNull();
        // a sleeper in a FUSE or userfault wait, a D task and every leader are read in full
        assertThat(e.taskOrNull(4891).frames().get(0).function()).isEqualTo("handle_userfault");
        assertThat(e.taskOrNull(4891).contextSwitches()).isNotNull();
        assertThat(e.taskOrNull(4892).hasFrame("fuse_lookup")).isTrue();
        assertThat(e.taskOrNull(5213).rssKb()).isPositive();
        assertThat(e.taskOrNull(4889).frames()).isNotEmpty();
        assertThat(e.taskOrNull(5049).nsPids()).isNotEmpty();
    }

    @Test
    void everyThreadOfAFuseOrUffdServerIsReadInFull() throws Exception {
        Path root = ProcFixtures.copyBundle(dir.resolve("b"));
        // a second thread of the uffd owner 4889, parked in pause() like 5050
        Path src = root.resolve("proc/5049/task/5050");
        Path d = root.resolve("proc/4889/task/4893");
        Files.createDirectories(d);
        for (String f : new String[] {"stat", "status", "stack", "wchan"}) {
            Files.writeString(d.resolve(f), Files.readString(src.resolve(f)).replaceFirst("^5050 ", "4893 "));
        }
        Evidence e = new ProcTreeReader(root, opts().withLive(true)).read();
        assertThat(e.taskOrNull(4893).wchan()).isEqualTo("__do_sys_pause");
        assertThat(e.taskOrNull(4893).frames()).isNotEmpty();
        assertThat(e.taskOrNull(5050).frames()).isEmpty();
    }

    @Test
    void threadsTakeTheirProcessCgroupAndAZombieLeadersLiveThreadsTheirOwn() throws Exception {
        Path root = ProcFixtures.copyBundle(dir.resolve("b"));
        // a 3.10 zombie leader shows the root cgroup; its live thread is still in the container's
        ProcFixtures.write(root, "proc/5049/cgroup", "4:memory:/\n");
        ProcFixtures.write(root, "proc/5049/task/5050/cgroup", "4:memory:/h5test\n");
        ProcFixtures.write(root, "proc/4889/task/4891/cgroup", "4:memory:/elsewhere\n");
        Evidence e = new ProcTreeReader(root, opts()).read();
        assertThat(e.taskOrNull(5049).memoryCgroup()).isEqualTo("/");
        assertThat(e.taskOrNull(5050).memoryCgroup()).isEqualTo("/h5test");
        assertThat(e.taskOrNull(5213).memoryCgroup()).isEqualTo("/h5test");
        // not a zombie leader: the thread's own file is not read
        assertThat(e.taskOrNull(4891).memoryCgroup()).isEqualTo(e.taskOrNull(4889).memoryCgroup());
    }

    @Test
    void aProcessOfManyThreadsIsReadInChunksAndStopsAtATimeout() throws Exception {
        Path root = ProcFixtures.copyBundle(dir.resolve("b"));
        Path task = root.resolve("proc/5049/task");
        String stat = Files.readString(task.resolve("5050/stat"));
        for (int tid = 6000; tid < 6600; tid++) {
            Path d = task.resolve(Integer.toString(tid));
            Files.createDirectories(d);
            Files.writeString(d.resolve("stat"), stat.replaceFirst("^5050 ", tid + " "));
            Files.copy(task.resolve("5050/status"), d.resolve("status"));
            Files.copy(task.resolve("5050/stack"), d.resolve("stack"));
        }
        Evidence all = new ProcTreeReader(root, opts()).read();
        assertThat(all.tasks()).hasSize(606);
        assertThat(all.taskOrNull(6599).frames()).isEqualTo(all.taskOrNull(5050).frames());
        assertThat(all.taskOrNull(6599).memoryCgroup()).isEqualTo(all.taskOrNull(5050).memoryCgroup());

        Path fifo = ProcFixtures.fifo(task.resolve("6300/status"));
        TimedReader reader = new TimedReader(4);
        ProcTreeReader.Options o = ProcTreeReader.Options.defaults().withReader(reader).withLive(true)
                .withPerFileTimeout(Duration.ofMillis(300)).withDeadline(Duration.ofSeconds(5));
        try {
            Evidence e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new ProcTreeReader(root, o).read());
            // threads before the hung file are read and marked, none after it is read; other processes are whole
            assertThat(e.taskOrNull(6299).unreadable()).isTrue();
            assertThat(e.taskOrNull(6300).unreadable()).isTrue();
            assertThat(e.taskOrNull(6301)).isNull();
            assertThat(e.warnings()).filteredOn(w -> w.contains("did not answer")).hasSize(1);
            assertThat(reader.stuck()).isEqualTo(1);
            for (int pid : new int[] {4889, 4891, 4892, 5213}) {
                assertThat(e.taskOrNull(pid).unreadable()).as("pid %d", pid).isFalse();
            }
            assertThat(e.uffds()).hasSize(1);
        } finally {
            ProcFixtures.release(fifo);
        }
    }

    @Test
    void readsABareProcDirectory() throws Exception {
        Path bare = ProcFixtures.copyBundle(dir.resolve("b")).resolve("proc");
        Path moved = Files.move(bare, dir.resolve("snapshot"));
        Evidence e = new ProcTreeReader(moved, opts()).read();
        assertThat(e.tasks()).hasSize(6);
        assertThat(e.uffds()).hasSize(1);
        // no sys/ for a bare copy not named proc: the connection is known from mountinfo alone
        assertThat(e.fuseConnections()).extracting(FuseConnection::waiting).containsExactly((Long) null);
        assertThat(e.memCgroups()).isEmpty();
    }

    @Test
    void cgroupV2MemoryAndCpuQuota() throws Exception {
        Path root = ProcFixtures.copyBundle(dir.resolve("b"));
        String u = "sys/fs/cgroup/unified/";
        ProcFixtures.write(root, u + "cgroup.controllers", "cpu memory pids\n");
        ProcFixtures.write(root, u + "kubepods/cpu.max", "max 100000\n");
        ProcFixtures.write(root, u + "kubepods/memory.max", "max\n");
        ProcFixtures.write(root, u + "kubepods/memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
        String pod = u + "kubepods/pod1/";
        ProcFixtures.write(root, pod + "cpu.max", "50000 100000\n");
        ProcFixtures.write(root, pod + "cpu.stat", "usage_usec 21090139\nuser_usec 16725532\nsystem_usec 4364607\n"
                + "nr_periods 400\nnr_throttled 12\nthrottled_usec 3000\n");
        ProcFixtures.write(root, pod + "memory.max", "536870912\n");
        ProcFixtures.write(root, pod + "memory.current", "536866816\n");
        ProcFixtures.write(root, pod + "memory.events", "low 0\nhigh 0\nmax 1502\noom 3\noom_kill 2\noom_group_kill 0\n");
        ProcFixtures.write(root, pod + "memory.pressure", Files.readString(root.resolve("proc/pressure/memory")));
        ProcFixtures.write(root, pod + "cgroup.procs", "5213\n");

        Evidence e = new ProcTreeReader(root, opts()).read();
        MemCgroup v2 = e.memCgroups().stream().filter(c -> c.version() == 2).findFirst().orElseThrow();
        assertThat(v2.path()).isEqualTo("/kubepods/pod1");
        assertThat(v2.limitBytes()).isEqualTo(536870912L);
        assertThat(v2.usageBytes()).isEqualTo(536866816L);
        assertThat(v2.oomKills()).isEqualTo(2L);
        assertThat(v2.events()).containsEntry("oom", 3L);
        assertThat(v2.pressure()).startsWith("some avg10=");
        assertThat(v2.pids()).containsExactly(5213);
        assertThat(e.host().sysctls()).containsEntry("cgroup.cpu.quota_set", "1")
                .containsEntry("cgroup.cpu.throttled_cgroups", "1").containsEntry("cgroup.cpu.nr_throttled_total", "12")
                .containsEntry("cgroup.cpu.throttled_ns_total", "3000000");
    }

    @Test
    void fifoInABundleIsRefusedAndTheRestIsRead() throws Exception {
        Path root = ProcFixtures.copyBundle(dir.resolve("b"));
        Path status = ProcFixtures.fifo(root.resolve("proc/4892/task/4892/status"));
        Path stack = ProcFixtures.fifo(root.resolve("proc/5213/task/5213/stack"));
        try {
            Evidence e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new ProcTreeReader(root, opts()).read());
            assertThat(e.taskOrNull(4892).unreadable()).isTrue();
            assertThat(e.taskOrNull(5213).unreadable()).isTrue();
            assertThat(e.warnings()).anyMatch(w -> w.contains("not a regular file"));
            // refused files are skipped, not waited for: the rest of those tasks is still read
            assertThat(e.taskOrNull(5213).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
            assertFullyRead(e);
        } finally {
            ProcFixtures.release(status);
            ProcFixtures.release(stack);
        }
    }

    @Test
    void fifoReadAsLiveTimesOutAndTheScanFinishes() throws Exception {
        Path root = ProcFixtures.copyBundle(dir.resolve("b"));
        Path status = ProcFixtures.fifo(root.resolve("proc/4892/task/4892/status"));
        Path stack = ProcFixtures.fifo(root.resolve("proc/5213/task/5213/stack"));
        TimedReader reader = new TimedReader(4);
        ProcTreeReader.Options o = ProcTreeReader.Options.defaults().withReader(reader).withLive(true)
                .withPerFileTimeout(Duration.ofMillis(300)).withDeadline(Duration.ofSeconds(5));
        try {
            Evidence e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new ProcTreeReader(root, o).read());
            assertThat(e.live()).isTrue();
            assertThat(e.taskOrNull(4892).unreadable()).isTrue();
            assertThat(e.taskOrNull(5213).unreadable()).isTrue();
            assertThat(e.warnings()).filteredOn(w -> w.contains("did not answer")).hasSize(2);
            assertThat(reader.stuck()).as(e.warnings().toString()).isEqualTo(2);
            assertFullyRead(e);
        } finally {
            ProcFixtures.release(status);
            ProcFixtures.release(stack);
        }
    }

    private static void assertFullyRead(Evidence e) {
        for (int pid : new int[] {4889, 4891, 5049, 5050}) {
            assertThat(e.taskOrNull(pid).unreadable()).as("pid %d", pid).isFalse();
            assertThat(e.taskOrNull(pid).comm()).isNotNull();
        }
        assertThat(e.taskOrNull(4891).frames()).isNotEmpty();
        // 5050 sleeps in pause(): a live read takes its stack only from a bundle
        assertThat(e.taskOrNull(5050).wchan()).isEqualTo("__do_sys_pause");
        assertThat(e.uffds()).hasSize(1);
        assertThat(e.fuseConnections()).hasSize(1);
        assertThat(e.memCgroups()).hasSize(1);
    }

    @Test
    void savedBundleReadsBackToTheSameEvidence() throws Exception {
        Path save = dir.resolve("saved");
        Evidence first = new ProcTreeReader(ProcFixtures.bundle(), opts().withSaveDir(save)).read();
        assertThat(ProcTreeReader.looksLikeProc(save)).isTrue();
        assertThat(Files.readString(save.resolve("proc/4889/fd/3.link")).strip()).isEqualTo("anon_inode:[userfaultfd]");
        assertThat(save.resolve("proc/4889/fd/0.link")).doesNotExist();
        Evidence second = new ProcTreeReader(save, opts()).read();
        assertThat(ProcFixtures.describe(second)).isEqualTo(ProcFixtures.describe(first));
        assertThat(first.tasks()).hasSize(6);
    }

    @Tag("live")
    @Test
    void liveHostRoundTripsThroughABundle() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
        Path save = dir.resolve("live");
        int me = (int) ProcessHandle.current().pid();
        Evidence live = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> new ProcTreeReader(Path.of("/"),
                ProcTreeReader.Options.defaults().withReader(new TimedReader(4)).withDeadline(Duration.ofSeconds(25))
                        .withSaveDir(save)).read());
        assertThat(live.live()).isTrue();
        assertThat(live.taskOrNull(me)).isNotNull();
        assertThat(live.tasks()).filteredOn(t -> Integer.valueOf(me).equals(t.tgid())).hasSizeGreaterThan(3);
        assertThat(live.host().kernelRelease()).isNotBlank();
        Evidence back = new ProcTreeReader(save, opts()).read();
        assertThat(back.live()).isFalse();
        assertThat(back.taskOrNull(me)).isNotNull();
        assertThat(back.taskOrNull(me).comm()).isEqualTo(live.taskOrNull(me).comm());
    }

    /** /sys/block/DEV/inflight is "%8u %8u" (reads, writes) in block/genhd.c; busy devices are kept, idle ones not. */
    @Test
    void blockDevicesWithRequestsInFlight() throws Exception {
        Path root = ProcFixtures.copyBundle(dir.resolve("blk"));
        ProcFixtures.write(root, "sys/block/sda/inflight", "       0       37\n");
        ProcFixtures.write(root, "sys/block/vda/inflight", "       0        0\n");
        Evidence e = new ProcTreeReader(root, opts()).read();
        assertThat(e.host().sysctls()).containsEntry("block.sda.inflight", "0 reads, 37 writes")
                .doesNotContainKey("block.vda.inflight");
    }

    /**
     * /proc/PID/cgroup takes the host-wide cgroup_mutex; on a host where it is held every such read blocks. One timeout
     * must stop the scan asking for it, not cost a timeout (and a stuck thread) per process.
     */
    @Test
    void oneBlockedCgroupReadStopsCgroupReadsForTheWholeScan() throws Exception {
        Path root = ProcFixtures.copyBundle(dir.resolve("mutex"));
        List<Path> fifos = new java.util.ArrayList<>();
        try (var procs = Files.newDirectoryStream(root.resolve("proc"), "[0-9]*")) {
            for (Path p : procs) {
                if (Files.exists(p.resolve("cgroup"))) {
                    fifos.add(ProcFixtures.fifo(p.resolve("cgroup")));
                }
            }
        }
        assertThat(fifos).hasSizeGreaterThan(2);
        TimedReader reader = new TimedReader(8);
        ProcTreeReader.Options o = ProcTreeReader.Options.defaults().withReader(reader).withLive(true)
                .withPerFileTimeout(Duration.ofMillis(300)).withDeadline(Duration.ofSeconds(5));
        try {
            Evidence e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new ProcTreeReader(root, o).read());
            assertThat(e.warnings()).filteredOn(w -> w.contains("cgroup_mutex")).hasSize(1);
            assertThat(reader.stuck()).isEqualTo(1);
            for (int pid : new int[] {4889, 4891, 4892, 5213}) {
                assertThat(e.taskOrNull(pid)).as("pid %d", pid).isNotNull();
                assertThat(e.taskOrNull(pid).unreadable()).as("pid %d", pid).isFalse();
            }
        } finally {
            fifos.forEach(ProcFixtures::release);
        }
    }
}
