package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import static dev.hangdoctor.parse.TraceFixtures.functions;
import static dev.hangdoctor.parse.TraceFixtures.read;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CPU's register dump above a stack that never slept, with no report header in the paste, is that CPU's task,
 * running. Lines from corpus q-023 (github.com/google/android-emulator-container-scripts/issues/80) and j-010
 * (github.com/multipath-tcp/mptcp/issues/513).
 */
class RegisterDumpsTest {

    private static final String[] X86 = {
        "kernel: [  330.027687] RBP: ffff9a59c11df2a0 R08: 0000000000000003 R09: ffff89d07b003800",
        "kernel: [  330.052439] R10: ffff89d078eeb300 R11: ffff9a59c11df398 R12: ffff9a59c11df300",
        "kernel: [  330.052439] R13: ffff89d07a5e5800 R14: ffff9a59c11df201 R15: 0000000000000002",
        "kernel: [  330.142708] FS:  0000000000000000(0000) GS:ffff89d07fd80000(006b) knlGS:00000000f782c494",
        "kernel: [  330.152733] CS:  0010 DS: 002b ES: 002b CR0: 0000000080050033",
        "kernel: [  330.152733] CR2: 00000000fff7b0fc CR3: 0000000133008000 CR4: 00000000000006a0",
        "kernel: [  330.213259] Call Trace:",
        "kernel: [  330.213259]  ? vp_notify+0x13/0x17",
        "kernel: [  330.213259]  virtqueue_kick+0x22/0x35",
        "kernel: [  330.213259]  virtnet_send_command+0xf3/0x165",
        "kernel: [  330.250870]  virtnet_set_rx_mode+0xa9/0x364",
        "kernel: [  330.295865]  __dev_set_rx_mode+0x7c/0x81",
        "kernel: [  330.309102]  __dev_open+0xdf/0x14a",
    };

    @Test
    void anX86DumpAboveAStackThatNeverSleptIsARunningCpu() throws IOException {
        Evidence e = read(X86);
        assertThat(e.events(KernelEventKind.CPU_REGISTERS)).singleElement().satisfies(ev -> {
            Task t = e.task(ev.pid());
            assertThat(t.state()).isEqualTo(TaskState.RUNNING);
            assertThat(functions(t)).startsWith("vp_notify", "virtqueue_kick", "virtnet_send_command");
        });
    }

    @Test
    void aDumpAndItsStackJoinedIntoOneLineAreStillARunningCpu() throws IOException {
        // a page that lost the line breaks: every record's piece has the one line's number, the stack's after the dump's
        Evidence e = read("I'm stuck with an endless output of the following log messages: " + String.join(" ", X86));
        assertThat(e.events(KernelEventKind.CPU_REGISTERS)).singleElement().satisfies(ev -> {
            Task t = e.task(ev.pid());
            assertThat(t.state()).isEqualTo(TaskState.RUNNING);
            assertThat(functions(t)).startsWith("vp_notify", "virtqueue_kick", "virtnet_send_command");
        });
        // corpus zf-003: the RIP line after the report's words, its frames after it, all in one line
        Evidence z = read("**Stack**, via `echo l > /proc/sysrq-trigger` - the spinning thread is `R`: ``` "
                + "RIP: 0010:nvWriteGpEntry+0xf0/0x370 [nvidia_modeset]  nvPushKickoff+0x28/0x50 "
                + " PrefetchHelperSurfaceEvo+0x45c/0x650  nvDIFRPrefetchSurfaces+0x186/0x1f0 "
                + " DifrPrefetchEventDeferredWork+0x16/0x30  nvkms_kthread_q_callback+0xdb/0x160 "
                + " _main_loop+0x112/0x170 ```  100% of one core (303 jiffies/3s) for ~50 min until reboot.");
        assertThat(z.events(KernelEventKind.CPU_REGISTERS)).singleElement().satisfies(ev -> {
            assertThat(ev.field("pc")).isEqualTo("nvWriteGpEntry");
            assertThat(functions(z.task(ev.pid()))).startsWith("nvWriteGpEntry", "nvPushKickoff");
        });
        // joined above a stack that sleeps, it is still no running CPU
        assertThat(read("RIP: 0010:nvWriteGpEntry+0xf0/0x370 [nvidia_modeset]  __schedule+0x23d/0x590 "
                + " schedule+0x4e/0xb0  _main_loop+0x112/0x170 and the rest of the report's words, long enough to be a "
                + "page that lost its line breaks").events(KernelEventKind.CPU_REGISTERS)).isEmpty();
    }

    @Test
    void anArmDumpJoinedIntoOneLineTakesTheStackNotTheTaskLine() throws IOException {
        // corpus r-004 (a 4.14 arm64 dump, github.com/realwujing) joined into one line: the "task:" record before the
        // dump gives a task of nobody with no frames; the stack under the dump is the CPU's
        Evidence e = read("[  452.424436] task: ffff000008dc5600 task.stack: ffff000008d80000 "
                + "[  452.434835] PC is at __do_softirq+0xc0/0x2f0 [  452.443498] LR is at irq_exit+0x120/0x150 "
                + "[  452.467753] sp : ffff00000800fec0 [  452.605395] Call trace: "
                + "[  452.619000] [<ffff000008081a40>] __do_softirq+0xc0/0x2f0 "
                + "[  452.627000] [<ffff0000080db6ac>] irq_exit+0x120/0x150 "
                + "[  452.635000] [<ffff00000813a5c8>] __handle_domain_irq+0x78/0xc4");
        assertThat(e.events(KernelEventKind.CPU_REGISTERS)).singleElement().satisfies(ev -> {
            Task t = e.task(ev.pid());
            assertThat(t.state()).isEqualTo(TaskState.RUNNING);
            assertThat(functions(t)).startsWith("__do_softirq", "irq_exit");
        });
    }

    @Test
    void anArm64DumpCutBeforeItsStackGivesThePcAsTheCpusFrame() throws IOException {
        Evidence e = read("May  6 16:08:04 arter97-ampere kernel: [1950261.733382] pc : __kmalloc_track_caller+0xc4/0x280",
                "May  6 16:08:04 arter97-ampere kernel: [1950261.733383] lr : __kmalloc_track_caller+0x4c/0x280",
                "May  6 16:08:04 arter97-ampere kernel: [1950261.733384] sp : ffffff85d02978d0",
                "May  6 16:08:04 arter97-ampere kernel: [1950261.733384] x29: ffffff85d0297ff0 x28: 0000000000000034 ",
                "May  6 16:08:04 arter97-ampere kernel: [1950261.733385] x27: ffffff85d5a49bc0 x26: ffffffc0111aa300 ");
        KernelEvent ev = e.events(KernelEventKind.CPU_REGISTERS).get(0);
        assertThat(ev.field("pc")).isEqualTo("__kmalloc_track_caller");
        Task t = e.task(ev.pid());
        assertThat(t.state()).isEqualTo(TaskState.RUNNING);
        assertThat(functions(t)).containsExactly("__kmalloc_track_caller");
    }

    @Test
    void theRipLineNamesTheInnermostFrame() throws IOException {
        // a 4.x x86 dump (its RIP line kept) above a stack in smp_call_function_many's callers
        Evidence e = read("RIP: 0010:smp_call_function_many+0x1f5/0x250",
                "RSP: 0018:ffffc90001c8bd30 EFLAGS: 00000202 ORIG_RAX: ffffffffffffff10",
                "CR2: 000000c4200a1000 CR3: 000000007b9f6000 CR4: 00000000001406e0",
                "Call Trace:",
                " ? flush_tlb_func_common+0x220/0x220",
                " on_each_cpu+0x2d/0x60",
                " flush_tlb_kernel_range+0x79/0x80",
                " __purge_vmap_area_lazy+0x4c/0xc0");
        Task t = e.task(e.events(KernelEventKind.CPU_REGISTERS).get(0).pid());
        assertThat(functions(t)).startsWith("smp_call_function_many", "flush_tlb_func_common", "on_each_cpu");
    }

    @Test
    void aRipLineRightAboveAStackOfNobodyIsARunningCpu() throws IOException {
        // corpus zf-003 (github.com/NVIDIA/open-gpu-kernel-modules issue 1246): a SysRq-l backtrace trimmed to its RIP
        // line and frames, the spinning kthread's
        Evidence e = read("RIP: 0010:nvWriteGpEntry+0xf0/0x370 [nvidia_modeset]",
                " nvPushKickoff+0x28/0x50",
                " PrefetchHelperSurfaceEvo+0x45c/0x650",
                " nvDIFRPrefetchSurfaces+0x186/0x1f0",
                " DifrPrefetchEventDeferredWork+0x16/0x30",
                " nvkms_kthread_q_callback+0xdb/0x160",
                " _main_loop+0x112/0x170");
        assertThat(e.events(KernelEventKind.CPU_REGISTERS)).singleElement().satisfies(ev -> {
            assertThat(ev.field("pc")).isEqualTo("nvWriteGpEntry");
            Task t = e.task(ev.pid());
            assertThat(t.state()).isEqualTo(TaskState.RUNNING);
            assertThat(functions(t)).startsWith("nvWriteGpEntry", "nvPushKickoff", "PrefetchHelperSurfaceEvo");
        });
        // the same RIP line with a line between it and the stack, or above a stack that sleeps, is no such dump
        assertThat(read("RIP: 0010:nvWriteGpEntry+0xf0/0x370 [nvidia_modeset]", "",
                " nvPushKickoff+0x28/0x50", " _main_loop+0x112/0x170").events(KernelEventKind.CPU_REGISTERS)).isEmpty();
        assertThat(read("RIP: 0010:nvWriteGpEntry+0xf0/0x370 [nvidia_modeset]", " __schedule+0x23d/0x590",
                " schedule+0x4e/0xb0", " _main_loop+0x112/0x170").events(KernelEventKind.CPU_REGISTERS)).isEmpty();
    }

    @Test
    void riscvAndS390RegisterLinesNameWhereALockupRanWhenItsTraceWasCut() throws IOException {
        // corpus zg-014 (RVCK, riscv64 6.6, cut before the trace): "epc : %pS", then the raw epc line naming none
        Evidence r = read("[   28.259737] watchdog: BUG: soft lockup - CPU#1 stuck for 26s! [kworker/R-rcu_g:4]",
                "[   28.270284] CPU: 1 PID: 4 Comm: kworker/R-rcu_g Not tainted 6.6.103-ur-dp1000-rvck+ #4",
                "[   28.287430] epc : smp_call_function_single+0x156/0x164",
                "[   28.292652]  ra : __sync_rcu_exp_select_node_cpus+0x1e6/0x43c",
                "[   28.298484] epc : ffffffff800edf84 ra : ffffffff800b8c90 sp : ffff8f800005bc60");
        assertThat(functions(r.taskOrNull(4))).containsExactly("smp_call_function_single");
        // corpus zg-001 (linux-mm, s390 next-20220901, quoted; cut here before its trace): "Krnl PSW : %px %px (%pSR)"
        Evidence s = read("[ 1951.906997] rcu: INFO: rcu_sched self-detected stall on CPU",
                "[ 1951.907009] rcu:     60-....: (6000 ticks this GP) idle=968c/1/0x4000000000000000 "
                        + "softirq=43971/43972 fqs=2765",
                "[ 1951.907024] CPU: 60 PID: 1236661 Comm: ld64.so.1 Not tainted 6.0.0-rc3-next-20220901 #340",
                "[ 1951.907027] Hardware name: IBM 3906 M04 704 (z/VM 7.1.0)",
                "[ 1951.907029] Krnl PSW : 0704e00180000000 00000000003d9042 (hugetlb_fault_mutex_hash+0x2a/0xd8)");
        assertThat(functions(s.taskOrNull(1236661))).containsExactly("hugetlb_fault_mutex_hash");
        // an older s390 PSW line with a bare name (corpus) names no function
        Evidence o = read("[ 1951.907024] CPU: 60 PID: 1236661 Comm: ld64.so.1 Not tainted 6.0.0-rc3-next-20220901 #340",
                "Krnl PSW : 0704f00180000000 0000000000121d32 kprobe_exceptions_notify");
        assertThat(o.taskOrNull(1236661) == null || o.taskOrNull(1236661).frames().isEmpty()).isTrue();
    }

    @Test
    void aDumpWhoseCrLineAMailerWrappedAfterCr3IsStillADump() throws IOException {
        // corpus u-021 (syslog of a 3.x soft lockup's tail) wrapped at 72: the join leaves "CR3:0000000001a0b000"
        Evidence e = read("Nov  9 15:19:50 storage1 kernel: CR2: 00007f730426bcb0 CR3:",
                "0000000001a0b000 CR4: 00000000000407e0",
                "Nov  9 15:19:50 storage1 kernel: Call Trace:",
                "Nov  9 15:19:50 storage1 kernel: [<ffffffff8143c8d3>] cpuidle_enter_state+0x43/0xd0",
                "Nov  9 15:19:50 storage1 kernel: [<ffffffff8143cd0f>] cpuidle_idle_call+0xcf/0x160",
                "Nov  9 15:19:50 storage1 kernel: [<ffffffff8100b41e>] arch_cpu_idle+0xe/0x30");
        assertThat(e.events(KernelEventKind.CPU_REGISTERS)).singleElement().satisfies(ev ->
                assertThat(functions(e.task(ev.pid()))).startsWith("cpuidle_enter_state"));
    }

    @Test
    void aWarningOrOopsHeaderKeepsTheDumpItsOwn() throws IOException {
        String[] warned = new String[X86.length + 1];
        warned[0] = "kernel: [  330.000001] WARNING: CPU: 1 PID: 1 at net/core/dev.c:1234 __dev_open+0x10/0x20";
        System.arraycopy(X86, 0, warned, 1, X86.length);
        assertThat(read(warned).events(KernelEventKind.CPU_REGISTERS)).isEmpty();
        String[] oops = new String[X86.length + 1];
        oops[0] = "kernel: [  330.000001] general protection fault: 0000 [#1] SMP PTI";
        System.arraycopy(X86, 0, oops, 1, X86.length);
        assertThat(read(oops).events(KernelEventKind.CPU_REGISTERS)).isEmpty();
    }

    @Test
    void aDumpAboveASleepingStackOrUserRegistersIsNoRunningCpu() throws IOException {
        // a 5.x hung task's stack ends in the user registers (no CR line): no dump above a stack
        Evidence hung = read("INFO: task dockerd:6500 blocked for more than 120 seconds.",
                "task:dockerd          state:D stack:    0 pid: 6500 ppid:     1 flags:0x00000000",
                "Call Trace:",
                " <TASK>",
                " __schedule+0x23d/0x590",
                " schedule+0x4e/0xb0",
                " do_syscall_64+0x5c/0xc0",
                " entry_SYSCALL_64_after_hwframe+0x61/0xcb",
                "RIP: 0033:0x7f3e8d0c6e3b",
                "RSP: 002b:00007ffd6e2c7d08 EFLAGS: 00000246 ORIG_RAX: 0000000000000001",
                " </TASK>");
        assertThat(hung.events(KernelEventKind.CPU_REGISTERS)).isEmpty();
        // an exception's RIP inside a hung task's stack (corpus a-089, lore 20250521115727.2202284-1-gavinguo@igalia.com)
        Evidence inStack = read("task:repro_20250402_ state:D stack:25856 pid:13229 tgid:13228 ppid:3513"
                        + "   task_flags:0x400040 flags:0x00004006",
                "Call Trace:",
                " <TASK>",
                " __schedule+0x1755/0x4f50",
                " schedule+0x158/0x330",
                " asm_exc_page_fault+0x26/0x30",
                "RIP: 0010:__put_user_4+0xd/0x20",
                " copy_process+0x1f4a/0x3d60",
                " kernel_clone+0x210/0x8f0",
                " __x64_sys_clone+0x18d/0x1f0",
                " do_syscall_64+0x6a/0x120",
                "RIP: 0033:0x41b26d",
                " </TASK>");
        assertThat(inStack.events(KernelEventKind.CPU_REGISTERS)).isEmpty();
        Evidence slept = read("CR2: 00000000fff7b0fc CR3: 0000000133008000 CR4: 00000000000006a0",
                "Call Trace:",
                " __schedule+0x23d/0x590",
                " schedule+0x4e/0xb0",
                " schedule_timeout+0xfb/0x140");
        assertThat(slept.events(KernelEventKind.CPU_REGISTERS)).isEmpty();
        assertThat(slept.tasks()).allSatisfy(t -> assertThat(t.state()).isNotEqualTo(TaskState.RUNNING));
    }

    /** Corpus zk-023 (lore 67478d91.050a0220.253251.0061.GAE@google.com): khungtaskd's all-CPU backtrace, trimmed. */
    static final String[] HUNG_TASK_BACKTRACE = {
        "NMI backtrace for cpu 1",
        "CPU: 1 UID: 0 PID: 30 Comm: khungtaskd Not tainted 6.12.0-next-20241126-syzkaller #0",
        "Call Trace:",
        " <TASK>",
        " dump_stack_lvl+0x241/0x360 lib/dump_stack.c:120",
        " nmi_cpu_backtrace+0x49c/0x4d0 lib/nmi_backtrace.c:113",
        " nmi_trigger_cpumask_backtrace+0x198/0x320 lib/nmi_backtrace.c:62",
        " watchdog+0xffb/0x1040 kernel/hung_task.c:397",
        " kthread+0x2f0/0x390 kernel/kthread.c:389",
        " </TASK>",
        "Sending NMI from CPU 1 to CPUs 0:",
        "NMI backtrace for cpu 0",
        "CPU: 0 UID: 0 PID: 35 Comm: kworker/u8:2 Not tainted 6.12.0-next-20241126-syzkaller #0",
        "Workqueue: events_unbound toggle_allocation_gate",
        "RIP: 0010:insn_get_displacement+0x2ca/0x9a0 arch/x86/lib/insn.c:484",
        "RSP: 0018:ffffc90000ab7790 EFLAGS: 00000a07",
        "RAX: 0000000000000000 RBX: ffffc90000ab7945 RCX: dffffc0000000000",
        "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033",
        "CR2: 00007fbd0e4b4580 CR3: 000000000e736000 CR4: 00000000003526f0",
        "Call Trace:",
        " <NMI>",
        " </NMI>",
        " <TASK>",
        " insn_get_immediate+0x62/0x11f0 arch/x86/lib/insn.c:650",
        " insn_decode+0x2d6/0x4c0 arch/x86/lib/insn.c:762",
        " text_poke_loc_init+0xed/0x870 arch/x86/kernel/alternative.c:2432",
        " toggle_allocation_gate+0x1bf/0x260 mm/kfence/core.c:854",
        " worker_thread+0x870/0xd30 kernel/workqueue.c:3391",
        " </TASK>",
    };

    /** Corpus zk-023: the blocked task's report above the backtrace, trimmed. */
    static final String[] HUNG_TASK_REPORT = {
        "INFO: task syz-executor246:5857 blocked for more than 143 seconds.",
        "      Not tainted 6.12.0-next-20241126-syzkaller #0",
        "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
        "task:syz-executor246 state:D stack:22584 pid:5857  tgid:5857  ppid:5854   flags:0x00004006",
        "Call Trace:",
        " <TASK>",
        " __schedule+0x1850/0x4c30 kernel/sched/core.c:6756",
        " schedule+0x14b/0x320 kernel/sched/core.c:6848",
        " bit_wait+0x12/0xd0 kernel/sched/wait_bit.c:237",
        " __wait_on_bit+0xb0/0x2f0 kernel/sched/wait_bit.c:49",
        " netfs_unbuffered_read_iter_locked+0xd7e/0x1560 fs/netfs/direct_read.c:231",
        " </TASK>",
        "",
    };

    @Test
    void theHungTaskDetectorsAllCpuBacktraceIsNoRunningCpuOfItsOwn() throws IOException {
        // kernel/hung_task.c: the blocked task's report, the locks held, then trigger_all_cpu_backtrace()
        String[] all = new String[HUNG_TASK_REPORT.length + HUNG_TASK_BACKTRACE.length];
        System.arraycopy(HUNG_TASK_REPORT, 0, all, 0, HUNG_TASK_REPORT.length);
        System.arraycopy(HUNG_TASK_BACKTRACE, 0, all, HUNG_TASK_REPORT.length, HUNG_TASK_BACKTRACE.length);
        assertThat(read(all).events(KernelEventKind.CPU_REGISTERS)).isEmpty();
        // the same backtrace pasted without the hung-task report: a busy CPU with no header, as before
        assertThat(read(HUNG_TASK_BACKTRACE).events(KernelEventKind.CPU_REGISTERS)).singleElement()
                .satisfies(ev -> assertThat(ev.field("pc")).isEqualTo("insn_get_displacement"));
    }
}
