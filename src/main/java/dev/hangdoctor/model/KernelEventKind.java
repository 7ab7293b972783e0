package dev.hangdoctor.model;

/** The kinds of kernel message hangdoctor reads. */
public enum KernelEventKind {
    /** "INFO: task X:PID blocked for more than N seconds." */
    HUNG_TASK,
    /** 6.16+: "INFO: task X:PID is blocked on a mutex/semaphore/rw-semaphore likely owned by task Y:PID." */
    HUNG_TASK_LOCK_OWNER,
    /** "watchdog: BUG: soft lockup - CPU#N stuck for Ns! [comm:pid]" */
    SOFT_LOCKUP,
    /** "NMI watchdog: Watchdog detected hard LOCKUP on cpu N" */
    HARD_LOCKUP,
    /**
     * crash's {@code runq -T} ("CPU 22: 7.75 secs"): the runqueue clock of a CPU running a task lags the newest by
     * seconds (it took no scheduler tick); made by the trace reader, with the task a crash {@code bt} shows there.
     */
    RUNQ_CLOCK_LAG,
    /** "INFO: rcu_sched self-detected stall on CPU", "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:" */
    RCU_STALL,
    /**
     * A dump's taint flags hold 'L' (TAINT_SOFTLOCKUP, "CPU: 19 PID: 2978 Comm: x Tainted: G D W OEL 5.4.62 #1"):
     * a soft lockup happened on this boot before the dump was printed, though its BUG line may not be in the text.
     */
    SOFT_LOCKUP_TAINT,
    /** "X invoked oom-killer: gfp_mask=..., order=N, oom_score_adj=N" */
    OOM_INVOKED,
    /** "Memory cgroup out of memory: Kill process N (comm) score S or sacrifice child" (and the global one) */
    OOM_KILL_CHOSEN,
    /** "Killed process N (comm) total-vm:...kB, anon-rss:...kB, ..." / "Memory cgroup out of memory: Killed process ..." */
    OOM_KILLED,
    /**
     * "Out of memory and no killable processes..." (mm/oom_kill.c): the OOM killer found no victim (every task
     * unkillable, oom_score_adj -1000, or already exiting); a panic reason on older kernels, a warning since 4.19.
     */
    OOM_NO_VICTIM,
    /** "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=...,task_memcg=...,task=...,pid=...,uid=..." */
    OOM_KILL_CONTEXT,
    /**
     * The OOM killer's task table (mm/oom_kill.c dump_tasks): "Tasks state (memory values in pages):", the header
     * "[ pid ]   uid  tgid total_vm      rss ... oom_score_adj name" and its rows "[  18568]     0 18568 ... nginx";
     * one event per table. Printed by the global and the memory cgroup's OOM killer alike.
     */
    OOM_TASK_LIST,
    /** "Task in /x killed as a result of limit of /x" and "memory: usage N, limit N, failcnt N" lines */
    MEMCG_STATUS,
    /** "Kernel panic - not syncing: ..." */
    PANIC,
    /** "sysrq: Show State" / "SysRq : Show Blocked State" */
    SYSRQ,
    /** "nfs: server X not responding, still trying" / "... OK" */
    NFS_NOT_RESPONDING,
    /**
     * The NFS client's own failures that leave a mount or lock waiting: "RPC: AUTH_GSS upcall timed out." (rpc.gssd
     * did not answer), "lockd: cannot monitor HOST" (rpc.statd did not), "NFS: FUNC unhandled error N. Exiting with
     * error EIO" (a mount's client-ID discovery gave up).
     */
    NFS_CLIENT_ERROR,
    /** "blk_update_request: I/O error", "INFO: task ... blocked" around block layer, "rejecting I/O to offline device" */
    BLOCK_IO_ERROR,
    /**
     * fs/xfs/kmem.c: "XFS: comm(pid) possible memory allocation deadlock [size N ]in kmem_alloc (mode:0x...)": an XFS
     * allocation that may not fail retried 100 times in a row (printed every 100 retries while it loops).
     */
    XFS_ALLOC_DEADLOCK,
    /**
     * net/core/dev.c: "unregister_netdevice: waiting for lo to become free. Usage count = 1", repeated every 10 s
     * while a device being unregistered keeps references: the namespace teardown (cleanup_net) or the unregister
     * that prints it cannot finish, and holds the net namespace and RTNL locks the while.
     */
    NETDEV_UNREGISTER_WAIT,
    /**
     * A storage device's driver saying a command timed out or failed: nvme "I/O N QID N timeout, aborting|reset
     * controller|completion polled|disable controller", mmc "mmcblk1: error -110 sending stop command ...", scsi
     * "sd 0:0:0:0: timing out command, waited 180s", libata "ata1.00: failed command: READ FPDMA QUEUED".
     */
    STORAGE_DEVICE_ERROR,
    /**
     * A GPU driver reporting that its GPU stopped running jobs, was reset, or left the bus: amdgpu "ring gfx
     * timeout, signaled seq=...", "IP block:gmc_v8_0 is hung!", "GPU reset begin!"; i915 "GPU HANG: ecode ...",
     * "Resetting rcs0 for ..."; msm "hangcheck detected gpu lockup rb 0!"; panfrost "gpu sched timeout, js=...";
     * etnaviv "recover hung GPU!"; the NVIDIA driver's "NVRM: Xid (PCI:0000:01:00): 79, ...".
     */
    GPU_HANG,
    /**
     * A kernel oops, which kills the task it happened in (and leaves whatever locks it held taken): lib/bug.c's
     * "kernel BUG at lib/list_debug.c:51!", the die header of arch/x86/kernel/dumpstack.c ("invalid opcode: 0000
     * [#1] SMP PTI", "general protection fault: 0000 [#1] SMP", "Oops: 0002 [#1] SMP", 6.x "Oops: invalid opcode:
     * ..."), arm64's "Internal error: Oops: 96000005 [#1] PREEMPT SMP", and the page fault that caused it
     * (arch/x86/mm/fault.c "BUG: unable to handle kernel NULL pointer dereference at ...", "BUG: unable to handle
     * page fault for address: ...", "BUG: kernel NULL pointer dereference, address: ..."; arm/arm64 "Unable to
     * handle kernel NULL pointer dereference at virtual address ..." / "... paging request at virtual address ...").
     * {@code pid}/{@code comm}/{@code cpu} from the "CPU: N PID: P Comm: C" line printed right after it;
     * {@code what}: bug | die | fault.
     */
    OOPS,
    /** "Linux version 3.10.0-862.el7.x86_64 (...)" boot banner, or a "CPU: 5 PID: 1 Comm: x Tainted: ... 5.14.0 #1" line */
    KERNEL_VERSION,
    /**
     * A CPU's register dump (x86 "RIP: 0010:fn+0x../0x.." and the "CR2: ... CR4: ..." line, arm64 "pc : fn+0x../0x..")
     * above a stack that never went to sleep, with no lockup, RCU stall, oops, WARNING or BUG header in the evidence:
     * the body of a soft lockup or NMI backtrace whose header was not pasted. {@code pid} is that CPU's task (a stack
     * of nobody, read as running); {@code pc} the function the registers name, when the dump kept its pc line.
     */
    CPU_REGISTERS,
    /**
     * An NMI backtrace (lib/nmi_backtrace.c's nmi_cpu_backtrace under the NMI or IPI handler) of a CPU spinning in a
     * spin lock's or rwlock's slow path, with no lockup, RCU stall or oops report in the evidence: the dump a detector
     * or SysRq-l asked for, pasted without the report that asked. {@code pid} is that CPU's task (read as running);
     * {@code lock} the lock function it spins in.
     */
    NMI_BACKTRACE,
    /** Output of an ad-hoc probe (systemtap/bpftrace) such as "call handle_mm_fault tid=112272,address=cd3468,..." */
    FAULT_PROBE,
    /** Anything else kept as context. */
    OTHER
}
