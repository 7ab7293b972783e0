package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static dev.hangdoctor.parse.TraceFixtures.parse;
import static dev.hangdoctor.parse.TraceFixtures.parseFixture;
import static org.assertj.core.api.Assertions.assertThat;

class TraceSinkTest {

    private static List<String> functions(Task t) {
        return t.frames().stream().map(Frame::function).collect(Collectors.toList());
    }

    private static Task onlyAnonymous(Evidence e) {
        List<Task> anon = e.tasks().stream().filter(t -> t.pid() < 0).collect(Collectors.toList());
        assertThat(anon).hasSize(1);
        return anon.get(0);
    }

    /** Corpus d-018 (nfs-ganesha issue 148): the paste ends inside the last frame's name, "nfs4_discover_". */
    private static final String CUT_INSIDE_A_NAME = String.join("\n",
            "[ 1326.467155] qbuckets2       D ffffffffa047cde8     0  4037   3994 0x00000080",
            "[ 1326.498508] Call Trace:",
            "[ 1326.501076]  [<ffffffff8168ca69>] schedule_preempt_disabled+0x29/0x70",
            "[ 1326.507636]  [<ffffffff8168a6c5>] __mutex_lock_slowpath+0xc5/0x1c0",
            "[ 1326.513934]  [<ffffffff8168dbbb>] ? _raw_spin_unlock_bh+0x1b/0x40",
            "[ 1326.520166]  [<ffffffff81689b2f>] mutex_lock+0x1f/0x2f",
            "[ 1326.525440]  [<ffffffffa0433948>] nfs4_discover_");

    private static List<Frame> readFrames(String text) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(
                text.getBytes(StandardCharsets.UTF_8)), "paste", true);
        return e.taskOrNull(4037).frames();
    }

    @Test
    void aFrameLineCutWhereThePasteEndsIsMarkedCut() throws Exception {
        List<Frame> frames = readFrames(CUT_INSIDE_A_NAME);
        assertThat(frames.get(frames.size() - 1).function()).isEqualTo("nfs4_discover_");
        assertThat(frames.get(frames.size() - 1).cut()).isTrue();
        assertThat(frames.subList(0, frames.size() - 1)).noneMatch(Frame::cut);
        assertThat(readFrames(CUT_INSIDE_A_NAME + "\n").get(frames.size() - 1).cut())
                .as("the last line, ended by its newline").isTrue();
        assertThat(readFrames(CUT_INSIDE_A_NAME + "\n\n\n").get(frames.size() - 1).cut())
                .as("only blank lines after it").isTrue();
        assertThat(readFrames("```\n" + CUT_INSIDE_A_NAME + "\n```\n").get(frames.size() - 1).cut())
                .as("in a markdown code fence").isTrue();
    }

    /** Corpus w-006 (github.com/CyberDem0n/bg_mon issue 63): a SysRq-W stack cut inside "? nfs_do_lookup". */
    private static final String CUT_INSIDE_A_MARKED_FRAME = String.join("\n",
            "Feb 14 07:33:13 myhost.intern kernel: sysrq: Show Blocked State",
            "Feb 14 07:33:13 myhost.intern kernel: task:postgres        state:D stack:0     pid:2581549 ppid:2581545 flags:0x00000006",
            "Feb 14 07:33:13 myhost.intern kernel: Call Trace:",
            "Feb 14 07:33:13 myhost.intern kernel:  <TASK>",
            "Feb 14 07:33:13 myhost.intern kernel:  __schedule+0x35f/0x1360",
            "Feb 14 07:33:13 myhost.intern kernel:  ? avc_has_perm_noaudit+0x8b/0xf0",
            "Feb 14 07:33:13 myhost.intern kernel:  ? preempt_count_add+0x6a/0xa0",
            "Feb 14 07:33:13 myhost.intern kernel:  ? nfs_do_lookup");

    @Test
    void anUnreliableFrameCutBeforeItsOffsetIsTheStacksLastFrame() throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(
                CUT_INSIDE_A_MARKED_FRAME.getBytes(StandardCharsets.UTF_8)), "paste", true);
        List<Frame> frames = e.taskOrNull(2581549).frames();
        Frame last = frames.get(frames.size() - 1);
        assertThat(last.function()).isEqualTo("nfs_do_lookup");
        assertThat(last.unreliable()).isTrue();
        assertThat(last.cut()).isTrue();
        // the same line with the reporter's words after it: a frame, whole as printed (no offset), not cut
        Evidence followed = EvidenceReader.read(new ByteArrayInputStream((CUT_INSIDE_A_MARKED_FRAME
                + "\n\nAny ideas?\n").getBytes(StandardCharsets.UTF_8)), "paste", true);
        List<Frame> f2 = followed.taskOrNull(2581549).frames();
        assertThat(f2.get(f2.size() - 1).function()).isEqualTo("nfs_do_lookup");
        assertThat(f2).noneMatch(Frame::cut);
        // a marked word before any frame is no frame
        Evidence before = EvidenceReader.read(new ByteArrayInputStream(String.join("\n",
                "Feb 14 07:33:13 myhost.intern kernel: task:postgres        state:D stack:0     pid:2581549 ppid:2581545 flags:0x00000006",
                "Feb 14 07:33:13 myhost.intern kernel: Call Trace:",
                "Feb 14 07:33:13 myhost.intern kernel:  ? nfs_do_lookup").getBytes(StandardCharsets.UTF_8)), "paste", true);
        assertThat(before.taskOrNull(2581549).frames()).isEmpty();
    }

    @Test
    void aFrameIsNotCutWhenTheStackGoesOnOrItsLineIsWhole() throws Exception {
        // the reporter's words after the stack: the paste did not end in the frame line
        List<Frame> followed = readFrames(CUT_INSIDE_A_NAME + "\n\nAny ideas?\n");
        assertThat(followed).noneMatch(Frame::cut);
        // cut after a whole frame: its offset is there
        String whole = CUT_INSIDE_A_NAME.substring(0, CUT_INSIDE_A_NAME.lastIndexOf('\n'));
        assertThat(readFrames(whole)).noneMatch(Frame::cut);
    }

    @Test
    void hungTask313WithPcColumnAndStackWords() throws Exception {
        Evidence e = parseFixture("hung-3.13-jbd2.txt");
        Task t = e.taskOrNull(22455);
        assertThat(t.comm()).isEqualTo("jbd2/dewba1-8");
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(t.ppid()).isEqualTo(2);
        assertThat(t.blockedSeconds()).isEqualTo(120L);
        assertThat(t.flags()).as("0x00000000 there is thread_info flags, not PF_*").isNull();
        assertThat(functions(t)).containsExactly("generic_block_bmap", "io_schedule", "sleep_on_buffer",
                "__wait_on_bit", "generic_block_bmap", "out_of_line_wait_on_bit");
        assertThat(t.frames().get(0).unreliable()).isTrue();
        assertThat(t.frames().get(1).unreliable()).isFalse();
        assertThat(t.source()).isEqualTo("hung-3.13-jbd2.txt:1");
        assertThat(e.formats()).contains("hung-task report");
        assertThat(e.tasks()).hasSize(1);
    }

    @Test
    void headerlessFramesBecomeAnAnonymousTaskAndThePcColumnTaskLineIsRead() throws Exception {
        Evidence e = parseFixture("hung-4.5-pc-column.txt");
        Task anon = onlyAnonymous(e);
        assertThat(anon.frames()).hasSize(11);
        assertThat(anon.frames()).allMatch(Frame::unreliable);
        assertThat(anon.frames().get(3).module()).isEqualTo("ext4");
        Task t = e.taskOrNull(22274);
        assertThat(t.comm()).isEqualTo("jbd2/dm-2-8");
        assertThat(t.frames()).as("the stack was cut after Call Trace:").isEmpty();
        assertThat(t.blockedSeconds()).isEqualTo(120L);
    }

    @Test
    void hungTask418CommWithSpaceAndModules() throws Exception {
        Evidence e = parseFixture("hung-4.18-el8.txt");
        Task t = e.taskOrNull(15341);
        assertThat(t.comm()).isEqualTo("FwgThread OpFor");
        assertThat(t.ppid()).isEqualTo(15184);
        assertThat(t.frames()).hasSize(12);
        assertThat(t.frames().get(0).function()).isEqualTo("__schedule");
        assertThat(t.frames().get(3).module()).isEqualTo("jbd2");
        assertThat(t.frames().get(4).unreliable()).isTrue();
        assertThat(e.tasks()).as("register lines before the header make no task").hasSize(1);
    }

    @Test
    void sysrqStyleTaskLineWithWorkqueueLine() throws Exception {
        Evidence e = parseFixture("hung-4.9-workqueue.txt");
        Task t = e.taskOrNull(2904);
        assertThat(t.comm()).isEqualTo("kworker/0:0");
        // the stack stops at schedule_timeout: the Workqueue line's function ends it (the work that runs)
        assertThat(functions(t)).containsExactly("__schedule", "kblockd_schedule_work_on", "schedule",
                "schedule_timeout", "do_work");
        assertThat(e.formats()).contains("sysrq-t");
    }

    @Test
    void taskFormatOf519WithTaskMarkersAndBuildIds() throws Exception {
        Evidence e = parseFixture("hung-5.19-task-markers.txt");
        Task t = e.taskOrNull(190);
        assertThat(t.comm()).isEqualTo("jbd2/sda1-8");
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(t.ppid()).isEqualTo(2);
        assertThat(t.frames()).hasSize(14);
        assertThat(t.frames().get(3).function()).isEqualTo("jbd2_journal_wait_updates");
        assertThat(t.frames().get(3).module()).isEqualTo("jbd2");
        assertThat(t.frames()).allMatch(f -> f.context() == StackContext.TASK);
        assertThat(e.formats()).containsExactly("hung-task report");
        // bare 4.x+ frames with neither header nor "Call Trace:" before them are too weak to make a task
        assertThat(e.tasks()).hasSize(1);
    }

    @Test
    void newestTaskLineWithTgidAndTaskFlags() throws Exception {
        Evidence e = parseFixture("hung-6.18-task-flags.txt");
        Task t = e.taskOrNull(1520);
        assertThat(t.comm()).isEqualTo("kworker/4:2");
        assertThat(t.tgid()).isEqualTo(1520);
        assertThat(t.ppid()).isEqualTo(2);
        assertThat(t.flags()).isEqualTo(0x4288060L);
        assertThat(t.isKernelThread()).isTrue();
        assertThat(t.blockedSeconds()).isEqualTo(360L);
        assertThat(t.frames()).hasSize(16);
        assertThat(t.frames().get(3).function()).isEqualTo("usb_kill_urb");
        assertThat(e.taskOrNull(1)).as("the mutex-owner hint line is not a task block").isNull();
    }

    @Test
    void runningTaskWithInlineFramesAndInterleavedRegisters() throws Exception {
        Evidence e = parseFixture("syzbot-running-inline.txt");
        Task t = e.taskOrNull(49);
        assertThat(t.state()).isEqualTo(TaskState.RUNNING);
        assertThat(t.tgid()).isEqualTo(49);
        assertThat(functions(t)).containsExactly("context_switch", "__schedule", "preempt_schedule_irq",
                "irqentry_exit", "asm_sysvec_apic_timer_interrupt", "wb_workfn");
        assertThat(e.formats()).containsExactly("sysrq-t");
    }

    @Test
    void sysrqW3xWithColumnHeader() throws Exception {
        Evidence e = parseFixture("sysrq-w-3.x-header.txt");
        Task t = e.taskOrNull(3937);
        assertThat(t.comm()).isEqualTo("compute2-f1_3");
        assertThat(t.frames()).hasSize(5);
        assertThat(e.formats()).containsExactly("sysrq-t");
        assertThat(e.tasks()).hasSize(1);
    }

    @Test
    void arm32BacktraceFrames() throws Exception {
        Evidence e = parseFixture("arm32-backtrace.txt");
        Task t = e.taskOrNull(28445);
        assertThat(t.comm()).isEqualTo("TaskSchedulerFo");
        assertThat(functions(t)).containsExactly("__schedule", "schedule");
    }

    @Test
    void irqAndNmiMarkersGiveFramesTheirContext() {
        String text = String.join("\n",
                "CPU: 3 PID: 1234 Comm: stress Not tainted 5.15.0 #1",
                "Hardware name: QEMU Standard PC",
                "RIP: 0010:native_queued_spin_lock_slowpath+0x5d/0x1c0",
                "Code: 6d f0 0f ba 2f 08 0f 82 0e 01 00 00",
                "RSP: 0018:ffffb3a1c0003e70 EFLAGS: 00000002",
                "Call Trace:",
                " <NMI>",
                " nmi_cpu_backtrace+0xd9/0x100",
                " </NMI>",
                " <IRQ>",
                " _raw_spin_lock+0x1e/0x30",
                " sched_cfs_period_timer+0x8c/0x1c0",
                " </IRQ>",
                " <TASK>",
                " do_idle+0x20e/0x2b0",
                " </TASK>",
                " some_late_line+0x1/0x2");
        Evidence e = parse(text, "t");
        Task t = e.taskOrNull(1234);
        assertThat(t.comm()).isEqualTo("stress");
        assertThat(t.cpu()).isEqualTo(3);
        assertThat(t.frames()).extracting(Frame::context).containsExactly(StackContext.NMI, StackContext.IRQ,
                StackContext.IRQ, StackContext.TASK);
        assertThat(e.tasks()).hasSize(1);
    }

    @Test
    void old310IrqMarkersOnTheFrameLine() {
        String text = String.join("\n",
                "jbd2/dm-16-8    D ffff88103fc13680     0  1033      2 0x00000000",
                "Call Trace:",
                " <IRQ>  [<ffffffff810b4d72>] __hrtimer_run_queues+0xd2/0x260",
                " [<ffffffff810b5310>] hrtimer_interrupt+0xb0/0x1e0",
                " <EOI>  [<ffffffff8163a909>] schedule+0x29/0x70",
                " [<ffffffffa01fd0f8>] jbd2_journal_commit_transaction+0x248/0x19a0 [jbd2]");
        Task t = parse(text, "t").taskOrNull(1033);
        assertThat(t.frames()).extracting(Frame::context).containsExactly(StackContext.IRQ, StackContext.IRQ,
                StackContext.TASK, StackContext.TASK);
        assertThat(t.frames().get(3).module()).isEqualTo("jbd2");
    }

    @Test
    void seed000ProcStackAndCrashBt() throws Exception {
        Evidence e = parseFixture("seed000-proc-stack.txt");
        Task anon = onlyAnonymous(e);
        assertThat(anon.frames()).hasSize(24);
        assertThat(anon.frames().get(0).function()).isEqualTo("wait_iff_congested");
        assertThat(anon.frames().get(8).module()).isEqualTo("ext4");
        assertThat(anon.hasFrame("0xffffffffffffffff")).isFalse();
        assertThat(e.formats()).containsExactly("/proc stack");

        Evidence c = parseFixture("seed000-crash-bt.txt");
        Task runc = c.taskOrNull(112272);
        assertThat(runc.comm()).isEqualTo("runc:[2:INIT]");
        assertThat(runc.cpu()).isEqualTo(21);
        assertThat(runc.frames()).hasSize(20);
        assertThat(runc.hasFrame("try_to_free_mem_cgroup_pages")).isTrue();
        assertThat(c.formats()).containsExactly("crash bt");
    }

    @Test
    void seed001CrashSession() throws Exception {
        Evidence e = parseFixture("seed001-crash-session.txt");
        Task jbd2 = e.taskOrNull(587);
        assertThat(jbd2.comm()).isEqualTo("jbd2/md127-8");
        assertThat(jbd2.state()).as("from `crash> set 587`").isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(functions(jbd2)).containsExactly("__schedule", "schedule", "jbd2_journal_commit_transaction",
                "kjournald2", "kthread");
        assertThat(jbd2.frames().get(2).module()).isEqualTo("jbd2");

        Task holder = e.taskOrNull(27225);
        assertThat(holder.journalInfo()).isEqualTo(0xffff9f53fa89bb70L);
        assertThat(holder.state()).isEqualTo(TaskState.RUNNING);
        assertThat(holder.active()).isNull();
        assertThat(holder.rssKb()).isEqualTo(38800L);
        assertThat(holder.hasFrame("free_more_memory")).isTrue();
        assertThat(holder.frames()).hasSize(18);

        Task victim = e.taskOrNull(27153);
        assertThat(victim.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(victim.rssKb()).isEqualTo(499188L);
        assertThat(victim.hasFrame("jbd2_log_wait_commit")).isTrue();

        Task loop = e.taskOrNull(906);
        assertThat(loop.frames()).hasSize(19);
        assertThat(loop.frames().get(15).module()).isEqualTo("loop");

        Task awkRow = e.taskOrNull(27189);
        assertThat(awkRow.state()).isEqualTo(TaskState.SLEEPING);
        assertThat(awkRow.rssKb()).as("the awk-edited row has MB, not KB").isNull();

        assertThat(e.tasks()).allMatch(t -> t.pid() > 0);
        assertThat(e.formats()).contains("crash bt", "crash ps", "crash task");
    }

    @Test
    void seed003ProcPasteWithStatusAndThreadList() throws Exception {
        Evidence e = parseFixture("seed003-proc.txt");
        Task init = e.taskOrNull(1528591);
        assertThat(functions(init)).containsExactly("do_wait", "kernel_wait4", "zap_pid_ns_processes", "do_exit",
                "do_group_exit", "__x64_sys_exit_group", "do_syscall_64", "entry_SYSCALL_64_after_hwframe");
        Task thread = e.taskOrNull(1544574);
        assertThat(thread.frames()).hasSize(13);
        assertThat(thread.frames().get(0).function()).isEqualTo("request_wait_answer");
        assertThat(thread.hasFrame("put_files_struct")).isTrue();
        assertThat(thread.shdPnd()).isEqualTo(0x100L);
        assertThat(thread.sigPnd()).isEqualTo(0L);
        assertThat(thread.killPending()).isTrue();
        assertThat(thread.tgid()).isEqualTo(1544450);
        assertThat(e.taskOrNull(1544450).tgid()).isEqualTo(1544450);
        assertThat(e.formats()).contains("/proc stack", "/proc status");
    }

    @Test
    void seed004AnonymousCrashBtInIrqContext() throws Exception {
        Evidence e = parseFixture("seed004-crash-nmi.txt");
        Task t = onlyAnonymous(e);
        assertThat(t.comm()).isNull();
        assertThat(functions(t)).containsExactly("tg_unthrottle_up", "walk_tg_tree_from", "unthrottle_cfs_rq",
                "distribute_cfs_runtime", "sched_cfs_period_timer", "__hrtimer_run_queues", "hrtimer_interrupt",
                "local_apic_timer_interrupt", "smp_apic_timer_interrupt", "apic_timer_interrupt");
        assertThat(t.frames()).allMatch(f -> f.context() == StackContext.IRQ);
        assertThat(e.formats()).containsExactly("crash bt");
    }

    @Test
    void crashHelpExamplesPsPsmAndBtWithNmi() throws Exception {
        Evidence e = parseFixture("crash-help-examples.txt");
        Task nfsd = e.taskOrNull(460);
        assertThat(nfsd.comm()).isEqualTo("nfsd");
        assertThat(nfsd.state()).isEqualTo(TaskState.SLEEPING);
        assertThat(nfsd.rssKb()).isEqualTo(0L);
        assertThat(e.taskOrNull(688).comm()).isEqualTo("bash");
        Task flush = e.taskOrNull(272);
        assertThat(flush.lastRunNanos()).isEqualTo(1_404_000_000L);
        assertThat(flush.comm()).isEqualTo("flush-8:0");
        assertThat(e.taskOrNull(1205).state()).isEqualTo(TaskState.RUNNING);

        Task swapper = e.tasks().stream().filter(t -> "swapper".equals(t.comm())).findFirst().orElseThrow();
        assertThat(swapper.pid()).as("pid 0 is every CPU's idle task").isNegative();
        assertThat(functions(swapper)).containsExactly("crash_nmi_callback", "notifier_call_chain",
                "atomic_notifier_call_chain", "notify_die", "do_nmi", "nmi", "native_safe_halt", "default_idle",
                "cpu_idle");
        assertThat(swapper.frames().subList(0, 6)).allMatch(f -> f.context() == StackContext.NMI);
        assertThat(swapper.frames().subList(6, 9)).allMatch(f -> f.context() == StackContext.TASK);
        assertThat(functions(e.taskOrNull(38))).endsWith("kernel_thread");
        assertThat(functions(e.taskOrNull(1018))).contains("stext_lock");
    }

    @Test
    void truncatedStackAtEndOfFileStillYieldsItsTask() {
        Evidence e = parse(String.join("\n",
                "INFO: task kworker/u8:1:12 blocked for more than 122 seconds.",
                "task:kworker/u8:1    state:D stack:0     pid:12    tgid:12    ppid:2      task_flags:0x4208060 flags:0x00004000",
                "Call Trace:",
                " <TASK>",
                " __schedule+0x3d6/0x8b0"), "t");
        Task t = e.taskOrNull(12);
        assertThat(t.frames()).hasSize(1);
        assertThat(t.blockedSeconds()).isEqualTo(122L);
        assertThat(t.tgid()).isEqualTo(12);

        Evidence onlyHeader = parse("INFO: task mysqld:4242 blocked for more than 600 seconds.", "t");
        assertThat(onlyHeader.taskOrNull(4242).comm()).isEqualTo("mysqld");
        assertThat(onlyHeader.taskOrNull(4242).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
    }

    @Test
    void aTaskLineWhoseFlagsTailWentToItsOwnLineKeepsItsStack() {
        // corpus zg-007 (linux-mm, s390 6.16-rc, quoted in a reply): the task_flags/flags tail on a line of its own
        Evidence e = parse(String.join("\n",
                "task:fallocate_stres state:D stack:0     pid:5106  tgid:5106  ppid:5103",
                "task_flags:0x400000 flags:0x00000001",
                "Call Trace:",
                " [<00000255adc646f0>] __schedule+0x370/0x7f0",
                " [<00000255adc64bb0>] schedule+0x40/0xc0",
                "task:fallocate_stres state:D stack:0     pid:5109  tgid:5106  ppid:5103",
                "task_flags:0x400040 flags:0x00000001",
                "Call Trace:",
                " [<00000255adc646f0>] __schedule+0x370/0x7f0"), "t");
        assertThat(functions(e.taskOrNull(5106))).containsExactly("__schedule", "schedule");
        assertThat(e.taskOrNull(5106).flags()).isEqualTo(0x400000L);
        assertThat(e.taskOrNull(5109).flags()).isEqualTo(0x400040L);
        assertThat(functions(e.taskOrNull(5109))).containsExactly("__schedule");
        assertThat(e.tasks()).hasSize(2);
    }

    @Test
    void powerpcInterruptLineNamesTheInterruptedFunctionAsAFrame() {
        // corpus zg-005 (linuxppc-dev, ppc64le hash MMU, pmem hotplug, quoted): the timer interrupt's frames, then the
        // function it stopped, then that function's callers
        Evidence e = parse(String.join("\n",
                "CPU: 3 PID: 3870 Comm: ndctl Not tainted 5.3.0-197.18-default+ #2",
                "Call Trace:",
                " [c0000000692b34b0] [c00000000002c128] timer_interrupt+0x108/0x2f0",
                " [c0000000692b3510] [c000000000009194] decrementer_common+0x114/0x120",
                " --- interrupt: 901 at arch_add_memory+0xc0/0x130",
                "     LR = arch_add_memory+0x74/0x130",
                " [c0000000692b38b0] [c0000000004646b4] memremap_pages+0x494/0x650",
                " [c0000000692b3960] [c0000000004648ac] devm_memremap_pages+0x3c/0xa0"), "t");
        assertThat(functions(e.taskOrNull(3870))).containsExactly("timer_interrupt", "decrementer_common",
                "arch_add_memory", "memremap_pages", "devm_memremap_pages");
        // a system call's entry names a user address: no frame (corpus a-084, linuxppc xfs umount)
        Evidence u = parse(String.join("\n",
                "CPU: 3 PID: 3870 Comm: ndctl Not tainted 5.3.0-197.18-default+ #2",
                "Call Trace:",
                " [c0000000692b3510] [c000000000009194] decrementer_common+0x114/0x120",
                " --- interrupt: 3000 at 0x7fffaed4c11c"), "t");
        assertThat(functions(u.taskOrNull(3870))).containsExactly("decrementer_common");
    }

    @Test
    void garbageBetweenBlocksDoesNotAttachFramesToTheWrongTask() {
        Evidence e = parse(String.join("\n",
                "task:a               state:D stack:0     pid:100   ppid:1      flags:0x00004000",
                "Call Trace:",
                " schedule+0x5e/0xd0",
                "systemd[1]: Started Session 42 of user root.",
                " io_schedule+0x12/0x40",
                "task:b               state:D stack:0     pid:200   ppid:1      flags:0x00004000",
                "Call Trace:",
                " mutex_lock+0x1/0x2"), "t");
        assertThat(functions(e.taskOrNull(100))).containsExactly("schedule");
        assertThat(functions(e.taskOrNull(200))).containsExactly("mutex_lock");
        assertThat(e.tasks().stream().filter(t -> t.pid() < 0).count()).as("a lone bare frame is no task").isZero();
    }

    @Test
    void tenThousandTasksInOneSysrqDump() throws Exception {
        String block = TraceFixtures.load("hung-4.9-workqueue.txt");
        StringBuilder sb = new StringBuilder("[ 2417.800000] sysrq: Show State\n");
        for (int i = 0; i < 10_000; i++) {
            sb.append(block.replace("  2904      2 ", String.format(" %6d      2 ", 10_000 + i)));
        }
        Evidence e = parse(sb.toString(), "big");
        assertThat(e.tasks()).hasSize(10_000);
        assertThat(e.taskOrNull(19_999).frames()).hasSize(5);
    }

    @Test
    void readsThe2618TaskLineWithItsTlbMarkAndColonModuleFrames() throws Exception {
        // Red Hat knowledge base: RHEL 5.6 hung jbd2 thread, from crash's log
        String text = String.join("\n",
                "INFO: task jbd2/dm-9-8:762 blocked for more than 120 seconds.",
                "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                "jbd2/dm-9-8   D ffff81043e0a1420     0   762    585           763   748 (L-TLB)",
                " ffff81041daa7d60 0000000000000046 ffff81041daa7d00 ffffffff8008cf5f",
                "Call Trace:",
                " [<ffffffff8008cf5f>] find_busiest_group+0x20d/0x621",
                " [<ffffffff88582f6d>] :jbd2:jbd2_journal_commit_transaction+0x191/0x1068",
                " [<ffffffff88586f7c>] :jbd2:kjournald2+0x9a/0x1ec", "");
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x");
        Task t = e.taskOrNull(762);
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(t.ppid()).isEqualTo(585);
        assertThat(functions(t)).containsExactly("find_busiest_group", "jbd2_journal_commit_transaction", "kjournald2");
        assertThat(TaskLineParser.parseOld("kjournald    S ffff81043e0a1420     0   762    585 (NOTLB)")).isNotNull();
        assertThat(TaskLineParser.parseOld("some text that ends in (L-TLB)")).isNull();
        // the cheap test wants the whole mark: a boot line of every x86 log ends in "TLB)" as well
        assertThat(TaskLineParser.endsLikeOldTaskLine("PCI-DMA: Using software bounce buffering for IO (SWIOTLB)")).isFalse();
        assertThat(TaskLineParser.endsLikeOldTaskLine("kjournald    S ffff81043e0a1420     0   762    585 (NOTLB)")).isTrue();
        // i386 on 2.6.20 printed the saved PC in capitals (lore: a reiser4 umount in SysRq-W)
        assertThat(TaskLineParser.parseOld("umount        D C013135E  6044  1168   1150                     (NOTLB)"))
                .isNotNull();
        // 2.6.0 printed no free-stack count (corpus u-024, LKML 2003: SysRq-T of a mkfs that never completes)
        Task mkfs = TaskLineParser.parseOld("mkfs.ext2     D 00000000 16474  16431                     (NOTLB)");
        assertThat(mkfs.pid()).isEqualTo(16474);
        assertThat(mkfs.ppid()).isEqualTo(16431);
        assertThat(mkfs.comm()).isEqualTo("mkfs.ext2");
    }

    @Test
    void aTaskLineWhosePaddingWasTakenOut() {
        // corpus z-007 (linux-scsi: a patch's example, the owner's task line with its spaces taken out)
        Task t = TaskLineParser.parseNew("task:kworker/u4:1state:D stack:0 pid:11ppid:2  flags:0x00004000");
        assertThat(t.pid()).isEqualTo(11);
        assertThat(t.ppid()).isEqualTo(2);
        assertThat(t.comm()).isEqualTo("kworker/u4:1");
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        // the kernel's own " state:" wins over a name that holds the glued words
        Task named = TaskLineParser.parseNew("task:xstate:R        state:D stack:0     pid:42    ppid:1      flags:0x00004000");
        assertThat(named.comm()).isEqualTo("xstate:R");
        assertThat(named.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(TaskLineParser.parseNew("task:state:D pid:1")).isNull();
    }

    @Test
    void aTaskLineCutAfterItsStateIsTheHungHeadersTask() throws Exception {
        // corpus v-022 (netdev: an Open vSwitch test suite's modprobe, the task line cut after "state:D")
        String text = String.join("\n",
                "  INFO: task modprobe:11787 blocked for more than 1228 seconds.",
                "        Not tainted 5.19.0-rc2 #8",
                "  task:modprobe     state:D",
                "  Call Trace:",
                "   <TASK>",
                "   __schedule+0x8aa/0x21d0",
                "   schedule+0xcc/0x200",
                "   rwsem_down_write_slowpath+0x8e4/0x1580",
                "   down_write+0xfc/0x140",
                "   register_pernet_subsys+0x15/0x40", "");
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x");
        assertThat(e.tasks()).extracting(Task::pid).containsExactly(11787);
        assertThat(functions(e.taskOrNull(11787))).contains("rwsem_down_write_slowpath", "register_pernet_subsys");
        // another task's name is another task's line
        assertThat(TaskLineParser.parseNewCut("task:modprobe     state:D").comm()).isEqualTo("modprobe");
        assertThat(TaskLineParser.parseNewCut("task:modprobe     state:Dx")).isNull();
    }

    @Test
    void goesThroughTheEvidenceReaderWithPrefixFreeText() throws Exception {
        String text = "crash> bt 27153\n" + "PID: 27153  TASK: ffff9f53fc35a0e0  CPU: 5   COMMAND: \"ext4-repro-with-write\"\n"
                + " #0 [ffff9f526e04fd70] __schedule at ffffffffb139e420\n"
                + " #2 [ffff9f526e04fe18] jbd2_log_wait_commit at ffffffffc02054a5 [jbd2]\n";
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x");
        assertThat(functions(e.taskOrNull(27153))).containsExactly("__schedule", "jbd2_log_wait_commit");
        assertThat(e.taskOrNull(27153).source()).isEqualTo("x:2");
    }

    @Test
    void neverThrowsOnHostileLines() {
        String[] lines = {"[<", "[<>]", "#", "#9 [", "#9 [x] at", "task:", "task:x state:", "INFO: task :",
            "INFO: task a:99999999999 blocked for more than x seconds.", "CPU: PID: Comm:", "PID:", "PID: x TASK:",
            "/proc/", "/proc/1/", "/proc/99999999999/stack", "cat /proc/1/stack", "[<0>] ", "<", "<>", "</",
            "--- <", "[exception RIP: ]", "[ 0 00:00] [UN]", ">", "- ", "0 0 0 0 0 0 0 0 0",
            "1 1 1 ffffffff UN x y z", "journal_info = 0x", "Name:", "x                0x00000000",
            "a b c d D 0 1 2 0x00000000", "goroutine x [", "goroutine 1 []:", "\u0000\uFFFD"};
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n').append("crash> task 1\n").append(l).append('\n');
        }
        parse(sb.toString(), "t");
    }
    @Test
    void perfReportCallGraphGivesTheHeaviestChainInnermostFirst() throws Exception {
        String text = TraceFixtures.load("perf-report-callgraph-pblk.txt");
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "p");
        assertThat(e.formats()).contains("perf report callgraph");
        List<Task> tasks = e.tasks().stream().filter(t -> "pblk-writer-t".equals(t.comm()))
                .collect(Collectors.toList());
        assertThat(tasks).hasSize(1);
        // the 2.50% sibling lock_is_held_type is off the heaviest path; kthread is the caller-graph root
        assertThat(functions(tasks.get(0))).containsExactly("_raw_spin_unlock_irq", "__sched_text_start",
                "schedule", "io_schedule", "pblk_line_replace_data", "pblk_map_page_data", "pblk_map_rq",
                "pblk_write_ts", "kthread");
        Task fio = e.tasks().stream().filter(t -> "fio".equals(t.comm())).findFirst().orElseThrow();
        assertThat(functions(fio)).startsWith("__generic_file_write_", "blkdev_write_iter", "aio_write")
                .endsWith("entry_SYSCALL_64_fastpath");
    }

    @Test
    void perfReportWithoutCallGraphMakesNoTask() {
        Evidence e = parse("    49.87%     0.00%  pblk-writer-t  [kernel.kallsyms]   [k] kthread\n"
                + "    48.29%     0.00%  fio            [kernel.kallsyms]   [k] entry_SYSCALL_64_fastpath\n", "p");
        assertThat(e.tasks()).isEmpty();
    }

    /** perf report's histogram without overhead columns, as in a linux-fsdevel report of io_uring workers in uffd. */
    private static final String PERF_ROWS = "iou-wrk-44588  [kernel.kallsyms]  [k] ret_from_fork_asm\n"
            + "iou-wrk-44588  [kernel.kallsyms]  [k] ret_from_fork\n"
            + "iou-wrk-44588  [kernel.kallsyms]  [k] io_wq_worker\n"
            + "iou-wrk-44588  [kernel.kallsyms]  [k] hugetlb_handle_userfault\n"
            + "iou-wrk-44588  [kernel.kallsyms]  [k] handle_userfault\n"
            + "iou-wrk-44588  [kernel.kallsyms]  [k] schedule\n"
            + "iou-wrk-44588  [kernel.kallsyms]  [k] io_wq_worker_sleeping\n";

    @Test
    void perfReportRowsWithoutOverheadColumnsFromAnEntryPointAreOneSampledStack() {
        Evidence e = parse(PERF_ROWS, "p");
        assertThat(e.tasks()).hasSize(1);
        Task t = e.tasks().iterator().next();
        assertThat(t.comm()).isEqualTo("iou-wrk-44588");
        assertThat(t.sampled()).isTrue();
        assertThat(functions(t)).containsExactly("io_wq_worker_sleeping", "schedule", "handle_userfault",
                "hugetlb_handle_userfault", "io_wq_worker", "ret_from_fork", "ret_from_fork_asm");
    }

    @Test
    void perfReportRowsCollapsedIntoOneLineAfterProseReadTheSame() throws Exception {
        String line = "Each thread's appears as follows: " + PERF_ROWS.replace("\n", " ").replace("  ", " ")
                + "I tracked the code";
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), "p");
        Task t = e.tasks().stream().filter(x -> "iou-wrk-44588".equals(x.comm())).findFirst().orElseThrow();
        assertThat(functions(t)).startsWith("io_wq_worker_sleeping", "schedule", "handle_userfault")
                .endsWith("ret_from_fork_asm").hasSize(7);
    }

    @Test
    void perfReportRowsThatStartNowhereNearAnEntryPointMakeNoTask() {
        // sorted by self overhead, the rows are hot spots, not a chain
        Evidence e = parse("swapper  [kernel.kallsyms]  [k] intel_idle\n"
                + "swapper  [kernel.kallsyms]  [k] cpuidle_enter_state\n", "p");
        assertThat(e.tasks()).isEmpty();
    }

    @Test
    void perfScriptSampleIsASampledStackInnermostFirst() throws Exception {
        Evidence e = parseFixture("perf-script-merged-callchain.txt");
        assertThat(e.formats()).contains("perf script");
        Task pwd = e.tasks().stream().filter(t -> "pwd".equals(t.comm())).findFirst().orElseThrow();
        assertThat(pwd.sampled()).isTrue();
        assertThat(functions(pwd)).startsWith("__build_id_parse.isra.0", "perf_event_mmap", "mprotect_fixup")
                .contains("entry_SYSCALL_64_after_hwframe").endsWith("_dl_start_user").hasSize(10);
    }

    @Test
    void linesEndingInAColonThatAreNoSampleHeaderOpenNothing() {
        Evidence e = parse("Modules linked in:\nCPU: 3 PID: 1 Comm: x Not tainted 1.2.3 #1:\nfoo 12 bar:\n", "p");
        assertThat(e.formats()).doesNotContain("perf script");
    }

    @Test
    void tabularStackRowsGroupByPid() throws Exception {
        Evidence e = parseFixture("tabular-stacks-al2023.txt");
        assertThat(e.formats()).contains("tabular stacks");
        Task clock = e.taskOrNull(3830);
        assertThat(clock.comm()).isEqualTo("monkey: clock");
        assertThat(functions(clock)).startsWith("__schedule", "enqueue_hrtimer", "schedule", "do_nanosleep")
                .endsWith("entry_SYSCALL_64_after_hwframe").hasSize(10);
        assertThat(functions(e.taskOrNull(3831))).startsWith("__schedule", "schedule");
        assertThat(e.taskOrNull(3827)).isNotNull();
    }

    @Test
    void crashPsRowsWhoseCommWrappedKeepTheirNameAndAMarkDoesNotCutTheStack() throws Exception {
        Evidence e = parseFixture("crash-ps-wrapped-comm-ppc64.txt");
        assertThat(e.taskOrNull(215).comm()).isEqualTo("kworker/0:2");
        assertThat(e.taskOrNull(32423).comm()).isEqualTo("kworker/26:3");
        assertThat(e.taskOrNull(2196).comm()).isEqualTo("wickedd");
        assertThat(e.tasks().stream().filter(t -> t.state() == TaskState.UNINTERRUPTIBLE).count()).isEqualTo(13);
        Task eehd = e.taskOrNull(213);
        assertThat(functions(eehd)).contains("napi_disable", "bnx2x_netif_stop", "eeh_handle_normal_event");
        assertThat(e.tasks().stream().filter(t -> t.pid() < 0)).as("no stray anonymous stack").isEmpty();
    }

    @Test
    void crashBtLSourceLineCutInsideItsPathStaysInTheStack() {
        // bt -l prints "    %s\n" of get_line_number (path: line) under each frame; a mailer cut one at its path
        Evidence e = parse("PID: 587    TASK: ffff8803f2a4d080  CPU: 3   COMMAND: \"jbd2/sda1-8\"\n"
                + " #0 [ffff8803f2b0bc60] __schedule at ffffffff816a8f65\n"
                + "    /usr/src/debug/kernel-3.10.0-693.el7/linux-3.10.0-693.el7.x86_64/\n"
                + "kernel/sched/core.c: 3527\n"
                + " #1 [ffff8803f2b0bcc8] schedule at ffffffff816a94e9\n"
                + "    /usr/src/debug/kernel-3.10.0-693.el7/linux-3.10.0-693.el7.x86_64/kernel/sched/core.c: 3566\n"
                + " #2 [ffff8803f2b0bcd8] jbd2_journal_commit_transaction at ffffffffc01c0d7c [jbd2]\n", "t");
        assertThat(functions(e.taskOrNull(587))).containsExactly("__schedule", "schedule",
                "jbd2_journal_commit_transaction");
    }

    @Test
    void psAuxTableReadByItsHeaderMakesEachRowATaskAndAStackBelowKeepsItsPid() throws Exception {
        Evidence e = parseFixture("ps-aux-d-tasks-enhanceio.txt");
        assertThat(e.formats()).contains("ps");
        Task clean = e.taskOrNull(2787);
        assertThat(clean.comm()).as("a kernel thread's args are its name in brackets").isEqualTo("eio_clean_threa");
        assertThat(clean.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(functions(clean)).as("its /proc stack, pasted under the table")
                .startsWith("call_rwsem_down_write_failed", "eio_clean_set");
        assertThat(e.taskOrNull(3514).comm()).isEqualTo("kworker/u48:2");
        assertThat(e.tasks().stream().filter(t -> t.state() == TaskState.UNINTERRUPTIBLE).count()).isEqualTo(6);
        Task grep = e.taskOrNull(8553);
        assertThat(grep.state()).as("S+: sleeping, in the foreground").isEqualTo(TaskState.SLEEPING);
        assertThat(grep.comm()).isEqualTo("grep");
    }

    @Test
    void psWchanColumnIsAOneFrameStackUnlessProcpsCutItToTheColumnWidth() throws Exception {
        Evidence wide = parseFixture("ps-eLo-wchan32-procps4.txt");
        Task rcu = wide.taskOrNull(15);
        assertThat(rcu.wchan()).isEqualTo("rcu_gp_fqs_loop");
        assertThat(functions(rcu)).containsExactly("rcu_gp_fqs_loop");
        assertThat(rcu.comm()).isEqualTo("rcu_preempt");
        assertThat(wide.taskOrNull(4).state()).isEqualTo(TaskState.IDLE);
        assertThat(wide.tasks()).hasSize(11);

        // `ps axl` prints WCHAN six wide: "kthrea" is kthreadd's wait cut short, not a function
        Evidence narrow = parseFixture("ps-axl-procps4.txt");
        Task kthreadd = narrow.taskOrNull(2);
        assertThat(kthreadd.ppid()).isEqualTo(0);
        assertThat(kthreadd.wchan()).isNull();
        assertThat(kthreadd.frames()).isEmpty();
        assertThat(narrow.taskOrNull(13).ppid()).isEqualTo(2);
        assertThat(narrow.tasks()).hasSize(9);
    }

    @Test
    void psThreadColumnNamesTheTaskAndPidItsThreadGroup() {
        Evidence e = parse("  PID   TID STAT WCHAN                            CMD\n"
                + "  812   830 D    request_wait_answer              /usr/bin/sshfs host:/ /mnt\n", "t");
        Task t = e.taskOrNull(830);
        assertThat(t.tgid()).isEqualTo(812);
        assertThat(t.comm()).isEqualTo("sshfs");
        assertThat(functions(t)).containsExactly("request_wait_answer");
    }

    @Test
    void linesThatOnlyLookLikeAPsHeaderOpenNothing() {
        Evidence e = parse("PID controller tuned\nUSER PID is 12 and S is set\n  12 D x\n", "t");
        assertThat(e.tasks()).isEmpty();
    }

    @Test
    void aReplyBetweenAQuotedHungTaskHeaderAndItsCallTraceDoesNotCutTheStackFromItsTask() throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("src/test/resources/pasted/hung-task-reply-between-header-and-trace.txt"))),
                "t");
        Task t = e.taskOrNull(5938);
        assertThat(t.comm()).isEqualTo("kworker/2:1");
        assertThat(t.blockedSeconds()).isEqualTo(120L);
        assertThat(t.workqueue()).isEqualTo("xfs-sync/rbd0");
        assertThat(t.workFunction()).isEqualTo("xfs_log_worker");
        assertThat(functions(t)).startsWith("__schedule", "xlog_sync", "schedule", "_xfs_log_force_lsn")
                .contains("xfs_log_worker");
        assertThat(e.tasks()).as("no stray anonymous stack").hasSize(1);
    }

    @Test
    void aTaskHeaderSetAsideGivesWayToTheNextRecord() {
        // the first task's stack was never pasted: the second task's Call Trace stays the second task's
        Evidence e = parse("INFO: task a:1 blocked for more than 120 seconds.\n\n"
                + "some words\n"
                + "INFO: task b:2 blocked for more than 120 seconds.\n"
                + "Call Trace:\n"
                + " schedule+0x2c/0x80\n", "t");
        assertThat(e.taskOrNull(1).frames()).isEmpty();
        assertThat(functions(e.taskOrNull(2))).containsExactly("schedule");
    }

    @Test
    void workqueueLineOfAnArm64DumpWithAnEmptyWorkqueueName() {
        // kernel/workqueue.c print_worker_info: "Workqueue: %s %ps" with an empty name leaves two spaces
        Evidence e = parse("CPU: 2 PID: 77 Comm: kworker/2:1 Not tainted 6.1.0 #1\n"
                + "Hardware name: linux,dummy-virt (DT)\n"
                + "Workqueue:  vmstat_update\n"
                + "Call trace:\n"
                + " dump_backtrace+0x0/0x1e0\n"
                + " show_stack+0x18/0x28\n", "t");
        Task t = e.taskOrNull(77);
        assertThat(t.workqueue()).isNull();
        assertThat(t.workFunction()).isEqualTo("vmstat_update");
        assertThat(functions(t)).containsExactly("dump_backtrace", "show_stack");
    }

    @Test
    void aWorkqueueLineWhoseHeaderWasCutStillOpensTheKworkersStack() {
        // lore: fuse commit message quoting an arm64 hung kworker from its Workqueue: line on (a-026 of the corpus)
        Evidence e = parse("[ 21.386751] Workqueue: events virtio_fs_requests_done_work\n"
                + "[ 21.386769] Call trace:\n"
                + "[ 21.386770] __switch_to+0xe4/0x140\n"
                + "[ 21.386780] __schedule+0x294/0x72c\n", "t");
        Task t = onlyAnonymous(e);
        assertThat(t.workqueue()).isEqualTo("events");
        assertThat(t.workFunction()).isEqualTo("virtio_fs_requests_done_work");
        assertThat(functions(t)).containsExactly("__switch_to", "__schedule", "virtio_fs_requests_done_work");
    }

    @Test
    void perfScriptSamplesOfOneThreadMakeOneTaskWithTheChainSampledMostOften() throws Exception {
        Evidence e = parseFixture("perf-script-dd-cpu-clock.txt");
        assertThat(e.formats()).contains("perf script");
        assertThat(e.tasks()).as("30 samples of one thread").hasSize(1);
        Task dd = e.taskOrNull(16724);
        assertThat(dd.comm()).isEqualTo("dd");
        assertThat(dd.sampled()).isTrue();
        assertThat(functions(dd)).as("18 of the 30 samples").startsWith("read_zero", "vfs_read", "ksys_read",
                "do_syscall_64");
        assertThat(dd.notes()).as("one sample names no function ([unknown] in dd): it tells nothing")
                .anyMatch(n -> n.startsWith("29 perf samples, 8 distinct call chain(s)"));
    }

    @Test
    void perfScriptSamplesOfTheIdleTaskStayApart() {
        Evidence e = parse("swapper     0 [001] 24036.215611:     250000 cpu-clock:\n"
                + "\tffffffff8224f0b5 pv_native_safe_halt+0x5 ([kernel.kallsyms])\n\n"
                + "swapper     0 [001] 24036.215863:     250000 cpu-clock:\n"
                + "\tffffffff8224f0b5 pv_native_safe_halt+0x5 ([kernel.kallsyms])\n\n", "t");
        assertThat(e.tasks()).hasSize(2).allMatch(t -> t.pid() < 0);
    }

    @Test
    void aBlankLineInsideAStackDoesNotCutOffTheFramesAfterIt() {
        // twitter-archive/bittern issue 44 (3.19): the paste lost a line in the middle of the stack
        Evidence e = parse("[ 2160.266900] dmsetup         D ffff880079d23918     0  2507   2498 0x00000080\n"
                + "[ 2160.297481] Call Trace:\n"
                + "[ 2160.299977]  [<ffffffff814fc37b>] schedule+0x6e/0x70\n"
                + "[ 2160.304974]  [<ffffffff814fe03e>] schedule_timeout+0x26/0xf8\n"
                + "[ 2160.310659]  [<ffffffff8109114f>] ? arch_local_irq_save+0x15/0x1b\n"
                + "[ 2160.316772]  [<ffffffff814fcd14>] __wait_for_common+0xf0/0x12f\n"
                + "\n"
                + "[ 2160.322664]  [<ffffffff814fe018>] ? console_conditional_schedule+0x19/0x19\n"
                + "[ 2160.329749]  [<ffffffff8107e7e7>] ? wake_up_state+0x12/0x12\n", "t");
        assertThat(functions(e.taskOrNull(2507))).endsWith("__wait_for_common", "console_conditional_schedule",
                "wake_up_state");
        assertThat(e.tasks()).as("no stray anonymous stack").hasSize(1);
    }

    @Test
    void afterABlankLineOnlyFramesContinueAStack() {
        Evidence e = parse("[ 2160.297481] Call Trace:\n"
                + "[ 2160.299977]  [<ffffffff814fc37b>] schedule+0x6e/0x70\n"
                + "[ 2160.304974]  [<ffffffff814fe03e>] schedule_timeout+0x26/0xf8\n"
                + "[ 2160.316772]  [<ffffffff814fcd14>] __wait_for_common+0xf0/0x12f\n"
                + "\n"
                + "[ 2160.322664] Call Trace:\n"
                + "[ 2160.329749]  [<ffffffff8107e7e7>] wake_up_state+0x12/0x12\n", "t");
        assertThat(e.tasks()).hasSize(2);
    }

    @Test
    void anElisionLineBetweenADumpHeaderAndItsCallTraceKeepsTheStackWithItsTask() {
        // netdev report quoted in a reply (Hyper-V vsock soft lockup, 5.2): registers left out as "..."
        Evidence e = parse("CPU: 1 PID: 4467 Comm: kworker/1:0 Tainted: G        W         5.2.0+ #39\n"
                + "Workqueue: events vmbus_onmessage_work [hv_vmbus]\n"
                + "RIP: 0010:queued_spin_lock_slowpath+0x2b/0x1e0\n"
                + "...\n"
                + "Call Trace:\n"
                + " do_raw_spin_lock+0xab/0xb0\n"
                + " release_sock+0x19/0xb0\n"
                + " vmbus_onmessage_work+0x1d/0x30 [hv_vmbus]\n", "t");
        Task t = e.taskOrNull(4467);
        assertThat(t.workFunction()).isEqualTo("vmbus_onmessage_work");
        assertThat(functions(t)).contains("do_raw_spin_lock", "release_sock", "vmbus_onmessage_work");
        assertThat(e.tasks()).hasSize(1);
    }

    @Test
    void psAxRowsWithoutTheirHeaderAreReadInProcpsBsdLayoutAndEachStackBelowAOneRowTableIsThatTasks()
            throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("src/test/resources/pasted/ps-ax-rows-and-stacks-quoted.txt"))), "t");
        assertThat(e.tasks()).as("nine D rows").hasSize(9).allMatch(t -> t.state() == TaskState.UNINTERRUPTIBLE);
        assertThat(e.taskOrNull(125431).comm()).isEqualTo("emacs");
        assertThat(e.taskOrNull(125469).comm()).isEqualTo("rcvstore");
        assertThat(functions(e.taskOrNull(1015))).startsWith("md_super_wait", "md_bitmap_daemon_work");
        assertThat(e.taskOrNull(1074).frames()).as("its stack is further down the reply").isEmpty();
    }

    @Test
    void digitLedLinesThatAreNoPsRowStayUnread() {
        Evidence e = parse("1015 ? D 4 seconds later\n2 0:04 D ? x\n1074 pts/1 Q 0:00 y\n", "t");
        assertThat(e.tasks()).isEmpty();
    }

    @Test
    void arm64RegistersBetweenADumpHeaderAndItsCallTraceKeepTheStackWithItsTask() {
        // netdev report of an arm64 soft lockup (__show_regs: pstate, pc, lr, sp, x29..x0)
        Evidence e = parse("CPU: 7 PID: 253305 Comm: netlink_test Kdump: loaded Tainted: G           OE\n"
                + "Hardware name: QEMU KVM Virtual Machine, BIOS 0.0.0 02/06/2015\n"
                + "pstate: 40400005 (nZcv daif +PAN -UAO)\n"
                + "pc : __alloc_skb+0x104/0x1b0\n"
                + "lr : __alloc_skb+0x9c/0x1b0\n"
                + "sp : ffff000033603a30\n"
                + "x29: ffff000033603a30 x28: 00000000000002dd \n"
                + "x9 : ffff000033603d58 x8 : ffff800b34eff400 \n"
                + "x1 : ffff800b34eff2c0 x0 : 0000000000000300 \n"
                + "Call trace:\n"
                + "__alloc_skb+0x104/0x1b0\n"
                + "iscsi_if_rx+0x144/0x12bc [scsi_transport_iscsi]\n", "t");
        assertThat(functions(e.taskOrNull(253305))).containsExactly("__alloc_skb", "iscsi_if_rx");
        assertThat(e.tasks()).hasSize(1);
    }

    @Test
    void arm32ExceptionStackWordsInsideABacktraceDoNotCutIt() {
        // syzbot armv7 report quoted on lore (6.16): dump_mem() rows under "Exception stack(...)"
        Evidence e = parse("task:kworker/1:66    state:R  running task     stack:0     pid:4095  tgid:4095  ppid:2"
                + "      task_flags:0x4208060 flags:0x00000000\n"
                + "Call trace:\n"
                + "[<819bf798>] (preempt_schedule_irq) from [<80200c04>] (svc_preempt+0x8/0x18)\n"
                + "Exception stack(0xdfd61d20 to 0xdfd61d68)\n"
                + "1d20: e929f000 ecfd7000 00000001 80239a78 7f029000 00000001 828b51c4 828b45a0\n"
                + "1d60: 80000013 ffffffff\n"
                + " r5:80000013 r4:80239a90\n"
                + "[<8023094c>] (flush_tlb_kernel_range) from [<804e40e0>] (__purge_vmap_area_lazy+0x284/0x458"
                + " mm/vmalloc.c:2336)\n", "t");
        assertThat(functions(e.taskOrNull(4095))).containsExactly("preempt_schedule_irq", "flush_tlb_kernel_range");
        assertThat(e.tasks()).hasSize(1);
    }

    @Test
    void arm32RegisterLinesBetweenHeaderlessFramesKeepOneStack() {
        // corpus i-018 (syncloud/platform issue 80, 3.14 armv7): the paste starts inside the usb-storage thread's
        // stack; dump_backtrace_stm() prints " rN:%08x" lines after a frame (arch/arm/kernel/traps.c)
        Evidence e = parse(String.join("\n",
                "[  842.865264]  r10:de04200f r8:0000001f r7:0001e000 r6:dc194c40 r5:dccf3c00 r4:dc194c40",
                "[  842.865294] [<c06ab08c>] (usb_stor_bulk_srb) from [<c06ab1f8>] (usb_stor_Bulk_transport+0x120/0x360)",
                "[  842.865301]  r4:de042000",
                "[  842.865318] [<c06ab0d8>] (usb_stor_Bulk_transport) from [<c06aba08>] (usb_stor_invoke_transport+0x3c/0x460)",
                "[  842.865325]  r10:dccf3c28 r8:c0cb8508 r7:c0cb8508 r6:00000000 r5:dc194c40 r4:dccf3c00",
                "[  842.865356] [<c06ab9cc>] (usb_stor_invoke_transport) from [<c06aa948>] "
                        + "(usb_stor_transparent_scsi_command+0x18/0x1c)",
                "[  842.865364]  r10:dccf3c28 r9:00000000 r8:c0cb20c0 r7:c0cb8508 r6:00000000 r5:dccf3ccc",
                "[  842.865385]  r4:dccf3c00",
                "[  842.865402] [<c06aa930>] (usb_stor_transparent_scsi_command) from [<c06ace84>] "
                        + "(usb_stor_control_thread+0x15c/0x258)",
                "[  842.865420] [<c06acd28>] (usb_stor_control_thread) from [<c0068334>] (kthread+0xd4/0xf0)",
                "[  842.865428]  r10:00000000 r8:00000000 r7:c06acd28 r6:dccf3c00 r5:dc183540 r4:00000000",
                "[  842.865464] [<c0068260>] (kthread) from [<c000f698>] (ret_from_fork+0x14/0x20)",
                "[  842.865471]  r7:00000000 r6:00000000 r5:c0068260 r4:dc183540",
                "[  842.865497] INFO: task jbd2/sda1-8:301 blocked for more than 120 seconds.",
                "[  842.872432]       Not tainted 3.14.42-ti-r64 #1"), "t");
        assertThat(functions(onlyAnonymous(e))).containsExactly("usb_stor_bulk_srb", "usb_stor_Bulk_transport",
                "usb_stor_invoke_transport", "usb_stor_transparent_scsi_command", "usb_stor_control_thread", "kthread");
        assertThat(e.taskOrNull(301)).isNotNull();
        assertThat(e.tasks()).hasSize(2);
        assertThat(e.formats()).contains("bare stack").doesNotContain("/proc stack");
    }

    @Test
    void oneHeaderlessArm32FrameIsAStackOfItsOwn() {
        // the arm32 frame shape vouches for itself, as a /proc stack line did before (corpus b-034's first frames)
        Evidence e = parse("[<8079ef70>] (__schedule) from [<8079f5d8>] (schedule+0x50/0xa8)\n", "t");
        assertThat(functions(onlyAnonymous(e))).containsExactly("__schedule");
    }

    @Test
    void aHeaderlessAddressedStackTurnsIntoAKernelDumpAtItsMarkerLine() {
        // corpus h-013 (3.10.108 hard LOCKUP), pasted from inside its NMI stack: "[<addr>] ? fn" lines read like a
        // /proc stack until the "<<EOE>>" marker, which only a kernel dump prints between frames
        Evidence e = parse(String.join("\n",
                "[41152.670285]  [<ffffffff810db7d3>] ? __perf_event_overflow+0x93/0x230",
                "[41152.701594]  [<ffffffff810da612>] ? perf_event_update_userpage+0x12/0xf0",
                "[41152.734834]  [<ffffffff810152a4>] ? intel_pmu_handle_irq+0x1b4/0x340",
                "[41152.766158]  [<ffffffff814a9d06>] ? perf_event_nmi_handler+0x26/0x40",
                "[41152.797370]  [<ffffffff814a944e>] ? do_nmi+0xfe/0x440",
                "[41152.822551]  [<ffffffff814a8a53>] ? end_repeat_nmi+0x1e/0x7e",
                "[41152.849821]  <<EOE>> "), "t");
        assertThat(functions(onlyAnonymous(e))).containsExactly("__perf_event_overflow",
                "perf_event_update_userpage", "intel_pmu_handle_irq", "perf_event_nmi_handler", "do_nmi",
                "end_repeat_nmi");
        assertThat(e.formats()).contains("bare stack").doesNotContain("/proc stack");
    }

    @Test
    void aPastedProcStackIsNotTakenForAKernelDump() {
        // a /proc/PID/stack pasted without its command, then the next report's info lines: two readers, two formats
        Evidence e = parse(String.join("\n",
                "[<0>] __rpc_execute+0x148/0x2e0 [sunrpc]",
                "[<0>] rpc_execute+0x12b/0x150 [sunrpc]",
                "Workqueue: events_freezable_power_ disk_events_workfn",
                "Call Trace:",
                " schedule+0x5e/0xd0"), "t");
        assertThat(e.formats()).contains("/proc stack");
        assertThat(e.tasks()).hasSize(2);
    }

    @Test
    void powerpcExceptionMarkersOfOldKernelsDoNotCutTheStack() {
        // linux-kernel report of an ocfs2 soft lockup on ppc64 (2.6.x show_stack: "--- Exception: %lx at %pS" and
        // "    LR = %pS" between the interrupt frames and the interrupted ones)
        Evidence e = parse(String.join("\n",
                "BUG: soft lockup detected on CPU#0!",
                "Call Trace:",
                "[C00000003795F220] [C000000000011310] .show_stack+0x50/0x1cc (unreliable)",
                "[C00000003795F2D0] [C000000000086100] .softlockup_tick+0xf8/0x120",
                "[C00000003795F380] [C000000000060DA8] .run_local_timers+0x1c/0x30",
                "[C00000003795F400] [C000000000023B28] .timer_interrupt+0x110/0x500",
                "[C00000003795F520] [C0000000000034EC] decrementer_common+0xec/0x100",
                "--- Exception: 901 at ._raw_spin_lock+0x84/0x1a0",
                "    LR = ._spin_lock+0x10/0x24",
                "[C00000003795F810] [C000000000788FC8] init_thread_union+0xfc8/0x4000 (unreliable)",
                "[C00000003795F8B0] [C0000000004A66B8] ._spin_lock+0x10/0x24",
                "[C00000003795F930] [C00000000009EDBC] .unmap_mapping_range+0x88/0x2d4",
                "[C00000003795FA90] [C0000000000967E4] .truncate_inode_pages_range+0x2b8/0x490",
                "[C00000003795FBE0] [D0000000005FA8C0] .ocfs2_data_convert_worker+0x124/0x14c [ocfs2]"), "t");
        Task t = onlyAnonymous(e);
        assertThat(functions(t)).startsWith(".show_stack").endsWith(".ocfs2_data_convert_worker")
                .contains("._spin_lock");
    }

    /** Corpus g-019 (LinuxKI issue 89): `runq -T` then `bt -c 22` of the CPU that lags most, cut after its NMI frame. */
    private static String runqThenBt(String worstLag, String btHeader) {
        return String.join("\n",
                "crash> runq -T",
                "  CPU 58: 0.00 secs",
                "  CPU 36: 0.00 secs",
                "...",
                "  CPU 16: 7.73 secs",
                "   CPU 5: 7.74 secs",
                "  CPU 22: " + worstLag + " secs",
                "```",
                "crash> bt -c 22",
                btHeader,
                " #0 [fffffe0132396e60] crash_nmi_callback at ffffffffa8e6c121");
    }

    private static List<KernelEvent> runqLags(Evidence e) {
        return e.events(dev.hangdoctor.model.KernelEventKind.RUNQ_CLOCK_LAG);
    }

    @Test
    void theCpuWhoseRunqueueClockLagsMostNamesItsTask() {
        String bt = "PID: 2811195  TASK: ff2fe8b786e14600  CPU: 22   COMMAND: \"litespeed\"";
        List<KernelEvent> lags = runqLags(parse(runqThenBt("7.75", bt), "t"));
        assertThat(lags).hasSize(1);
        assertThat(lags.get(0).pid()).isEqualTo(2811195);
        assertThat(lags.get(0).cpu()).isEqualTo(22);
        assertThat(lags.get(0).message()).isEqualTo("CPU 22: 7.75 secs");
    }

    @Test
    void aRunqueueClockLagIsNoEvidenceUnderSecondsOrOnAnIdleOrUnnamedCpu() {
        String bt = "PID: 2811195  TASK: ff2fe8b786e14600  CPU: 22   COMMAND: \"litespeed\"";
        assertThat(runqLags(parse(runqThenBt("0.75", bt), "t"))).as("a lag under five seconds").isEmpty();
        // an idle CPU's clock stops on a tickless kernel: its lag says nothing (crash's header of an idle task)
        String idle = "PID: 0      TASK: ffffffff91e12780  CPU: 22   COMMAND: \"swapper/22\"";
        assertThat(runqLags(parse(runqThenBt("7.75", idle), "t"))).as("the idle task").isEmpty();
        String other = "PID: 2811195  TASK: ff2fe8b786e14600  CPU: 5   COMMAND: \"litespeed\"";
        assertThat(runqLags(parse(runqThenBt("7.75", other), "t"))).as("no bt of that CPU").isEmpty();
    }

    @Test
    void aWaitChannelIsAOneFrameStackOfThatPid() {
        // moby issue 31007: container inits in D, known only by their wait channel
        Evidence e = parse("# cat /proc/123558/wchan ; echo\n"
                + "zap_pid_ns_processes\n"
                + "# cat /proc/126411/wchan ; echo\n"
                + "zap_pid_ns_processes\n", "t");
        assertThat(functions(e.taskOrNull(123558))).containsExactly("zap_pid_ns_processes");
        assertThat(functions(e.taskOrNull(126411))).containsExactly("zap_pid_ns_processes");
        assertThat(e.taskOrNull(123558).state()).isEqualTo(TaskState.UNKNOWN);
        assertThat(e.tasks()).hasSize(2);
        // a man-page style example ("#cat /proc/1/wchan" then "ep_poll"), and the file's missing newline leaving
        // the next prompt on the name's line
        Evidence glued = parse("#cat /proc/1/wchan\nep_poll\n$ cat /proc/2/wchan\nkthreadd$ \n"
                + "# cat /proc/3/wchan\npipe_write# \n", "t");
        assertThat(functions(glued.taskOrNull(1))).containsExactly("ep_poll");
        assertThat(functions(glued.taskOrNull(2))).containsExactly("kthreadd");
        assertThat(functions(glued.taskOrNull(3))).containsExactly("pipe_write");
    }

    @Test
    void wchanOutputThatNamesNoFunctionIsNoTask() {
        // "0": the task runs (or the kernel hides its symbols); prose after the command is no wait channel
        Evidence e = parse("# cat /proc/77/wchan ; echo\n0\n# cat /proc/78/wchan\nthe process is stuck\n"
                + "# cat /proc/79/wchan\nno\n", "t");
        assertThat(e.tasks()).isEmpty();
        assertThat(ProcBlock.wchanName("futex_wait_queue_me")).isEqualTo("futex_wait_queue_me");
        assertThat(ProcBlock.wchanName("do_wait hello")).isNull();
    }

    @Test
    void aBlankLineBetweenCatProcStackAndItsOutputKeepsThePid() {
        // linux-nfs list report (6.x): each "# cat /proc/PID/stack" is followed by a blank line, then the frames
        Evidence e = parse("# cat /proc/3806883/stack\n"
                + "\n"
                + "[<0>] __rpc_execute+0x148/0x2e0 [sunrpc]\n"
                + "[<0>] rpc_execute+0x12b/0x150 [sunrpc]\n"
                + "\n"
                + "# cat /proc/2949346/stack\n"
                + "\n"
                + "[<0>] filemap_fault+0x4b8/0xc50\n", "t");
        assertThat(functions(e.taskOrNull(3806883))).containsExactly("__rpc_execute", "rpc_execute");
        assertThat(functions(e.taskOrNull(2949346))).containsExactly("filemap_fault");
        assertThat(e.tasks()).hasSize(2);
    }

    @Test
    void taskMarkersAWebPageLowerCasedStillFrameTheStack() {
        // netdev report copied from a web page (&gt; entities, "<TASK>" lower-cased as an HTML tag)
        Evidence e = parse("task:ifquery         state:D stack:25008 pid:17951 tgid:17951 ppid:17950"
                + "  task_flags:0x400000 flags:0x000000\n"
                + "Call Trace:\n"
                + " <task>\n"
                + " context_switch kernel/sched/core.c:5378 [inline]\n"
                + " __schedule+0x1074/0x4d30 kernel/sched/core.c:6765\n"
                + " </task>\n", "t");
        assertThat(functions(e.taskOrNull(17951))).containsExactly("context_switch", "__schedule");
        assertThat(e.tasks()).hasSize(1);
    }

    @Test
    void topBatchTaskListIsReadByItsHeaderToo() throws Exception {
        Evidence e = parseFixture("top-batch-procps4.txt");
        assertThat(e.tasks()).hasSize(5);
        Task rcu = e.taskOrNull(15);
        assertThat(rcu.comm()).isEqualTo("rcu_preempt");
        assertThat(rcu.state()).isEqualTo(TaskState.IDLE);
        assertThat(e.taskOrNull(2).comm()).isEqualTo("kthreadd");
    }

    @Test
    void aHeaderSetAsideIsNotGivenTheFramesOfAnotherPaste() {
        // the hung task's own stack was not pasted; the /proc stack after the note names no task
        Evidence e = parse("INFO: task a:1 blocked for more than 120 seconds.\n\n"
                + "and the other one shows:\n"
                + "[<0>] io_schedule+0x12/0x40\n"
                + "[<0>] folio_wait_bit_common+0x13d/0x350\n", "t");
        assertThat(e.taskOrNull(1).frames()).isEmpty();
        assertThat(functions(onlyAnonymous(e))).containsExactly("io_schedule", "folio_wait_bit_common");
    }

    @Test
    void aPerfSampleHeaderWithAnIdTooBigForAnyKernelOpensNothing() {
        Evidence e = parse("dd 99999999999999999999 24036.215611:     250000 cpu-clock:\n"
                + "\tffffffff81d7da97 read_zero+0x77 ([kernel.kallsyms])\n", "t");
        assertThat(e.formats()).doesNotContain("perf script");
    }

    @Test
    void perfSchedSwitchSamplesGiveTheStateTheTaskLeftTheCpuInAndWhereItSleeps() throws Exception {
        Evidence e = parseFixture("perf-script-sched-switch-dd-direct-io.txt");
        assertThat(e.tasks()).as("23 switches of one thread").hasSize(1);
        Task dd = e.taskOrNull(12761);
        assertThat(dd.state()).as("21 of them prev_state=D").isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(functions(dd)).as("20 samples").startsWith("__schedule", "schedule", "schedule_timeout",
                "io_schedule_timeout", "__iomap_dio_rw").contains("ext4_file_write_iter");
        assertThat(dd.sampled()).isTrue();
    }

    @Test
    void aPidOnALineOfItsOwnNamesTheProcStackRightUnderIt() {
        // dm-devel reply (6.5): "===1015===" above each task's stack; a shell loop's bare "echo $pid" the same
        Evidence e = parse("===1015===\n"
                + "[<0>] md_super_wait+0xa2/0xe0\n"
                + "[<0>] md_bitmap_daemon_work+0x183/0x3b0\n"
                + "\n"
                + "1074\n"
                + "[<0>] jbd2_journal_commit_transaction+0x11a6/0x1a20\n"
                + "\n"
                + "------------[ cut here ]------------\n"
                + "[<0>] kjournald2+0xad/0x280\n", "t");
        assertThat(functions(e.taskOrNull(1015))).containsExactly("md_super_wait", "md_bitmap_daemon_work");
        assertThat(functions(e.taskOrNull(1074))).containsExactly("jbd2_journal_commit_transaction");
        assertThat(functions(onlyAnonymous(e))).containsExactly("kjournald2");
    }

    @Test
    void workqueueWordsAreReadWhateverTheSpacingAPasteLeft() {
        Evidence e = parse("[51717.039426] kworker/2:1     D    0  5938      2 0x80000000\n"
                + "[51717.039471] Workqueue:   xfs-sync/rbd0   xfs_log_worker [xfs]\n"
                + "[51717.039472] Call Trace:\n"
                + "[51717.039478]  __schedule+0x24e/0x880\n", "t");
        Task t = e.taskOrNull(5938);
        assertThat(t.workqueue()).isEqualTo("xfs-sync/rbd0");
        assertThat(t.workFunction()).isEqualTo("xfs_log_worker");
    }

    @Test
    void aProcStackPastedAfterABlankLineIsNotTakenForTheRestOfAKernelDump() {
        Evidence e = parse("INFO: task a:1 blocked for more than 120 seconds.\n"
                + "Call Trace:\n"
                + " schedule+0x2c/0x80\n"
                + " io_schedule+0x12/0x40\n"
                + "\n"
                + "[<0>] folio_wait_bit_common+0x13d/0x350\n"
                + "[<0>] filemap_fault+0x4b8/0xc50\n", "t");
        assertThat(functions(e.taskOrNull(1))).containsExactly("schedule", "io_schedule");
        assertThat(functions(onlyAnonymous(e))).containsExactly("folio_wait_bit_common", "filemap_fault");
    }

    private static Evidence read(String text) throws Exception {
        return EvidenceReader.read(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "t");
    }

    @Test
    void aLogLineBetweenTwoFramesDoesNotCutTheStack() throws Exception {
        // corpus l-014 (5.10 on VMware): a SCSI abort printed in the middle of jbd2's trace
        Evidence e = read(String.join("\n",
                "[1984687.769162] INFO: task jbd2/sda3-8:373 blocked for more than 120 seconds.",
                "[1984687.773559] task:jbd2/sda3-8     state:D stack:    0 pid:  373 ppid:     2 flags:0x00004000",
                "[1984687.775158] Call Trace:",
                "[1984687.775679]  __schedule+0x282/0x870",
                "[1984687.776374]  schedule+0x46/0xb0",
                "[1984687.777013]  jbd2_journal_commit_transaction+0x320/0x1ad0",
                "[1984687.777165] sd 0:0:0:0: [sda] tag#114 task abort on host 0, 0000000096d2b2ce",
                "[1984687.778078]  ? sched_clock+0x5/0x10",
                "[1984687.782723]  kjournald2+0xab/0x270",
                "[1984687.784537]  kthread+0x11b/0x140",
                "[1984687.786096]  ret_from_fork+0x22/0x30",
                "[1984687.786808] INFO: task systemd-journal:470 blocked for more than 120 seconds.", ""));
        assertThat(functions(e.taskOrNull(373))).contains("jbd2_journal_commit_transaction", "kjournald2", "kthread");
        assertThat(e.tasks()).hasSize(2);
    }

    @Test
    void framesAfterALineOfAnotherKindOrLongAfterDoNotJoinTheStack() throws Exception {
        Evidence e = read(String.join("\n",
                "[ 100.000001] INFO: task a:1 blocked for more than 120 seconds.",
                "[ 100.000002] Call Trace:",
                "[ 100.000003]  schedule+0x46/0xb0",
                "[ 100.000004]  io_schedule+0x12/0x40",
                "[ 100.000005] sd 0:0:0:0: [sda] tag#114 task abort on host 0, 0000000096d2b2ce",
                "[ 160.000006]  kthread+0x11b/0x140",
                "[ 160.000007]  ret_from_fork+0x22/0x30",
                "[ 160.000008]  ret_from_fork+0x22/0x30", ""));
        assertThat(functions(e.taskOrNull(1))).doesNotContain("kthread");
    }

    @Test
    void aStackDumpedByTheRcuStallCheckIsAStall() {
        // corpus l-025 (arm32, 4.x) without its "All QSes seen" line: sched_show_task called from rcu_check_callbacks
        Evidence e = parse(String.join("\n",
                "[  638.067254] optee_example_n R  running task        0   947    943 0x00000002",
                "[  638.074407] [<8010ffa4>] (unwind_backtrace) from [<8010c1a4>] (show_stack+0x20/0x24)",
                "[  638.082262] [<8010c1a4>] (show_stack) from [<80146a98>] (sched_show_task.part.21+0xb8/0xd4)",
                "[  638.090734] [<80146a98>] (sched_show_task.part.21) from [<8014be1c>] (sched_show_task+0x24/0x28)",
                "[  638.099646] [<8014be1c>] (sched_show_task) from [<80185e8c>] (rcu_check_callbacks+0x9d4/0x9e4)",
                "[  638.108382] [<80185e8c>] (rcu_check_callbacks) from [<8018bf84>] (update_process_times+0x44/0x70)",
                "[  638.117382] [<8018bf84>] (update_process_times) from [<8019e064>] (tick_sched_handle+0x64/0x70)", ""), "t");
        assertThat(e.events(dev.hangdoctor.model.KernelEventKind.RCU_STALL)).hasSize(1);
        // a timer tick's stack through the RCU check with no dump in it is no stall
        Evidence tick = parse(String.join("\n",
                "Call Trace:",
                " <IRQ>",
                " rcu_sched_clock_irq+0x1d4/0x8a0",
                " update_process_times+0x8c/0xc0",
                " tick_sched_handle+0x22/0x60",
                " tick_sched_timer+0x61/0x70", ""), "t");
        assertThat(tick.events(dev.hangdoctor.model.KernelEventKind.RCU_STALL)).isEmpty();
    }

    @Test
    void aStackGoesOnUnderRegistersWhoseCodeLineAWrapCut() {
        // corpus zc-009 (lore CACT4Y+ZSK4DDhsz5gCAUnW49mCJPGcKECqC8yAn=PAA0Tx8D3w@mail.gmail.com): the interrupted
        // task's registers under </IRQ>, their Code: line wrapped by the mailer onto two lines of bytes
        Evidence e = parse(String.join("\n",
                "syz-executor786 R  running task    21544  8437   8433 0x00000000",
                "Call Trace:",
                "  <IRQ>",
                "  hrtimer_interrupt+0x314/0x770 kernel/time/hrtimer.c:1509",
                "  smp_apic_timer_interrupt+0x18d/0x760 arch/x86/kernel/apic/apic.c:1060",
                "  apic_timer_interrupt+0xf/0x20 arch/x86/entry/entry_64.S:807",
                "  </IRQ>",
                "RIP: 0010:write_comp_data+0x9/0x70 kernel/kcov.c:122",
                "Code: 12 00 00 8b 80 dc 12 00 00 48 8b 11 48 83 c2 01 48 39 d0 76 07 48 89",
                "34 d1 48 89 11 5d c3 0f 1f 00 65 4c 8b 04 25 40 ee 01 00 <65> 8b 05 80 ee",
                "7f 7e a9 00 01 1f 00 75 51 41 8b 80 d8 12 00 00 83",
                "RSP: 0018:ffff888080466f58 EFLAGS: 00000246 ORIG_RAX: ffffffffffffff13",
                "R13: ffff888092b64102 R14: ffff888092b64102 R15: ffff888080467158",
                "  xas_load+0x21/0x160 lib/xarray.c:227",
                "  find_get_entry+0x350/0x10a0 mm/filemap.c:1476",
                "  pagecache_get_page+0xe6/0x1020 mm/filemap.c:1579", ""), "t");
        assertThat(e.tasks()).hasSize(1);
        assertThat(functions(e.taskOrNull(8437))).contains("apic_timer_interrupt", "xas_load", "pagecache_get_page");
    }

    @Test
    void aStackGoesOnUnderRegistersWhoseValuesAWrapMoved() {
        // corpus a-078 (linux-nvme): each register line wrapped before its last value
        Evidence regs = parse(String.join("\n",
                "CPU: 26 PID: 0 Comm: swapper/26 Not tainted 5.3.0-rc1 #1",
                "Call Trace:",
                " <IRQ>",
                " do_IRQ+0x54/0xe0",
                " common_interrupt+0xf/0xf",
                " </IRQ>",
                "RIP: 0010:cpuidle_enter_state+0xc1/0x400",
                "Code: ff e8 e3 41 93 ff 80 7d c7 00 74 17 9c 58 0f 1f 44",
                "00 00 f6 c4 02 0f 85 d2 02 00 00 31 ff e8 16 c3 99 ff fb 66 0f 1f 44 00",
                "00 <45> 85 e4 0f 88 3d 02 00 00 49 63 c4 48 8d 14 40 48 8d 0c c5 00 00",
                "RSP: 0018:ffffae4ecc6cbe40 EFLAGS: 00000246 ORIG_RAX:",
                "ffffffffffffffdd",
                "RAX: ffff9b537fc6cc40 RBX: ffffce4ebfc43200 RCX:",
                "000000000000001f",
                " cpuidle_enter+0x2e/0x40",
                " call_cpuidle+0x23/0x40",
                " do_idle+0x230/0x270", ""), "t");
        assertThat(regs.tasks()).hasSize(1);
        assertThat(functions(regs.tasks().iterator().next())).contains("common_interrupt", "cpuidle_enter", "do_idle");
        // corpus zc-024 (lore 2644795.mvXUDI8C0e@jernej-laptop): arm32's exception stack words, the last of a row
        // wrapped onto its own line
        Evidence words = parse(String.join("\n",
                "CPU: 2 PID: 0 Comm: swapper/2 Tainted: G W 5.15.0-00047-g0848e4aeb313",
                "[<c05a6130>] (gic_handle_irq) from [<c0100afc>] (__irq_svc+0x5c/0x78)",
                "Exception stack(0xc14f3f70 to 0xc14f3fb8)",
                "3f60:                                     0003475c 00000000 00000001",
                "c01188a0",
                "3f80: c107b200 c0f06b4c c0f06b90 00000004 c1079ff8 c0c62774 00000000",
                "00000000",
                "3fa0: c10b2198 c14f3fc0 c0107fcc c0107fd0 60030013 ffffffff",
                "[<c0100afc>] (__irq_svc) from [<c0107fd0>] (arch_cpu_idle+0x38/0x3c)",
                "[<c0157258>] (do_idle) from [<c01575a4>] (cpu_startup_entry+0x18/0x1c)", ""), "t");
        assertThat(words.tasks()).hasSize(1);
        assertThat(functions(words.tasks().iterator().next())).containsExactly("gic_handle_irq", "__irq_svc", "do_idle");
    }

    @Test
    void linesOfBytesOrValuesNotUnderRegistersEndTheStack() {
        // bytes with no Code: line above them, a lone value under a frame: not a piece of a register dump
        Evidence e = parse(String.join("\n",
                "INFO: task a:1 blocked for more than 120 seconds.",
                "Call Trace:",
                " schedule+0x46/0xb0",
                " io_schedule+0x12/0x40",
                "34 d1 48 89 11 5d c3 0f 1f 00 65 4c 8b 04 25 40 ee 01 00",
                " kthread+0x11b/0x140",
                " ret_from_fork+0x22/0x30",
                " ret_from_fork_asm+0x1a/0x30",
                "INFO: task b:2 blocked for more than 120 seconds.",
                "Call Trace:",
                " schedule+0x46/0xb0",
                "ffffffffffffffdd",
                " kthread+0x11b/0x140",
                " ret_from_fork+0x22/0x30",
                " ret_from_fork_asm+0x1a/0x30", ""), "t");
        assertThat(functions(e.taskOrNull(1))).doesNotContain("kthread");
        assertThat(functions(e.taskOrNull(2))).doesNotContain("kthread");
        assertThat(KernelStackBlock.isCodeWrap("00 <45> 85 e4 0f 88 3d")).isTrue();
        assertThat(KernelStackBlock.isCodeWrap("e59f3010 e5933000 (e5933000)")).isTrue();
        assertThat(KernelStackBlock.isCodeWrap("83 38 35 ff 45 84 ff 0f 85 56 02 00 00 fb 0f 1f 44")).isTrue();
        assertThat(KernelStackBlock.isCodeWrap("xas_load+0x21/0x160")).isFalse();
        assertThat(KernelStackBlock.isCodeWrap("RSP: 0018:ffff888080466f58")).isFalse();
        assertThat(KernelStackBlock.isCodeWrap("100 200 300")).isFalse();
    }

    @Test
    void anS390RegisterDumpBetweenItsHeaderAndItsStackKeepsTheStackTheTasks() {
        // corpus zg-002 (lore 20230929155706.81033-2-imbrenda@linux.ibm.com): show_registers() between show_regs' header and its stack
        Evidence e = parse(String.join("\n",
                "CPU: 14 PID: 217198 Comm: qemu-system-s39 Not tainted 6.5.0-20230816.rc6.git26.a9d17c5d8813.300.fc38.s390x #1",
                "Hardware name: IBM 8561 T01 703 (LPAR)",
                "Krnl PSW : 0704e00180000000 000003ff804bfc66 (kvm_s390_gisa_destroy+0x3e/0xe0 [kvm])",
                "           R:0 T:1 IO:1 EX:1 Key:0 M:1 W:0 P:0 AS:3 CC:2 PM:0 RI:0 EA:3",
                "Krnl GPRS: 0000000000000000 00000372000000fc 00000002134f8000 000000000d5f5900",
                "           00000002f5ea1d18 00000002f5ea1d18 0000000000000000 0000000000000000",
                "Krnl Code: 000003ff804bfc58: ec66002b007e\tcij\t%r6,0,6,000003ff804bfcae",
                "           000003ff804bfc5e: b904003a\t\tlgr\t%r3,%r10",
                "          #000003ff804bfc62: a7f40005\t\tbrc\t15,000003ff804bfc6c",
                "          >000003ff804bfc66: e330b7300204\tlg\t%r3,10032(%r11)",
                "Call Trace:",
                " [<000003ff804bfc66>] kvm_s390_gisa_destroy+0x3e/0xe0 [kvm]",
                "([<00000002623523de>] free_unref_page+0xee/0x148)",
                " [<000003ff804aea98>] kvm_arch_destroy_vm+0x50/0x120 [kvm]", ""), "t");
        assertThat(functions(e.taskOrNull(217198))).contains("kvm_s390_gisa_destroy", "kvm_arch_destroy_vm");
        assertThat(TraceNoise.isBetweenFrames("R:0 T:1 IO:1 EX:1 Key:0 M:1 W:0 P:0 AS:3 CC:2 PM:0")).isTrue();
        assertThat(TraceNoise.isBetweenFrames("#000003ff804bfc62: a7f40005\t\tbrc\t15,000003ff804bfc6c")).isTrue();
        // a reply's quote mark or a rule before words that are not stack words, a word that starts "R:": no dump line
        assertThat(TraceNoise.isBetweenFrames("> see the trace below")).isFalse();
        assertThat(TraceNoise.isBetweenFrames("#1 SMP PREEMPT")).isFalse();
        assertThat(TraceNoise.isBetweenFrames("R: the task")).isFalse();
    }
}
