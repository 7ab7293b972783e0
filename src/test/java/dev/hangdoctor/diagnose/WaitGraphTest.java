package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import dev.hangdoctor.model.UffdHandle;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WaitGraphTest {

    static List<Frame> frames(String... fns) {
        return Arrays.stream(fns).map(Frame::of).toList();
    }

    /** Seed 001's four task shapes, frames as crash printed them. */
    static Evidence seed001() {
        Evidence e = new Evidence();
        e.addTask(new Task(587).comm("jbd2/md127-8").state(TaskState.UNINTERRUPTIBLE).frames(frames(
                "__schedule", "schedule", "jbd2_journal_commit_transaction", "kjournald2", "kthread")));
        e.addTask(new Task(27153).comm("ext4-repro-with-write").state(TaskState.UNINTERRUPTIBLE).frames(frames(
                "__schedule", "schedule", "jbd2_log_wait_commit", "jbd2_complete_transaction", "ext4_sync_file",
                "do_fsync", "sys_fsync", "system_call_fastpath")));
        e.addTask(new Task(906).comm("loop0").frames(frames("__schedule", "schedule", "wait_transaction_locked",
                "add_transaction_credits", "start_this_handle", "jbd2__journal_start", "__ext4_journal_start_sb",
                "ext4_dirty_inode", "__mark_inode_dirty", "update_time", "file_update_time")));
        e.addTask(new Task(27225).comm("ext4-repro-with-write").state(TaskState.RUNNING).frames(frames(
                "__schedule", "sys_sched_yield", "yield", "free_more_memory", "__getblk", "__ext4_get_inode_loc",
                "ext4_reserve_inode_write", "ext4_mark_inode_dirty", "ext4_ext_tree_init", "__ext4_new_inode",
                "ext4_create", "vfs_create")));
        e.addEvent(new KernelEvent(KernelEventKind.OOM_KILLED, 3891.875313, 27153, "ext4-repro-with-write", null,
                Map.of(), "Killed process 27153 (ext4-repro-with-write)", "t:2"));
        return e;
    }

    @Test
    void aLockCallWhoseSlowPathWasCutIsALockWait() {
        // corpus za-007 (NVIDIA open modules: a journal's task dump, the scheduler's frames not printed) and f-019
        // (MIPS 3.x with lockdep: the wait inside mutex_lock_nested)
        Evidence e = new Evidence();
        e.addTask(new Task(6791).comm("KMS thread").state(TaskState.UNINTERRUPTIBLE).frames(frames(
                "down", "nvkms_ioctl_from_kapi_try_pmlock")));
        e.addTask(new Task(26540).comm("ps").state(TaskState.UNINTERRUPTIBLE).frames(frames(
                "__schedule", "schedule_preempt_disabled", "mutex_lock_nested", "lookup_slow", "walk_component")));
        WaitGraph g = new WaitGraph(e);
        assertThat(g.waitOf(6791).kind()).isEqualTo(ResourceKind.LOCK);
        assertThat(g.waitOf(26540).kind()).isEqualTo(ResourceKind.LOCK);
        assertThat(g.waitsOnUnknownOwner(6791)).isTrue();
    }

    @Test
    void ext3sJournalBeforeJbd2IsTheSameWait() {
        // corpus z-023 (Red Hat 2.4.18-5, SysRq-T): kjournald commits, kswapd sleeps in jbd's start_this_handle
        Evidence e = new Evidence();
        e.addTask(new Task(197).comm("kjournald").state(TaskState.UNINTERRUPTIBLE).frames(frames(
                "journal_commit_transaction", "ip_rcv", "kjournald", "commit_timeout", "kernel_thread")));
        e.addTask(new Task(7).comm("kswapd").state(TaskState.UNINTERRUPTIBLE).frames(frames(
                "start_this_handle", "journal_start_Rsmp_89deb980", "ext3_dirty_inode", "__mark_inode_dirty")));
        WaitGraph g = new WaitGraph(e);
        assertThat(g.waitOf(197).kind()).isEqualTo(ResourceKind.JOURNAL_UPDATES);
        assertThat(g.waitOf(7).kind()).isEqualTo(ResourceKind.JOURNAL_COMMIT);
        assertThat(g.waitsFor(7)).containsExactly(197);
    }

    @Test
    void seed001CycleEndsAtTheHandleHolder() {
        WaitGraph g = new WaitGraph(seed001());
        assertThat(g.waitOf(587).kind()).isEqualTo(ResourceKind.JOURNAL_UPDATES);
        assertThat(g.waitOf(27153).kind()).isEqualTo(ResourceKind.JOURNAL_COMMIT);
        assertThat(g.waitOf(906).kind()).isEqualTo(ResourceKind.JOURNAL_COMMIT);
        assertThat(g.waitOf(27225).kind()).isEqualTo(ResourceKind.MEMORY);
        assertThat(g.waitsFor(587)).containsExactly(27225);
        assertThat(g.waitsFor(27153)).containsExactly(587);
        assertThat(g.waitsFor(27225)).containsExactly(27153);
        assertThat(g.inCycle(27225)).isTrue();
        assertThat(g.inCycle(906)).isFalse();
        Task root = g.rootCause(List.of(g.task(587), g.task(27153), g.task(27225), g.task(906)));
        assertThat(root.pid()).isEqualTo(27225);
        assertThat(g.transitiveWaiters(27225)).containsExactlyInAnyOrder(587, 27153, 906);
    }

    @Test
    void waiterForAHandleIsNotAHolder() {
        Task loop0 = seed001().taskOrNull(906);
        assertThat(WaitClassifier.holdsJournalHandle(loop0)).isFalse();
        Task holder = seed001().taskOrNull(27225);
        assertThat(WaitClassifier.holdsJournalHandle(holder)).isTrue();
        assertThat(WaitClassifier.holdsJournalHandle(new Task(1).journalInfo(0L).frames(holder.frames()))).isFalse();
    }

    @Test
    void withoutTheOomVictimThereIsNoCycle() {
        Evidence e = new Evidence();
        seed001().tasks().forEach(e::addTask);
        WaitGraph g = new WaitGraph(e);
        assertThat(g.waitsFor(27225)).isEmpty();
        assertThat(g.sinks()).extracting(Task::pid).containsExactly(27225);
    }

    @Test
    void pidNamespaceInitWaitsForTheExitingThreadStuckInFuse() {
        Evidence e = new Evidence();
        e.addTask(new Task(1528591).frames(frames("do_wait", "kernel_wait4", "zap_pid_ns_processes", "do_exit")));
        e.addTask(new Task(1544574).tgid(1544450).state(TaskState.UNINTERRUPTIBLE).frames(frames(
                "request_wait_answer", "fuse_simple_request", "fuse_flush", "filp_close", "put_files_struct", "do_exit")));
        WaitGraph g = new WaitGraph(e);
        assertThat(g.waitsFor(1528591)).containsExactly(1544574);
        assertThat(g.waitOf(1544574).kind()).isEqualTo(ResourceKind.FUSE_REPLY);
        assertThat(g.sinks()).extracting(Task::pid).containsExactly(1544574);
    }

    /** Live 6.18 shape: the member was in close() when SIGKILL came, so its stack has no do_exit. */
    @Test
    void everyLiveMemberOfADyingNamespaceKeepsItsInitWaiting() {
        Evidence e = new Evidence();
        String child = "pid:[4026532400]";
        e.addTask(new Task(700).tgid(700).state(TaskState.SLEEPING).pidNamespace(child).frames(frames(
                "do_wait", "kernel_wait4", "zap_pid_ns_processes", "do_exit", "do_group_exit")));
        e.addTask(new Task(701).tgid(701).state(TaskState.UNINTERRUPTIBLE).pidNamespace(child).shdPnd(0x100L)
                .frames(frames("request_wait_answer", "__fuse_simple_request", "fuse_flush", "filp_flush",
                        "__x64_sys_close")));
        // an exiting task of another namespace is no part of it
        e.addTask(new Task(800).tgid(800).state(TaskState.UNINTERRUPTIBLE).pidNamespace("pid:[4026531836]")
                .frames(frames("request_wait_answer", "fuse_flush", "filp_close", "put_files_struct", "do_exit")));
        e.addFuseConnection(new FuseConnection(40, 1L, List.of("/mnt"), "fuse.x", List.of(650)));
        e.addTask(new Task(650).tgid(650).state(TaskState.SLEEPING).pidNamespace("pid:[4026531836]")
                .frames(frames("fuse_dev_do_read", "fuse_dev_read", "vfs_read")));
        WaitGraph g = new WaitGraph(e);
        assertThat(g.waitOf(700)).isEqualTo(new Resource(ResourceKind.PIDNS_EXIT, child));
        assertThat(g.waitsFor(700)).containsExactly(701);
        assertThat(g.waitsFor(701)).containsExactly(650);
        assertThat(g.waitOf(701).describe()).isEqualTo("a reply from a FUSE daemon (connection 40)");
    }

    @Test
    void theDaemonOfAConnectionWithWaitingRequestsIsWhoMustAnswerAnIdleOneIsNot() {
        Evidence e = new Evidence();
        e.addFuseConnection(new FuseConnection(40, 8L, List.of("/hung"), "fuse.x", List.of(515)));
        e.addFuseConnection(new FuseConnection(41, 0L, List.of("/healthy"), "fuse.x", List.of(495)));
        e.addTask(new Task(515).tgid(515).state(TaskState.STOPPED).frames(frames("do_signal_stop", "get_signal")));
        e.addTask(new Task(495).tgid(495).state(TaskState.SLEEPING).frames(frames("fuse_dev_do_read", "fuse_dev_read")));
        for (int pid = 517; pid < 520; pid++) {
            e.addTask(new Task(pid).tgid(pid).state(TaskState.UNINTERRUPTIBLE).frames(frames(
                    "request_wait_answer", "__fuse_simple_request", "fuse_lookup_name", "fuse_lookup")));
        }
        WaitGraph g = new WaitGraph(e);
        assertThat(g.holdsOf(515)).containsExactly(new Resource(ResourceKind.FUSE_REPLY, "connection 40"));
        assertThat(g.holdsOf(495)).isEmpty();
        assertThat(g.waitsFor(517)).containsExactly(515);
        assertThat(g.transitiveWaiters(515)).containsExactlyInAnyOrder(517, 518, 519);
    }

    @Test
    void withSeveralHungConnectionsAWaiterMayWaitOnAnyOfTheirDaemons() {
        Evidence e = new Evidence();
        e.addFuseConnection(new FuseConnection(40, 1L, List.of("/a"), "fuse.x", List.of(515)));
        e.addFuseConnection(new FuseConnection(41, 1L, List.of("/b"), "fuse.x", List.of(516)));
        e.addTask(new Task(515).tgid(515).state(TaskState.SLEEPING).frames(frames("fuse_dev_do_read")));
        e.addTask(new Task(516).tgid(516).state(TaskState.SLEEPING).frames(frames("fuse_dev_do_read")));
        e.addTask(new Task(600).tgid(600).state(TaskState.SLEEPING).frames(frames("request_wait_answer", "fuse_lookup")));
        WaitGraph g = new WaitGraph(e);
        assertThat(g.waitOf(600)).isEqualTo(Resource.of(ResourceKind.FUSE_REPLY));
        assertThat(g.waitsFor(600)).containsExactlyInAnyOrder(515, 516);
    }

    /** Two orphaned userfaultfds at once (seen live): each faulting thread waits on its own process's uffd. */
    @Test
    void aThreadFaultingOnItsOwnProcessWaitsOnThatProcessesUffdOnly() {
        Evidence e = new Evidence();
        for (int owner : new int[] {21795, 21802}) {
            e.addTask(new Task(owner).tgid(owner).state(TaskState.SLEEPING).frames(frames("__do_sys_pause")));
            e.addTask(new Task(owner + 3).tgid(owner).state(TaskState.SLEEPING).frames(frames(
                    "handle_userfault", "__handle_mm_fault", "handle_mm_fault", "exc_page_fault")));
            e.addUffd(new UffdHandle(owner, 3, 1L, 1L, Integer.toString(owner * 10)));
        }
        // a kworker faulting through get_user_pages names no process: any owner may be the one
        e.addTask(new Task(90).tgid(90).comm("kworker/u8:1").state(TaskState.UNINTERRUPTIBLE).frames(frames(
                "handle_userfault", "__handle_mm_fault", "handle_mm_fault", "__get_user_pages")));
        WaitGraph g = new WaitGraph(e);
        assertThat(g.waitsFor(21805)).containsExactly(21802);
        assertThat(g.waitsFor(21798)).containsExactly(21795);
        assertThat(g.waitsFor(90)).contains(21795, 21802);
    }

    @Test
    void stackGroupsFoldIdenticalStacksAndPutTheBlockerFirst() {
        Evidence e = seed001();
        for (int pid = 30000; pid < 30032; pid++) {
            e.addTask(new Task(pid).comm("w").state(TaskState.UNINTERRUPTIBLE).frames(e.taskOrNull(906).frames()));
        }
        WaitGraph g = new WaitGraph(e);
        List<StackGroup> groups = StackGrouper.group(e.tasks(), g, Map.of(27225, "blocker"));
        assertThat(groups.get(0).tasks()).extracting(TaskRef::pid).containsExactly(27225);
        StackGroup big = groups.stream().filter(s -> s.count() == 32).findFirst().orElseThrow();
        assertThat(big.headline()).isEqualTo("wait_transaction_locked");
        assertThat(big.waitsFor()).contains("journal commit");
    }

    /** Seen live here: a second stat of a FUSE path parks in d_alloc_parallel behind the first, which waits on the daemon. */
    @Test
    void parallelLookupWaitsForTheTaskDoingTheLookup() {
        Evidence e = new Evidence();
        e.addTask(new Task(6365).comm("fsop").state(TaskState.UNINTERRUPTIBLE).frames(frames("__schedule", "schedule",
                "d_alloc_parallel", "__lookup_slow", "walk_component", "path_lookupat", "filename_lookup", "vfs_statx")));
        e.addTask(new Task(6366).comm("fsop").state(TaskState.SLEEPING).frames(frames("request_wait_answer",
                "__fuse_simple_request", "fuse_lookup_name", "fuse_lookup", "__lookup_slow", "walk_component",
                "path_lookupat", "filename_lookup", "vfs_statx")));
        WaitGraph g = new WaitGraph(e);
        assertThat(g.waitsFor(6365)).containsExactly(6366);
        assertThat(g.sinks()).extracting(Task::pid).containsExactly(6366);
    }

    /** 6.16+ hung-task reports name the lock owner; the chain follows the kernel's own word (a public 6.x report). */
    @Test
    void lockOwnerHintFromTheHungTaskDetectorIsAnEdge() throws Exception {
        String log = String.join("\n",
                "[ 4302.440000] INFO: task systemd-shutdow:1 blocked for more than 122 seconds.",
                "[ 4302.448228] INFO: task systemd-shutdow:1 is blocked on a mutex likely owned by task kworker/4:1:16648.",
                "[ 4302.448300] INFO: task kworker/4:1:16648 blocked for more than 122 seconds.");
        Evidence e = dev.hangdoctor.parse.EvidenceReader.read(
                new java.io.ByteArrayInputStream(log.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "t");
        WaitGraph g = new WaitGraph(e);
        assertThat(g.waitOf(1).kind()).isEqualTo(ResourceKind.LOCK);
        assertThat(g.waitsFor(1)).containsExactly(16648);
        assertThat(g.task(16648).comm()).isEqualTo("kworker/4:1");
    }

    /** The caller is the program's own innermost frame, found by module, not by a list of verbs. */
    @Test
    void goroutineCallerIsTheProgramsOwnInnermostFrame() {
        dev.hangdoctor.model.Goroutine g = new dev.hangdoctor.model.Goroutine(146, "select", 8817L, List.of(
                "net/http.(*persistConn).roundTrip", "net/http.send",
                "github.com/docker/docker/client.(*Client).ContainerInspect",
                "github.com/Netflix/titus-executor/executor/runtime/docker.(*DockerRuntime).Kill",
                "github.com/Netflix/titus-executor/executor/runner.(*Runner).doShutdown",
                "created by github.com/Netflix/titus-executor/executor/runner.StartTaskWithRuntime"), "t:1");
        assertThat(Diagnoser.callerSummary(g))
                .isEqualTo(" (called from github.com/Netflix/titus-executor/executor/runtime/docker.(*DockerRuntime).Kill)");
        dev.hangdoctor.model.Goroutine own = new dev.hangdoctor.model.Goroutine(1, "chan receive", 5L,
                List.of("main.wait", "main.main"), "t:2");
        assertThat(Diagnoser.callerSummary(own)).isEmpty();
    }
}
