package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleMatcherTest {
    private static final KnowledgeBase KB = KnowledgeBase.load(List.of());

    private static List<Frame> frames(String... names) {
        List<Frame> out = new ArrayList<>();
        for (String n : names) {
            out.add(Frame.of(n));
        }
        return out;
    }

    /** Seed 001's cycle, built directly: holder 27225, jbd2 thread 587, OOM victim 27153 in fsync. */
    private static Evidence seed001(String kernel) {
        Evidence ev = new Evidence();
        ev.host().kernelRelease(kernel);
        ev.addTask(new Task(587).comm("jbd2/md127-8").state(TaskState.UNINTERRUPTIBLE).ppid(2)
                .frames(frames("__schedule", "schedule", "jbd2_journal_commit_transaction", "kjournald2", "kthread")));
        ev.addTask(new Task(27153).comm("ext4-repro-with-write").state(TaskState.UNINTERRUPTIBLE)
                .frames(frames("schedule", "jbd2_log_wait_commit", "jbd2_complete_transaction", "ext4_sync_file", "do_fsync")));
        ev.addTask(new Task(27225).comm("ext4-repro-with-write").state(TaskState.RUNNING).journalInfo(0xffff9f53fa89bb70L)
                .frames(frames("__schedule", "sys_sched_yield", "yield", "free_more_memory", "__getblk",
                        "__ext4_get_inode_loc", "ext4_reserve_inode_write", "ext4_mark_inode_dirty", "__ext4_new_inode", "ext4_create")));
        ev.addEvent(new KernelEvent(KernelEventKind.OOM_KILLED, 3891.875313, 27153, "ext4-repro-with-write", null, null,
                "Killed process 27153 (ext4-repro-with-write), UID 0, total-vm:848900kB, anon-rss:499124kB, file-rss:868kB, shmem-rss:0kB",
                "vmcore-dmesg.txt"));
        return ev;
    }

    @Test
    void seed001RolesEvidenceAndConfidence() {
        Rule rule = KB.rule("centos7-jbd2-oom-getblk-deadlock").orElseThrow();
        RuleMatch m = RuleMatcher.match(rule, seed001("3.10.0-1160.el7.x86_64")).orElseThrow();

        assertThat(m.tasks(Role.BLOCKER)).extracting(Task::pid).containsExactly(27225);
        assertThat(m.tasks(Role.VICTIM)).extracting(Task::pid).containsExactly(587, 27153);
        // the OOM-killed task is already a victim: each task has one role only
        assertThat(m.tasks(Role.CONTEXT)).isEmpty();
        assertThat(m.evidence()).contains(
                "ext4-repro-with-write:27225 R in free_more_memory <- __getblk, holds a jbd2 handle (journal_info 0xffff9f53fa89bb70)",
                "jbd2/md127-8:587 D in jbd2_journal_commit_transaction",
                "[ 3891.875313] Killed process 27153 (ext4-repro-with-write), UID 0, total-vm:848900kB, anon-rss:499124kB, file-rss:868kB, shmem-rss:0kB");
        assertThat(m.evidence()).anySatisfy(l -> assertThat(l).startsWith("kernel 3.10.0-1160.el7.x86_64 is in the affected range"));
        assertThat(m.kernelVerdict()).isEqualTo(KernelVerdict.IN_RANGE);
        // matched 3+1+2+1+2 of 3+1+2+1+1+2 (no wait_transaction_locked task), in range: 9/10
        assertThat(m.confidence()).isEqualTo(0.9);
        assertThat(m.matchedSignals()).doesNotContain("handle-waiters");
    }

    @Test
    void kernelVerdictScalesConfidence() {
        Rule rule = KB.rule("centos7-jbd2-oom-getblk-deadlock").orElseThrow();
        assertThat(RuleMatcher.match(rule, seed001("4.18.0-305.el8.x86_64")).orElseThrow())
                .satisfies(m -> {
                    assertThat(m.kernelVerdict()).isEqualTo(KernelVerdict.OUT_OF_RANGE);
                    assertThat(m.confidence()).isEqualTo(0.45);
                });
        assertThat(RuleMatcher.match(rule, seed001(null)).orElseThrow())
                .satisfies(m -> {
                    assertThat(m.kernelVerdict()).isEqualTo(KernelVerdict.UNKNOWN);
                    assertThat(m.confidence()).isEqualTo(0.72);
                });
    }

    @Test
    void requiredKernelRangeOutOfRangeIsNoMatch() {
        Rule rule = KnowledgeBase.parseRule("""
                id: only-old
                title: t
                category: jbd2
                kernel: {ranges: ["v < 4.0"], required: true}
                signals:
                  - {id: s, required: true, frames: [jbd2_journal_commit_transaction]}
                """, false, "inline");
        assertThat(RuleMatcher.match(rule, seed001("4.18.0-305.el8"))).isEmpty();
        assertThat(RuleMatcher.match(rule, seed001("3.10.0-862.el7"))).isPresent();
        assertThat(RuleMatcher.match(rule, seed001("garbage"))).get().extracting(RuleMatch::kernelVerdict)
                .isEqualTo(KernelVerdict.UNKNOWN);
    }

    @Test
    void aWaitTestNamesAKnownWait() {
        assertThatThrownBy(() -> KnowledgeBase.parseRule("""
                id: bad-wait
                title: t
                category: rwsem-mmap
                signals:
                  - {id: w, required: true, waitsFor: MMAP_SEMAPHORE}
                """, false, "inline")).hasMessageContaining("unknown wait");
        Rule ok = KnowledgeBase.parseRule("""
                id: good-wait
                title: t
                category: rwsem-mmap
                signals:
                  - {id: w, required: true, waitsFor: mmap-lock}
                """, false, "inline");
        assertThat(ok.signals().get(0).task().waitsFor()).isEqualTo(dev.hangdoctor.diagnose.ResourceKind.MMAP_LOCK);
    }

    @Test
    void absentSignalVetoesTheRule() {
        Rule generic = KB.rule("jbd2-commit-stall").orElseThrow();
        assertThat(RuleMatcher.match(generic, seed001("3.10.0-1160.el7"))).isEmpty();
    }

    @Test
    void oneOfGroupNeedsOneMember() {
        Rule rule = KB.rule("centos7-jbd2-oom-getblk-deadlock").orElseThrow();
        Evidence ev = seed001("3.10.0-1160.el7");
        Evidence noHolder = new Evidence();
        for (Task t : ev.tasks()) {
            if (t.pid() != 27225) {
                noHolder.addTask(t);
            }
        }
        assertThat(RuleMatcher.match(rule, noHolder)).isEmpty();
        // crash's journal_info alone is enough to name the holder
        noHolder.addTask(new Task(27225).comm("ext4-repro-with-write").state(TaskState.RUNNING).journalInfo(0x1234L)
                .frames(frames("ext4_create")));
        assertThat(RuleMatcher.match(rule, noHolder)).get()
                .satisfies(m -> assertThat(m.tasks(Role.BLOCKER)).extracting(Task::pid).containsExactly(27225));
    }

    @Test
    void framePatternsAlternativesPrefixesSuffixesAndUnreliableFrames() {
        Rule rule = KnowledgeBase.parseRule("""
                id: patterns
                title: t
                category: other
                signals:
                  - {id: alt, role: victim, required: true, frames: ["rwsem_down_read_failed|rwsem_down_read_slowpath", "ovl_*"]}
                """, false, "inline");
        Evidence ev = new Evidence();
        ev.addTask(new Task(1).comm("a").state(TaskState.UNINTERRUPTIBLE)
                .frames(frames("rwsem_down_read_slowpath.isra.0", "down_read", "ovl_open")));
        ev.addTask(new Task(2).comm("b").state(TaskState.UNINTERRUPTIBLE).frames(List.of(
                new Frame("rwsem_down_read_failed", "", null, true, StackContext.TASK), Frame.of("ovl_open"))));
        ev.addTask(new Task(3).comm("c").state(TaskState.UNINTERRUPTIBLE).frames(frames("ovl_open", "rwsem_down_read_failed")));
        Optional<RuleMatch> m = RuleMatcher.match(rule, ev);
        assertThat(m).get().satisfies(x -> assertThat(x.tasks(Role.VICTIM)).extracting(Task::pid).containsExactly(1));
    }

    @Test
    void statesTestPassesTasksWhoseStateTheEvidenceDoesNotGive() {
        Rule rule = KB.rule("nfs-server-not-responding").orElseThrow();
        Evidence ev = new Evidence();
        ev.addTask(new Task(-1).frames(frames("rpc_wait_bit_killable", "__rpc_execute", "rpc_execute")));
        assertThat(RuleMatcher.match(rule, ev)).isPresent();
        ev = new Evidence();
        ev.addTask(new Task(5).state(TaskState.SLEEPING).frames(frames("rpc_wait_bit_killable", "__rpc_execute")));
        assertThat(RuleMatcher.match(rule, ev)).isEmpty();
    }

    @Test
    void cachedIndexFollowsTheEvidence() {
        Rule rule = KB.rule("fuse-daemon-hung").orElseThrow();
        Evidence ev = new Evidence();
        ev.addTask(new Task(1).comm("idle").state(TaskState.SLEEPING).frames(frames("ep_poll")));
        assertThat(RuleMatcher.match(rule, ev)).isEmpty();
        ev.addTask(new Task(2).comm("stat").state(TaskState.SLEEPING).frames(frames("request_wait_answer", "fuse_lookup")));
        assertThat(RuleMatcher.match(rule, ev)).isPresent();
    }

    @Test
    void evidenceListsAFewTasksAndCountsTheRest() {
        Rule rule = KB.rule("fuse-daemon-hung").orElseThrow();
        Evidence ev = new Evidence();
        for (int pid = 100; pid < 140; pid++) {
            ev.addTask(new Task(pid).comm("ls").state(TaskState.SLEEPING).frames(frames("request_wait_answer", "fuse_getattr")));
        }
        RuleMatch m = RuleMatcher.match(rule, ev).orElseThrow();
        assertThat(m.tasks(Role.VICTIM)).hasSize(40);
        assertThat(m.evidence()).hasSize(RuleMatcher.EVIDENCE_TASKS + 1)
                .contains("ls:100 S in request_wait_answer", "... and 35 more task(s) like ls:100");
    }

    @Test
    void allBuiltInRulesOnAHundredThousandTasksFindTheOnesThatApply() {
        Evidence ev = new Evidence();
        String[][] shapes = {
            {"__schedule", "schedule", "futex_wait_queue_me", "futex_wait", "do_futex", "__x64_sys_futex", "do_syscall_64"},
            {"__schedule", "schedule", "schedule_hrtimeout_range_clock", "ep_poll", "do_epoll_wait", "do_syscall_64"},
            {"__schedule", "schedule", "io_schedule", "wait_on_page_bit_common", "filemap_fault", "__do_fault", "handle_mm_fault"},
            {"__schedule", "schedule", "worker_thread", "kthread", "ret_from_fork"},
        };
        for (int pid = 1; pid <= 100_000; pid++) {
            String[] shape = shapes[pid % shapes.length];
            ev.addTask(new Task(pid).comm("t" + (pid % 97)).state(pid % 10 == 0 ? TaskState.UNINTERRUPTIBLE : TaskState.SLEEPING)
                    .frames(frames(shape)));
        }
        ev.addTask(new Task(200_001).comm("stat").state(TaskState.SLEEPING).frames(frames("request_wait_answer", "fuse_lookup")));
        // how fast this is belongs to a benchmark, not to a timed assertion that fails on a loaded machine
        List<RuleMatch> matches = RuleMatcher.matchAll(KB.rules(), ev);
        assertThat(matches).extracting(x -> x.rule().id()).contains("fuse-daemon-hung", "block-io-stall");
    }

    @Test
    void goroutineAndRepeatedEventSignals() {
        Rule rule = KnowledgeBase.parseRule("""
                id: stuck-kill
                title: t
                category: pidns-zap
                signals:
                  - {id: kill, required: true, goroutine: {waitMinutesAtLeast: 10, function: 'DockerRuntime\\)\\.Kill'}}
                  - {id: refault, weight: 2, events: [FAULT_PROBE], sameKey: "address=([0-9a-f]+)", atLeast: 3}
                """, false, "inline");
        Evidence ev = new Evidence();
        ev.addGoroutine(new dev.hangdoctor.model.Goroutine(146, "select", 8817L, List.of(
                "net/http.(*persistConn).roundTrip",
                "github.com/Netflix/titus-executor/executor/runtime/docker.(*DockerRuntime).Kill"), null));
        for (String addr : List.of("cd3468", "cd3468", "ab0000", "cd3468")) {
            ev.addEvent(new KernelEvent(KernelEventKind.FAULT_PROBE, null, 112272, "runc:[2:INIT]", null, null,
                    "runc:[2:INIT],call handle_mm_fault tid=112272,address=" + addr + ",flags=a9", "probe"));
        }
        RuleMatch m = RuleMatcher.match(rule, ev).orElseThrow();
        assertThat(m.confidence()).isEqualTo(0.9);
        assertThat(m.evidence()).contains(
                "goroutine 146 [select, 8817 minutes] in github.com/Netflix/titus-executor/executor/runtime/docker.(*DockerRuntime).Kill",
                "runc:[2:INIT],call handle_mm_fault tid=112272,address=cd3468,flags=a9",
                "(3 such messages with the same address=([0-9a-f]+))");

        Evidence spread = new Evidence();
        ev.goroutines().forEach(spread::addGoroutine);
        for (String addr : List.of("1", "2", "3", "4")) {
            spread.addEvent(new KernelEvent(KernelEventKind.FAULT_PROBE, null, 1, "x", null, null, "address=" + addr, "probe"));
        }
        assertThat(RuleMatcher.match(rule, spread).orElseThrow().confidence()).isEqualTo(0.3);
    }

    @Test
    void anAlternativeFormOfASignalWeighsOnceAndAModuleNamesTheDriver() {
        Rule rule = KnowledgeBase.parseRule("""
                id: t
                title: t
                category: block-io
                signals:
                  - id: waiters
                    oneOf: io
                    weight: 2
                    anyFrame: [blk_mq_get_tag]
                  - id: driver
                    role: blocker
                    oneOf: io
                    weight: 2
                    alternativeOf: waiters
                    anyModule: [enhanceio]
                  - id: errors
                    oneOf: io
                    weight: 2
                    events: [BLOCK_IO_ERROR]
                """, false, "inline.yaml");
        Evidence ev = new Evidence();
        ev.addTask(new Task(2787).comm("eio_clean_threa").state(TaskState.UNINTERRUPTIBLE)
                .frames(List.of(Frame.of("call_rwsem_down_write_failed"),
                        new Frame("eio_clean_set", "+0xe9/0xa60", "enhanceio", false, StackContext.TASK))));
        ev.addTask(new Task(7).comm("dd").state(TaskState.UNINTERRUPTIBLE).frames(frames("blk_mq_get_tag")));
        RuleMatch m = RuleMatcher.match(rule, ev).orElseThrow();
        // waiters and driver are one piece of evidence: 2 of 4, not 4 of 6
        assertThat(m.confidence()).isEqualTo(0.45);
        assertThat(m.tasks(Role.BLOCKER)).extracting(Task::pid).containsExactly(2787);
        assertThat(m.evidence()).anySatisfy(l -> assertThat(l).contains("eio_clean_set [enhanceio]"));

        Evidence noDriver = new Evidence();
        noDriver.addTask(new Task(2787).comm("eio_clean_threa").state(TaskState.UNINTERRUPTIBLE)
                .frames(frames("call_rwsem_down_write_failed", "eio_clean_set")));
        assertThat(RuleMatcher.match(rule, noDriver)).isEmpty();
    }

    @Test
    void aStackOfOnlyUnreliableFramesIsStillEvidence() {
        Rule rule = KB.rule("block-io-stall").orElseThrow();
        Evidence ev = new Evidence();
        ev.addTask(new Task(390).comm("jbd2/vdt-8").state(TaskState.UNINTERRUPTIBLE).frames(List.of(
                new Frame("__schedule", "", null, true, StackContext.TASK),
                new Frame("bit_wait_io", "", null, true, StackContext.TASK),
                new Frame("jbd2_journal_commit_transaction", "", "jbd2", true, StackContext.TASK))));
        assertThat(RuleMatcher.match(rule, ev)).isPresent();

        Evidence withReliable = new Evidence();
        withReliable.addTask(new Task(390).comm("jbd2/vdt-8").state(TaskState.UNINTERRUPTIBLE).frames(List.of(
                new Frame("bit_wait_io", "", null, true, StackContext.TASK),
                Frame.of("mutex_lock"))));
        assertThat(RuleMatcher.match(rule, withReliable)).isEmpty();
    }
}
