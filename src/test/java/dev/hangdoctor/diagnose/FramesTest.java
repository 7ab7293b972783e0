package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which frames of a stack count as evidence (corpus d-004 and a global OOM from github.com/arriven/db1000n 555). */
class FramesTest {
    private static Frame frame(String fn, String at) {
        return new Frame(fn, at, null, false, StackContext.TASK);
    }

    private static Frame unreliable(String fn, String at) {
        return new Frame(fn, at, null, true, StackContext.TASK);
    }

    @Test
    void aSleepingTaskWaitsBelowItsSleepWhatItRunsIsAboveIt() {
        // corpus u-024 (2.6.0, SysRq-T): the stale "tasklet_action" above io_schedule printed without "?"
        List<Frame> old = List.of(frame("tasklet_action", "+0x72/0xd0"), frame("io_schedule", "+0x28/0x40"),
                frame("wait_on_page_bit_wq", "+0xcc/0x100"), frame("filemap_fdatawait", "+0x1e3/0x240"));
        assertThat(Frames.whereSleeping(old)).isEqualTo("wait_on_page_bit_wq");
        // a CPU spinning on a run queue's lock inside the scheduler (running): its frames above __schedule are its own
        List<Frame> spin = List.of(frame("native_queued_spin_lock_slowpath", "+0x1ad/0x1f0"),
                frame("_raw_spin_lock", "+0x1a/0x20"), frame("__schedule", "+0x1d4/0x860"),
                frame("schedule", "+0x3d/0x90"), frame("worker_thread", "+0xc5/0x3d0"));
        assertThat(Frames.whereRunning(spin)).isEqualTo("native_queued_spin_lock_slowpath");
        // no sleep in the stack: the innermost frame that is not plumbing
        assertThat(Frames.whereSleeping(List.of(frame("fuse_wait_on_page_writeback", "+0x5/0x10"))))
                .isEqualTo("fuse_wait_on_page_writeback");
    }

    @Test
    void aLockupRunsWhereTheTimerInterruptOfItsDetectorInterruptedIt() {
        // corpus u-010 (i386 2.6.18, no <IRQ> marks): the detector's timer interrupt on top, then the loop
        List<Frame> old = List.of(frame("softlockup_tick", "+0xaa/0xc3"), frame("update_process_times", "+0x38/0x89"),
                frame("smp_apic_timer_interrupt", "+0x69/0x75"), frame("smbiod", "+0xee/0x15c"),
                frame("apic_timer_interrupt", "+0x1f/0x24"), frame("kthread", "+0xba/0xeb"));
        assertThat(Frames.whereRunning(old)).isEqualTo("smbiod");
        // nothing but the interrupt's own frames: it is where the CPU was (an interrupt storm)
        assertThat(Frames.whereRunning(List.of(frame("hrtimer_interrupt", "+0x11d/0x260"))))
                .isEqualTo("hrtimer_interrupt");
    }

    @Test
    void anArcStallDumpCutInsideTheStallCodeSaysItDoesNotKnow() {
        // corpus ze-012 (ARC, 5.x): ARC's unwinder and the stall code's own frames, the paste cut after them
        List<Frame> arc = List.of(frame("arc_unwind_core", "+0xe8/0x110"),
                frame("rcu_check_gp_kthread_starvation", "+0xb8/0xdc"), frame("rcu_sched_clock_irq", "+0x960/0xc"));
        assertThat(Frames.whereRunning(arc)).isEqualTo("?");
    }

    private static List<Frame> frames(String... lines) {
        List<Frame> out = new java.util.ArrayList<>();
        for (String l : lines) {
            int plus = l.indexOf('+');
            out.add(frame(l.substring(0, plus), l.substring(plus)));
        }
        return out;
    }

    @Test
    void anArm64RcuTaskDumpRunsBelowItsInterruptEntry() {
        // corpus zf-016 (5.15 arm64, rcu_preempt self-detected stall, "Task dump for CPU 3:" of psplash)
        List<Frame> spin = frames("dump_backtrace+0x0/0x1b0", "show_stack+0x24/0x30", "sched_show_task+0x164/0x190",
                "dump_cpu_task+0x50/0x60", "rcu_dump_cpu_stacks+0xe0/0x160", "rcu_sched_clock_irq+0xdc4/0xf30",
                "update_process_times+0xb0/0x100", "tick_sched_handle+0x3c/0x60", "tick_sched_timer+0x84/0xf0",
                "__hrtimer_run_queues+0x154/0x3a0", "hrtimer_interrupt+0x100/0x260",
                "arch_timer_handler_phys+0x40/0x50", "handle_percpu_devid_irq+0xb0/0x244",
                "handle_domain_irq+0xa4/0xf0", "gic_handle_irq+0x58/0xe0", "call_on_irq_stack+0x2c/0x5c",
                "do_interrupt_handler+0x5c/0x70", "el1_interrupt+0x30/0x80", "el1h_64_irq_handler+0x18/0x24",
                "el1h_64_irq+0x78/0x7c", "queued_spin_lock_slowpath+0x22c/0x3c0");
        assertThat(Frames.whereRunning(spin)).isEqualTo("queued_spin_lock_slowpath");
        // corpus zf-017 (arm64, a task blocking the grace period dumped by rcu_print_detail_task_stall_rnp)
        List<Frame> run = frames("dump_backtrace.part.6+0xdc/0xe8", "show_stack+0x18/0x68",
                "sched_show_task+0x154/0x198", "rcu_sched_clock_irq+0xd10/0xdd8", "update_process_times+0x9c/0xd0",
                "tick_sched_handle.isra.19+0x34/0x58", "tick_sched_timer+0x4c/0xa8", "__hrtimer_run_queues+0x120/0x1b8",
                "hrtimer_interrupt+0xd8/0x238", "arch_timer_handler_phys+0x2c/0x50",
                "handle_percpu_devid_irq+0x84/0x138", "generic_handle_domain_irq+0x2c/0x48", "gic_handle_irq+0xa4/0xc0",
                "call_on_irq_stack+0x2c/0x58", "do_interrupt_handler+0x80/0x88", "el1_interrupt+0x38/0x70",
                "el1h_64_irq_handler+0x18/0x28", "el1h_64_irq+0x64/0x68", "xas_load+0x4c/0x78", "xas_find+0x190/0x1d8");
        assertThat(Frames.whereRunning(run)).isEqualTo("xas_load");
        // corpus zf-023 (WSL2 on arm64: Hyper-V's timer interrupt, the paste cut inside the interrupt's way in)
        List<Frame> cut = frames("dump_backtrace+0x0/0x1c0", "show_stack+0x1c/0x24", "sched_show_task+0x164/0x190",
                "dump_cpu_task+0x48/0x54", "rcu_dump_cpu_stacks+0xec/0x130", "rcu_sched_clock_irq+0x914/0xa50",
                "update_process_times+0xa0/0x190", "tick_sched_timer+0x5c/0xd0", "__hrtimer_run_queues+0x140/0x330",
                "hrtimer_interrupt+0xf4/0x240", "hv_stimer0_isr+0x28/0x30", "hv_stimer0_percpu_isr+0x14/0x20",
                "handle_percpu_devid_irq+0x8c/0x1b4", "handle_domain_irq+0x64/0x90", "gic_handle_irq+0x58/0x128",
                "call_on_irq_stack+0x20/0x38");
        assertThat(Frames.whereRunning(cut)).isEqualTo("?");
        // x86 (corpus b-005, 6.x): the timer vector's entry, then the function its RIP line names
        assertThat(Frames.whereRunning(frames("__hrtimer_run_queues+0x10f/0x2b0", "hrtimer_interrupt+0xf8/0x230",
                "__sysvec_apic_timer_interrupt+0x5e/0x130", "sysvec_apic_timer_interrupt+0x39/0x90",
                "asm_sysvec_apic_timer_interrupt+0x1a/0x20", "__do_softirq+0x7c/0x2c8")))
                .isEqualTo("__do_softirq");
    }

    @Test
    void aRunningTaskDumpedAtItsLastContextSwitchHasNoPlace() {
        // corpus zf-011 (arm64 4.x, "Task dump for CPU 34:" of a running shell): its saved __switch_to, an address
        assertThat(Frames.whereRunning(frames("__switch_to+0xa4/0xb8", "0x2cb7fdb10b980+0x0/0x0"))).isEqualTo("?");
        // a sleeping task keeps its innermost frame, and a running one spinning in the scheduler's yield keeps it
        assertThat(Frames.whereSleeping(frames("__switch_to+0xa4/0xb8"))).isEqualTo("__switch_to");
        assertThat(Frames.whereRunning(frames("do_sched_yield+0x10/0x20"))).isEqualTo("do_sched_yield");
    }

    @Test
    void underOnlyTheDumpPrintersFramesTheLeftoversAreTheEvidence() {
        // 3.13 OOM report cut after its fourth frame: dump_stack and dump_header are the printer's own
        List<Frame> cut = List.of(frame("dump_stack", "+0x45/0x56"), frame("dump_header", "+0x7f/0x1f1"),
                unreliable("mem_cgroup_margin", "+0xa8/0xc0"), unreliable("find_lock_task_mm", "+0x27/0x70"));
        assertThat(Frames.evidence(cut)).noneMatch(Frame::unreliable);
        assertThat(Frames.evidence(cut)).extracting(Frame::function)
                .containsExactly("dump_stack", "dump_header", "mem_cgroup_margin", "find_lock_task_mm");
    }

    @Test
    void aReliableFrameBeyondThePrinterKeepsTheLeftoversUnreliable() {
        List<Frame> whole = List.of(frame("dump_stack", "+0x6d/0x8b"), frame("dump_header", "+0x4f/0x1e1"),
                frame("oom_kill_process.cold.33", "+0xb/0x10"), frame("out_of_memory", "+0x1bf/0x551"),
                unreliable("__mod_memcg_lruvec_state", "+0x27/0x102"));
        assertThat(Frames.evidence(whole)).isSameAs(whole);
        assertThat(Frames.evidence(whole).get(4).unreliable()).isTrue();
    }

    @Test
    void aCutFrameStaysCutWhenCountedAsReliable() {
        List<Frame> frames = List.of(unreliable("schedule", "+0x29/0x70"),
                unreliable("nfs4_discover_", "").cutShort());
        assertThat(Frames.evidence(frames).get(1).cut()).isTrue();
    }

    @Test
    void aSystemCallIsTheSameFunctionUnderEveryWrappersName() {
        // 3.x/4.x SYSCALL_DEFINE (corpus s-017: "SyS_mprotect+0xd0/0x290"), 4.17+ and the architectures' entries
        for (String name : List.of("SyS_mprotect", "SYSC_mprotect", "__se_sys_mprotect", "__do_sys_mprotect",
                "__x64_sys_mprotect", "__arm64_sys_mprotect", "__s390x_sys_mprotect", "__riscv_sys_mprotect",
                "sys_mprotect", "__x64_sys_mprotect.cold")) {
            assertThat(Frames.sameFunction(name, "sys_mprotect")).as(name).isTrue();
            assertThat(Frames.sameFunction(name, "__x64_sys_mprotect")).as(name).isTrue();
        }
        // helpers that are not the entry, and other calls, are not
        assertThat(Frames.sameFunction("do_sys_open", "sys_open")).isFalse();
        assertThat(Frames.sameFunction("ksys_mmap_pgoff", "sys_mmap_pgoff")).isFalse();
        assertThat(Frames.sameFunction("SyS_mprotect", "sys_munmap")).isFalse();
        assertThat(Frames.sameFunction("__x64_sys_", "sys_")).isFalse();
    }

    @Test
    void whereABlockerRunsIsPastTheFramesThatPrintOrPanic() {
        // corpus r-012 (arm64: the lockup's dump names dump_backtrace and show_stack first)
        List<Frame> lockup = List.of(frame("dump_backtrace", "+0x0/0x1e0"), frame("show_stack", "+0x24/0x30"),
                frame("dump_stack", "+0xa4/0xdc"), frame("panic", "+0x150/0x350"),
                frame("watchdog_timer_fn", "+0x2f4/0x338"));
        // cut below the detector's timer: the printers and the timer say nothing of where the CPU looped
        assertThat(Frames.whereRunning(lockup)).isEqualTo("?");
        // corpus za-003 (MIPS, an RCU stall's NMI backtrace cut inside the stall detector's own path)
        assertThat(Frames.whereRunning(List.of(frame("show_stack", "+0x28/0xf0"), frame("dump_stack_lvl", "+0x60/0x80"),
                frame("nmi_cpu_backtrace", "+0x108/0x178"), frame("nmi_trigger_cpumask_backtrace", "+0x148/0x178"),
                frame("rcu_dump_cpu_stacks", "+0x158/0x1ac")))).isEqualTo("?");
        // corpus za-002 (armv7 3.10, cut at the board's clock event handler and the interrupt's way in)
        assertThat(Frames.whereRunning(List.of(frame("dump_backtrace", "+0x0/0x118"), frame("show_stack", "+0x0/0x1c"),
                frame("dump_stack", "+0x0/0x28"), frame("rcu_check_callbacks", "+0x0/0x6e8"),
                frame("update_process_times", "+0x0/0x74"), frame("tick_sched_timer", "+0x0/0x200"),
                frame("__run_hrtimer.isra.32", "+0x0/0x144"), frame("hrtimer_interrupt", "+0x0/0x2ac"),
                frame("armada_370_xp_timer_interrupt", "+0x0/0x54"), frame("handle_percpu_devid_irq", "+0x74/0x8c"))))
                .isEqualTo("?");
        // corpus v-009 (an RCU stall's NMI backtrace of the CPU looping in nfsd's file cache)
        List<Frame> nmi = List.of(frame("nmi_cpu_backtrace.cold", "+0x30/0x50"),
                frame("nmi_cpu_backtrace_handler", "+0xc/0x20"), frame("nmi_handle", "+0x5d/0x120"),
                frame("default_do_nmi", "+0x40/0x130"), frame("exc_nmi", "+0x101/0x130"),
                frame("nfsd_file_lru_walk_list", "+0x6a/0x190"));
        assertThat(Frames.whereRunning(nmi)).isEqualTo("nfsd_file_lru_walk_list");
        // a stack of nothing else is no place
        assertThat(Frames.whereRunning(List.of(frame("dump_stack", "+0x6d/0x8b")))).isEqualTo("?");
    }

    @Test
    void aStackOfOnlyQuestionFramesIsReadByTheSameRulesAndItsEbpfRunnerIsWhere() {
        // corpus ze-005 (github.com/draios/sysdig/issues/1610, 4.19): the unwinder vouched for no frame of a CPU
        // stuck under sysdig's eBPF probe; the frames above bpf_trace_run2 are leftovers of the stack
        List<Frame> probe = List.of(unreliable("flush_tlb_func_common", "+0xc8/0x200"),
                unreliable("page_add_file_rmap", "+0x16/0x100"), unreliable("do_raw_spin_unlock", "+0x4f/0xa0"),
                unreliable("handle_mm_fault", "+0x676/0x1660"), unreliable("bpf_trace_run2", "+0x25/0x30"),
                unreliable("trace_sys_enter", "+0x52/0x70"), unreliable("syscall_trace_enter", "+0x1dc/0x240"),
                unreliable("do_syscall_64", "+0x2d/0x70"), unreliable("entry_SYSCALL_64_after_hwframe", "+0x44/0xa9"));
        assertThat(Frames.whereRunning(probe)).isEqualTo("bpf_trace_run2");
        // corpus u-011 (2.6.32, every frame "?"): no program runs there, the first frame that is no plumbing is where
        List<Frame> hugetlb = List.of(unreliable("free_pool_huge_page", "+0xb8/0xd0"),
                unreliable("set_max_huge_pages", "+0x128/0x190"), unreliable("hugetlb_sysctl_handler", "+0x1e/0x20"));
        assertThat(Frames.whereRunning(hugetlb)).isEqualTo("free_pool_huge_page");
        // corpus h-013 (3.10, every frame "?", cut at the NMI's end): the panic's printers and the hard-lockup
        // detector's NMI are skipped as in a reliable stack, and nothing is left
        List<Frame> panic = List.of(unreliable("dump_stack", "+0xc/0x15"), unreliable("panic", "+0xbb/0x1df"),
                unreliable("watchdog_overflow_callback", "+0xa8/0xb0"), unreliable("__perf_event_overflow", "+0x93/0x230"),
                unreliable("perf_event_update_userpage", "+0x12/0xf0"), unreliable("intel_pmu_handle_irq", "+0x1b4/0x340"),
                unreliable("perf_event_nmi_handler", "+0x26/0x40"),
                unreliable("do_nmi", "+0xfe/0x440"), unreliable("end_repeat_nmi", "+0x1e/0x7e"));
        assertThat(Frames.whereRunning(panic)).isEqualTo("?");
    }

    @Test
    void aHardLockupRunsWhereTheDetectorsNmiInterruptedIt() {
        // corpus c-012 (github.com/coreos/bugs/issues/2655): the perf NMI's frames, then the spinning code
        List<Frame> nmi = List.of(frame("watchdog_overflow_callback", "+0xd5/0xe0"),
                frame("__perf_event_overflow", "+0x7f/0x1c0"), frame("perf_event_overflow", "+0x14/0x20"),
                frame("intel_pmu_handle_irq", "+0x1e4/0x4a0"), unreliable("ioremap_page_range", "+0x287/0x3e0"),
                frame("perf_event_nmi_handler", "+0x2d/0x50"), frame("nmi_handle", "+0x66/0x120"),
                frame("default_do_nmi", "+0x44/0x110"), frame("do_nmi", "+0xec/0x140"),
                frame("end_repeat_nmi", "+0x1a/0x1e"), unreliable("native_queued_spin_lock_slowpath", "+0x113/0x1a0"),
                frame("_raw_spin_lock_irq", "+0x28/0x30"));
        assertThat(Frames.whereRunning(nmi)).isEqualTo("_raw_spin_lock_irq");
    }

    @Test
    void anEbpfProgramUnderFramesTheUnwinderVouchedForIsNotWhere() {
        // corpus p-013 (s390x 6.x, frames the unwinder vouched for): the lock code the program's trampoline called
        List<Frame> test = List.of(frame("lock_release", "+0xbe/0x190"), frame("__bpf_prog_exit_recur", "+0x5c/0x68"),
                frame("bpf_trampoline_73014444060", "+0xb0/0xd2"), frame("bpf_prog_eb7edc599e93dcc8_entry", "+0x5c/0xc8"),
                frame("bpf_test_run", "+0x216/0x3a8"));
        assertThat(Frames.whereRunning(test)).isEqualTo("lock_release");
    }

    @Test
    void aStallDumpOfRiscvArmAndPowerpcIsWhereItsInterruptStoppedTheCpu() {
        // corpus zg-022 (riscv, the RCU stall's dump of systemd-shutdown: the unwinder on top, the exception's entry
        // and return below the timer)
        assertThat(Frames.whereRunning(frames("walk_stackframe+0x0/0xa4", "show_stack+0x2a/0x34",
                "sched_show_task+0x158/0x174", "rcu_sched_clock_irq+0x6b2/0x6ec", "update_process_times+0x1e/0x44",
                "tick_sched_handle.isra.16+0x30/0x3e", "tick_sched_timer+0x4e/0x94", "__hrtimer_run_queues+0x10c/0x2de",
                "hrtimer_interrupt+0xcc/0x1d6", "riscv_timer_interrupt+0x32/0x3a", "do_IRQ+0xae/0xba",
                "ret_from_exception+0x0/0xc", "machine_restart+0xc/0xe"))).isEqualTo("machine_restart");
        // corpus zg-004 (powerpc: the decrementer's entry, then the frame "--- interrupt: 901 at" names)
        assertThat(Frames.whereRunning(frames("dump_stack+0xf4/0x164", "nmi_cpu_backtrace+0x1b4/0x1e0",
                "nmi_trigger_cpumask_backtrace+0x228/0x2c0", "arch_trigger_cpumask_backtrace+0x28/0x40",
                "rcu_dump_cpu_stacks+0x1c4/0x234", "rcu_sched_clock_irq+0xd54/0x1130",
                "update_process_times+0x48/0xb0", "tick_sched_handle+0x34/0xb0", "tick_sched_timer+0x68/0xe0",
                "__hrtimer_run_queues+0x528/0xa60", "hrtimer_interrupt+0x128/0x330", "timer_interrupt+0x264/0x680",
                "decrementer_common+0x124/0x130", "debug_vm_pgtable+0x7a8/0xbb4"))).isEqualTo("debug_vm_pgtable");
        // corpus zg-025 (32-bit ARM, 4.x: the board's local timer, smp_twd, above the GIC's dispatch; the "from"
        // frames as the ARM unwinder prints them, reduced to function and offset)
        List<Frame> arm = new java.util.ArrayList<>(frames("update_process_times+0x48/0x74",
                "tick_sched_handle+0x58/0x5c", "tick_sched_timer+0x54/0x9c", "__hrtimer_run_queues+0x158/0x414",
                "hrtimer_interrupt+0xb8/0x200", "twd_handler+0x3c/0x50", "handle_percpu_devid_irq+0xd0/0x250",
                "generic_handle_irq+0x30/0x44", "__handle_domain_irq+0x60/0xc8", "gic_handle_irq+0x60/0xc4",
                "__irq_svc+0x58/0x78"));
        arm.add(frame("do_raw_spin_lock", ""));
        arm.addAll(frames("_raw_spin_lock+0x6c/0x80", "futex_wake+0x90/0x168"));
        assertThat(Frames.whereRunning(arm)).isEqualTo("do_raw_spin_lock");
    }
}
