package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.LockOwnerHint;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.hangdoctor.parse.KernelMessageText.commaKeyValues;
import static dev.hangdoctor.parse.KernelMessageText.intAt;
import static dev.hangdoctor.parse.KernelMessageText.longAt;
import static dev.hangdoctor.parse.KernelMessageText.pidColon;
import static dev.hangdoctor.parse.KernelMessageText.word;

/**
 * Recognises the kernel messages that matter to a hang (see {@link KernelEventKind}) and adds them to the
 * evidence as {@link KernelEvent}s whose {@code source} is "file:line". Hung-task reports also fill the blocked
 * task ({@link Evidence#task}: comm, blocked seconds, state D), and 6.16+ blocker reports add a
 * {@link LockOwnerHint} to the waiter. The first kernel release seen sets {@code host().kernelRelease}.
 *
 * <p>{@code fields} keys by kind:
 * <ul>
 *   <li>HUNG_TASK: {@code seconds}.</li>
 *   <li>HUNG_TASK_LOCK_OWNER: {@code lock} (mutex | semaphore | rwsem-reader | rwsem-writer | rwsem when the
 *       owner was not found), {@code owner-pid}, {@code owner-comm} (absent when the kernel says "the owner is
 *       not found"), {@code owner-role} (reader | writer, rw-semaphores only); no fields when the line was cut
 *       inside the lock's kind.</li>
 *   <li>SOFT_LOCKUP: {@code seconds}.</li>
 *   <li>HARD_LOCKUP: {@code detected-by} (the CPU that noticed, when printed as "CPUn: ").</li>
 *   <li>RCU_STALL: {@code flavor} (rcu_sched, rcu_preempt, rcu_bh, ...), {@code kind} (self-detected |
 *       detected | expedited), {@code cpus} (the stalled CPUs, comma-separated, from the header's "{ 3 5 }" or the
 *       per-CPU lines that follow it), {@code detected-by}, {@code tasks} (the pids of "P392" marks: tasks preempted in a
 *       read-side section, in the braces or after "Tasks blocked on level-N rcu_node"). {@code cpu} is the first
 *       stalled CPU, {@code pid} the first such task. The per-CPU
 *       lines ("rcu: \t3-....: (1 GPs behind) idle=..." or "\t3: (...)") are folded into the event before it.
 *       {@code from} says what stands for a report whose own lines are all lost: "task-dump" (only dump_cpu_task's
 *       "Task dump for CPU N:") or "stack" (only the detector's stack, see TraceSink).</li>
 *   <li>OOM_INVOKED: {@code gfp_mask} (the number), {@code gfp_flags} (the names in parentheses, when printed),
 *       {@code order}, {@code oom_score_adj}, {@code nodemask} when printed (4.x).</li>
 *   <li>OOM_KILL_CHOSEN: {@code score}, {@code scope} (memcg | global).</li>
 *   <li>OOM_KILLED: {@code total-vm-kb}, {@code anon-rss-kb}, {@code file-rss-kb}, {@code shmem-rss-kb},
 *       {@code pgtables-kb}, {@code uid}, {@code oom_score_adj} (what the kernel printed), {@code scope} (memcg |
 *       global: from the line itself, or from the "Kill process" line just before it).</li>
 *   <li>OOM_NO_VICTIM: {@code scope} "global" when it is a panic's reason (no field for the warning).</li>
 *   <li>OOM_TASK_LIST: {@code what} (title | header | row: the table's first line in the evidence).</li>
 *   <li>OOM_KILL_CONTEXT: every key=value of the line as printed (constraint, nodemask, cpuset, mems_allowed,
 *       oom_memcg, task_memcg, task, pid, uid).</li>
 *   <li>MEMCG_STATUS: {@code task_memcg}, {@code limit_memcg} ("Task in X killed as a result of limit of Y"), or
 *       {@code counter} (memory | memory+swap | kmem | swap), {@code usage-kb}, {@code limit-kb}, {@code failcnt}.
 *       </li>
 *   <li>PANIC: {@code reason}.</li>
 *   <li>SYSRQ: {@code what} ("Show Blocked State", "Show State", ...).</li>
 *   <li>NFS_NOT_RESPONDING: {@code server}, {@code program} (nfs, lockd, ...), {@code status} (not-responding |
 *       ok), {@code detail} (still trying | timed out; absent when only the message's stem was given).</li>
 *   <li>NFS_CLIENT_ERROR: {@code what} (gss-upcall-timeout | lockd-cannot-monitor | unhandled-error), {@code host}
 *       (the peer lockd could not monitor), {@code function} and {@code error} (an unhandled error's).</li>
 *   <li>BLOCK_IO_ERROR: {@code dev}, {@code sector}, {@code error} ("I/O", "critical medium", ...), {@code op}
 *       ("WRITE", ...), {@code block} (Buffer I/O error's logical block), {@code what} (offline-device |
 *       buffer-io | request).</li>
 *   <li>XFS_ALLOC_DEADLOCK: {@code function} (kmem_alloc, kmem_zone_alloc, ...), {@code mode} (the gfp flags,
 *       hex), {@code size} (4.x+). {@code pid}/{@code comm} the looping task (absent on 2.6).</li>
 *   <li>NETDEV_UNREGISTER_WAIT: {@code dev} (the device waited for), {@code usage} (its reference count, when
 *       printed whole).</li>
 *   <li>STORAGE_DEVICE_ERROR: {@code dev} (nvme0, mmcblk1, 0:0:0:0, ata1.00, 0000:5a:00.0, mpt3sas_cm0),
 *       {@code driver} (nvme | mmc | scsi | ata | megaraid_sas | mpt2sas | mpt3sas | aacraid | hpsa | qla2xxx | nbd | iscsi),
 *       {@code what} (timeout | error | reset | hung).</li>
 *   <li>GPU_HANG: {@code dev} (0000:03:00.0, ff9a0000.gpu; when the line names it), {@code driver} (amdgpu | i915 |
 *       msm | panfrost | etnaviv | nvidia), {@code what} (timeout | hung | reset | xid N).</li>
 *   <li>KERNEL_VERSION: {@code release}. Recorded once per distinct release.</li>
 *   <li>FAULT_PROBE: {@code time}, {@code function}, and every key=value of the probe ({@code tid},
 *       {@code address}, {@code vma}, {@code flags}, ...). {@code pid} is the tid.</li>
 * </ul>
 * Most lines are noise: each is turned away after a switch on its first character and a few startsWith or
 * indexOf tests; nothing is allocated for a line that is not an event.
 */
public final class KernelEventSink implements LineSink {
    private static final int MAX_RELEASES = 16;
    /** kernel/hung_task.c: the line under every hung-task header, whatever the kernel generation. */
    private static final String HUNG_TASK_NOTICE_WORDS = "/proc/sys/kernel/hung_task_timeout_secs\" disables this message";

    /** mm/oom_kill.c: the killer found nobody to kill (a warning since 4.19, a panic's reason before). */
    private static final String OOM_NO_VICTIM = "Out of memory and no killable processes";

    private final Evidence evidence;
    private final String source;
    private final Set<String> releases = new HashSet<>();
    private final KernelEventOut out = this::event;
    private final KernelRcuStalls rcuStalls = new KernelRcuStalls(out);
    private final KernelOomMessages oom = new KernelOomMessages(out);

    public KernelEventSink(Evidence evidence, String source) {
        this.evidence = evidence;
        this.source = source;
    }

    @Override
    public boolean accept(LogLine line) {
        String m = line.message();
        if (m == null || m.length() < 4) {
            return false;
        }
        if (rcuStalls.follow(m)) {
            return true;
        }
        // a line the kernel starts with a task's name (which any local user sets) is that line and no other,
        // whatever message's start the name imitates ("Killed process", "INFO: task x:1", "Linux version ")
        int invoked = KernelNames.invokedAt(m, 0, m.length());
        if (invoked >= 0) {
            return oom.invoked(line, m, invoked);
        }
        if (KernelNames.oldTaskNameEnd(m, 0, m.length()) >= 0) {
            return false;
        }
        // (the other lines a name starts, "%s[%d]: segfault at", are none of the rows: recognise masks their names)
        return recognise(line, m);
    }

    @Override
    public void finish() {
        rcuStalls.flush();
    }

    @Override
    public boolean idle() {
        return rcuStalls.idle();
    }

    /** Reads one message a trigger let through; false leaves it to the next trigger. */
    private interface Reader {
        boolean read(LogLine line, String m);
    }

    /**
     * Every message this sink reads, as (trigger, reader) rows: the noise pre-check ({@link #describe}) and the
     * dispatch ({@link #recognise}) both read this one table. Most lines are turned away after the rows of their
     * first character.
     */
    private static final String OLD_NMI_LOCKUP = "NMI Watchdog detected LOCKUP on CPU";
    private static final String OLD_NMI_LOCKUP_RT = "NMI watchdog detected lockup on CPU";

    /** How a held-lock list's first line can start: its count ("1 lock held by", "12 locks held by"). */
    private static final String[] HOLDER_STARTS = java.util.stream.IntStream.range(1, 100)
            .mapToObj(n -> n < 10 ? n + " " : Integer.toString(n)).toArray(String[]::new);

    /** Whose held locks the "#N:" lines now read belong to, or null. */
    private LockdepHeldLocks.Holder heldBy;
    /** A taint 'L' was seen: one event says it. */
    private boolean softLockupTainted;

    private final TriggerTable<Reader> triggers = new TriggerTable<Reader>()
            .prefix("INFO: task ", this::hungTask)
            .prefix(TaskLineParser.HUNG_LOWER, this::hungTask)
            .prefix("INFO: rcu", (line, m) -> rcuStalls.header(line, m, 6))
            .prefix("I/O error, dev ", (line, m) -> KernelIoMessages.blockRequestError(out, line, m, 0))
            .prefix("rcu: INFO: ", (line, m) -> rcuStalls.header(line, m, 11))
            .prefix("BUG: soft lockup", this::softLockup)
            .prefix("Buffer I/O error on dev", (line, m) -> KernelIoMessages.bufferIoError(out, line, m))
            .prefix("NMI watchdog: ", (line, m) -> watchdog(line, m, 14))
            .prefix("watchdog: ", (line, m) -> watchdog(line, m, 10))
            .prefix("Watchdog detected hard LOCKUP", (line, m) -> watchdog(line, m, 0))
            .prefix("Watchdog CPU:", (line, m) -> watchdog(line, m, 0))
            .prefix(OLD_NMI_LOCKUP, this::oldNmiLockup)
            .prefix(OLD_NMI_LOCKUP_RT, this::oldNmiLockup)
            .prefix("Memory cgroup out of memory: ", (line, m) -> oom.kill(line, m, 29, "memcg"))
            .prefix("Out of memory: ", (line, m) -> oom.kill(line, m, 15, "global"))
            .prefix(OOM_NO_VICTIM, (line, m) -> event(line, KernelEventKind.OOM_NO_VICTIM, null, null, null,
                    Map.of()))
            .prefix("Killed process ", (line, m) -> oom.killed(line, m, 0, null))
            .prefix("Kernel panic - not syncing: ", this::panic)
            .prefix("oom-kill:", (line, m) -> oom.context(line, m))
            .prefix("Task in ", (line, m) -> oom.memcgTaskIn(line, m))
            // the OOM killer's task table: its title (4.19+), header and rows, also without the rest of the report
            .prefix("Tasks state (memory values in pages):", (line, m) -> oom.taskTable(line, m, "title"))
            .rowStarting(KernelOomMessages::taskTableLine, (line, m) -> oom.taskTable(line, m,
                    m.indexOf("pid", 1) > 0 && m.indexOf("pid", 1) < 5 ? "header" : "row"),
                    "[ ", "[0", "[1", "[2", "[3", "[4", "[5", "[6", "[7", "[8", "[9")
            // lockdep's list of the locks each task holds: who, then one "#N:" line per lock
            .rowStarting(LockdepHeldLocks::mayBeHolder, this::heldLocksOf, HOLDER_STARTS)
            .rowStarting(LockdepHeldLocks::mayBeEntry, this::heldLock, " #", "#0", "#1", "#2", "#3", "#4", "#5", "#6",
                    "#7", "#8", "#9")
            .prefix("Tainted: ", this::releaseAfterTaint)
            // the taint line with its indentation lost (a page collapsed the spaces): "Not tainted 4.11.0-generic #1"
            .prefix("Not tainted ", this::releaseAfterTaint)
            // crash's "sys": "     RELEASE: 2.6.32-220.el6.x86_64"
            .prefix("RELEASE: ", this::crashRelease)
            .prefix("memory: usage ", (line, m) -> oom.memcgCounter(line, m, "memory", 14))
            .prefix("Memory cgroup stats for ", (line, m) -> oom.memcgStats(line, m))
            .prefix("memory+swap: usage ", (line, m) -> oom.memcgCounter(line, m, "memory+swap", 19))
            .prefix("kmem: usage ", (line, m) -> oom.memcgCounter(line, m, "kmem", 12))
            .prefix("swap: usage ", (line, m) -> oom.memcgCounter(line, m, "swap", 12))
            .prefix("SysRq : ", (line, m) -> sysrq(line, m, 8))
            .prefix("sysrq: ", (line, m) -> sysrq(line, m, 7))
            .prefix("Linux version ", (line, m) -> kernelRelease(line, word(m, 14), null, null, null))
            .prefix("CPU: ", this::dumpStackHeader)
            // sparc64 sun4v: a cross-call a CPU never takes ("CPU[4]: SUN4V mondo timeout, cpu(5) made no forward ...")
            .prefix("CPU[", this::sun4vMondoTimeout)
            // a kernel oops (the task it hit dies holding its locks): BUG at, the die header, the fault before it
            .prefix("kernel BUG at ", (line, m) -> oops(line, m, "bug", m.indexOf(':', 14) > 14 && m.endsWith("!")))
            // x86_64 2.6.x handle_BUG(): "Kernel BUG at %s%.50s:%d"
            .prefix("Kernel BUG at ", (line, m) -> oops(line, m, "bug", m.indexOf(':', 14) > 14))
            // the task an oops hit, as show_regs() and die() named it before dump_stack's header: "Pid: %d, comm: %s
            // %s %s %.*s" (also the kernel release), "Process %s (pid: %d, ...)"
            .prefix("Pid: ", this::regsHeader)
            .prefix("Process ", this::regsHeader)
            .prefix("invalid opcode: ", (line, m) -> oops(line, m, "die", dieHeader(m)))
            .prefix("general protection fault", (line, m) -> oops(line, m, "die", dieHeader(m)))
            .prefix("Oops: ", (line, m) -> oops(line, m, "die", dieHeader(m)))
            .prefix("Internal error: ", (line, m) -> oops(line, m, "die", dieHeader(m)))
            .prefix("BUG: unable to handle ", (line, m) -> oops(line, m, "fault", true))
            .prefix("BUG: kernel NULL pointer dereference", (line, m) -> oops(line, m, "fault", true))
            .prefix("Unable to handle kernel ", (line, m) -> oops(line, m, "fault", true))
            // an RCU stall report's own lines below its first one, when that one is not in the evidence
            .row("rT\t (AU", KernelRcuStalls::orphanLine, rcuStalls::orphan)
            // dump_cpu_task's line, which only the stall reports print but smp.c's CSD-lock debugging, after its own
            .prefix("Task dump for CPU ", this::taskDump)
            .rowStarting(KernelEventSink::csdLockLine, this::csdLock, "cs", "\tc", " c", "sm")
            // the hung-task report's second line, "      Tainted: G  OE  ...   3.10.0-1160.el7.x86_64 #1"
            .row(" \t", KernelEventSink::indentedTaintLine, this::indentedTaint)
            .row(":", (s, from, end) -> true, (line, m) -> faultProbe(line, m, 1))
            .prefix("blk_update_request: ", (line, m) -> KernelIoMessages.blockRequestError(out, line, m, 20))
            .prefix("blk_print_req_error: ", (line, m) -> KernelIoMessages.blockRequestError(out, line, m, 21))
            .prefix("end_request: ", (line, m) -> KernelIoMessages.blockRequestError(out, line, m, 13))
            .prefix("print_req_error: ", (line, m) -> KernelIoMessages.blockRequestError(out, line, m, 17))
            .prefix("call ", (line, m) -> m.indexOf(" tid=") > 0 && faultProbe(line, m, -1))
            // the notice, also inside a sentence or a code span ("... `\"echo 0 > ...\" disables this message.`")
            .contains(HUNG_TASK_NOTICE_WORDS, 'k', this::hungTaskNotice)
            // the header without its "INFO: ", quoted in a sentence or a title ("I see \"task swupdate-progre:181
            // blocked for more than 245 seconds.\""), or a line that lost its start
            .contains(HUNG_TASK_WORDS, 'k', this::hungTaskInLine)
            .prefix(KernelNfsMessages.GSS_UPCALL_TIMED_OUT, (line, m) -> KernelNfsMessages.gssUpcallTimedOut(out, line, m))
            .prefix(KernelNfsMessages.LOCKD_CANNOT_MONITOR, (line, m) -> KernelNfsMessages.lockdCannotMonitor(out, line, m))
            .prefix("NFS: ", (line, m) -> KernelNfsMessages.unhandledError(out, line, m))
            .prefix("XFS: ", this::xfsAllocDeadlock)
            .prefix(KernelNetMessages.UNREGISTER_WAIT, (line, m) -> KernelNetMessages.unregisterWait(out, line, m))
            // lines that start with a name (comm, program, driver): found by a scan of the line
            .contains(" invoked oom-killer: ", 'k', (line, m) -> oom.invoked(line, m, m.indexOf(" invoked oom-killer: ")))
            // the same line wrapped right after its trigger (a mailer's wrap at 72, "gfp_mask=..." on the next line):
            // let through so the paste reader can hold it for its rest, and read on its own when no rest comes
            .endsWith(" invoked oom-killer:", (line, m) -> oom.invoked(line, m, m.length() - 20))
            .contains(": server ", 'v', this::nfsServer)
            .contains(" error, dev ", 'v', (line, m) -> KernelIoMessages.blockRequestError(out, line, m, 0))
            // the soft lockup's line retyped by hand with its "BUG:" in another case (a forum title, a ticket):
            // "Watchdog: Bug: soft lockup - CPU#0 stuck for 24s!"; the kernel itself always prints "BUG:"
            // lib/bug.c's line inside a longer one (a page that lost its line breaks, a prefix nobody strips)
            .contains("kernel BUG at ", 'U', this::bugInLine)
            .contains("Bug: soft lockup - CPU#", 'U', (line, m) -> softLockupRetyped(line, m, "Bug: soft lockup"))
            .contains("bug: soft lockup - CPU#", 'U', (line, m) -> softLockupRetyped(line, m, "bug: soft lockup"))
            // the watchdog's line after a prefix of its own: a vendor kernel's "WARN: soft lockup - CPU#45 stuck
            // for 11s! [jbd2/dm-2-8:4170]", a console's or a tool's tag; read on its own words
            .contains(SOFT_LOCKUP_WORDS, 'U', this::softLockupAfterPrefix)
            // the same words retyped or cut without the CPU's number (an issue title, a forum post): "BUG: soft
            // lockup - CPU stuck for 23s! [nautilus-search: 4883]"; the kernel always prints "CPU#%d"
            .contains(SOFT_LOCKUP_NO_CPU, 'U', this::softLockupAfterPrefix)
            .prefix("nvme", (line, m) -> KernelDeviceMessages.nvmeTimeout(out, line, m))
            .prefix("host1x ", (line, m) -> KernelDeviceMessages.host1xSyncpointStuck(out, line, m))
            .prefix("nvhost", (line, m) -> KernelDeviceMessages.host1xSyncpointStuck(out, line, m))
            .prefix("mmc", (line, m) -> KernelDeviceMessages.mmcError(out, line, m))
            .prefix("sd ", (line, m) -> KernelDeviceMessages.scsiMessage(out, line, m))
            .prefix("mptscsih: ", (line, m) -> KernelDeviceMessages.mptscsihRecovery(out, line, m))
            .prefix("ata", (line, m) -> KernelDeviceMessages.ataFailedCommand(out, line, m))
            // a host adapter waiting for, aborting or resetting commands its controller does not complete
            .prefix("megaraid_sas", (line, m) -> KernelDeviceMessages.megaraidRecovery(out, line, m))
            .prefix("megasas: ", (line, m) -> KernelDeviceMessages.megaraidRecovery(out, line, m))
            .prefix("mpt2sas", (line, m) -> KernelDeviceMessages.mptSasRecovery(out, line, m))
            .prefix("mpt3sas", (line, m) -> KernelDeviceMessages.mptSasRecovery(out, line, m))
            .prefix("aacraid", (line, m) -> KernelDeviceMessages.aacraidRecovery(out, line, m))
            .prefix("hpsa ", (line, m) -> KernelDeviceMessages.hpsaLockup(out, line, m))
            .prefix("qla2xxx [", (line, m) -> KernelDeviceMessages.qla2xxxRecovery(out, line, m))
            // a network block device's transport: nbd's socket, an iSCSI initiator's connection
            .prefix("block nbd", (line, m) -> KernelDeviceMessages.nbdError(out, line, m))
            .contains(": detected conn error (", '(', (line, m) -> KernelDeviceMessages.iscsiConnError(out, line, m))
            // a GPU driver's hang and reset messages (amdgpu, i915, msm, panfrost, etnaviv, the NVIDIA driver's Xid)
            .contains(" timeout, signaled seq=", 'q', (line, m) -> KernelDeviceMessages.amdgpuRingTimeout(out, line, m))
            .contains(" timeout, last signaled seq=", 'q', (line, m) -> KernelDeviceMessages.amdgpuRingTimeout(out, line, m))
            .contains(" is hung!", '!', (line, m) -> KernelDeviceMessages.amdgpuHung(out, line, m))
            .contains("GPU reset begin!", 'U', (line, m) -> KernelDeviceMessages.amdgpuHung(out, line, m))
            .contains("GPU HANG: ecode ", 'U', (line, m) -> KernelDeviceMessages.i915Hang(out, line, m))
            .contains(": Resetting ", 'R', (line, m) -> KernelDeviceMessages.i915Hang(out, line, m))
            .contains("] Resetting ", 'R', (line, m) -> KernelDeviceMessages.i915Hang(out, line, m))
            .contains(": hangcheck detected gpu lockup rb ", 'k', (line, m) -> KernelDeviceMessages.armGpuHang(out, line, m))
            .contains(": gpu sched timeout, js=", 'j', (line, m) -> KernelDeviceMessages.armGpuHang(out, line, m))
            .contains(": recover hung GPU!", 'U', (line, m) -> KernelDeviceMessages.armGpuHang(out, line, m))
            .prefix("NVRM: Xid (", (line, m) -> KernelDeviceMessages.nvidiaXid(out, line, m))
            .endsWith(": rejecting I/O to offline device", (line, m) -> KernelIoMessages.offlineDevice(out, line, m));

    @Override
    public void describe(LineScreen.Builder screen) {
        triggers.describe(screen);
    }

    private boolean recognise(LogLine line, String m) {
        // rows are chosen by the kernel's words, never by a task's name (which any local user sets) inside them
        // (accept found the message to be no "%s invoked oom-killer:" and no older task line)
        String chooser = KernelNames.maskedNeitherInvokedNorOld(m);
        for (int row = triggers.next(chooser, -1); row >= 0; row = triggers.next(chooser, row)) {
            if (triggers.handler(row).read(line, m)) {
                return true;
            }
        }
        return false;
    }

    private static boolean indentedTaintLine(String s, int from, int end) {
        int i = from;
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return RawText.startsWith(s, i, end, "Tainted: ") || RawText.startsWith(s, i, end, "Not tainted ")
                || RawText.startsWith(s, i, end, "RELEASE: ");
    }

    /** Printed only under a hung-task report: the report's own header line may have been cut off. */
    /**
     * kernel/hung_task.c's notice under every hung-task report: noted (the report then speaks of a wait that
     * lasted), and when no header came before it (the paste or the page kept only this line), it stands for the
     * report itself: a hung task nobody named.
     */
    private boolean hungTaskNotice(LogLine line, String m) {
        evidence.noteHungTaskNotice();
        if (evidence.events(KernelEventKind.HUNG_TASK).isEmpty() && evidence.tasks().isEmpty()) {
            event(line, KernelEventKind.HUNG_TASK, null, null, null, Map.of());
        }
        return false; // the line stays the report's words
    }

    /** The line of the last CSD-lock report line ("csd: ..."), or -1. */
    private long csdLockAt = -1;

    /**
     * kernel/smp.c csd_lock_wait_toolong (5.10+, CONFIG_CSD_LOCK_WAIT_DEBUG), with its "smp: " tag since 5.11:
     * "smp: csd: Detected non-responsive CSD lock (#1) on CPU#18, waiting 5000000046 ns for CPU#06 ...", "smp:
     * \tcsd: CSD lock (#1) unresponsive.", the extended debug's "\tcsd: cnt(...)" lines, then dump_cpu_task of
     * the CPU that does not answer.
     */
    private static boolean csdLockLine(String s, int from, int end) {
        int i = RawText.startsWith(s, from, end, "smp:") ? from + 4 : from;
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return RawText.startsWith(s, i, end, "csd: ");
    }

    private boolean csdLock(LogLine line, String m) {
        csdLockAt = line.lineNo();
        return false; // noted only: the line is no event here
    }

    /**
     * kernel/sched/core.c dump_cpu_task's "Task dump for CPU %d:", then sched_show_task of what runs there: the RCU
     * stall warning prints it for each stalled CPU whose backtrace it cannot get by NMI (rcu_dump_cpu_stacks, the
     * expedited stall's dump, the starved grace-period kthread's CPU); the only other caller, smp.c's CSD-lock
     * debugging, prints its "csd:" lines right before. So the line stands for a stall report whose first lines are
     * not in the evidence, unless a stall report is (the dump is then that report's) or a CSD-lock report just came.
     */
    private boolean taskDump(LogLine line, String m) {
        int cpu = intAt(m, 18);
        int end = KernelMessageText.digitsEnd(m, 18);
        if (cpu < 0 || end >= m.length() || m.charAt(end) != ':' || !m.substring(end + 1).isBlank()) {
            return false;
        }
        if (csdLockAt >= 0 && line.lineNo() - csdLockAt <= 2) {
            return false;
        }
        if (!rcuStalls.idle() || !evidence.events(KernelEventKind.RCU_STALL).isEmpty()) {
            return false;
        }
        return event(line, KernelEventKind.RCU_STALL, null, null, cpu,
                Map.of("kind", "detected", "cpus", Integer.toString(cpu), "from", "task-dump"));
    }

    private boolean nfsServer(LogLine line, String m) {
        // the program's name may follow indentation the paste added (a quoted line in an article)
        int from = 0;
        while (from < m.length() && (m.charAt(from) == ' ' || m.charAt(from) == '\t')) {
            from++;
        }
        int server = m.indexOf(": server ", from);
        return server > from && server - from < 24 && KernelNfsMessages.notResponding(out, line, m, from, server);
    }
    // ---- hung tasks: "INFO: task jbd2/md127-8:587 blocked for more than 120 seconds."

    private boolean hungTask(LogLine line, String m) {
        int blocked = m.indexOf(HUNG_TASK_WORDS, 10);
        if (blocked > 0) {
            return numberedHungTask(line, m, blocked, longAt(m, blocked + 23));
        }
        return blockerReport(line, m) || cutHungTask(line, m);
    }

    /** kernel/hung_task.c's words after the task in its header, in every generation since 2.6.25. */
    private static final String HUNG_TASK_WORDS = " blocked for more than ";
    /** TASK_COMM_LEN less its NUL: the longest name the kernel prints for a task. */
    private static final int COMM_MAX = 15;

    /**
     * The hung-task header without the "INFO: " it starts with: a reporter quotes or retypes "task %s:%d blocked for more
     * than %ld seconds." in a sentence, a title or a code span. Read only in the header's own shape: the word "task" at
     * a word's start, then at most {@value #COMM_MAX} characters of name, a colon, a pid, the words, a number of
     * seconds. Lines that start with "INFO: task " are the prefix rows' (a header they decline stays declined).
     */
    private boolean hungTaskInLine(LogLine line, String m) {
        if (m.startsWith("INFO: task ") || m.startsWith(TaskLineParser.HUNG_LOWER)) {
            return false;
        }
        if (!"none".equals(line.prefix()) && !m.startsWith("task ")) {
            // a log's record holds the kernel's header at its start; one further in is another message's text,
            // which a local user may write (an audit record's exe path, a program's line in the journal)
            return false;
        }
        int blocked = m.indexOf(HUNG_TASK_WORDS);
        long seconds = longAt(m, blocked + HUNG_TASK_WORDS.length());
        if (seconds < 0) {
            return false;
        }
        // a task's name may itself hold "task ": the first "task " whose rest reads as "name:pid" is the header's
        for (int t = m.indexOf("task ", Math.max(0, blocked - 5 - COMM_MAX - 9)); t >= 0 && t < blocked;
                t = m.indexOf("task ", t + 1)) {
            int name = t + 5;
            int colon = pidColon(m, name, blocked);
            if ((t == 0 || !Character.isLetterOrDigit(m.charAt(t - 1))) && colon > name && colon - name <= COMM_MAX) {
                String header = "INFO: task " + m.substring(name);
                return numberedHungTask(line, header, blocked - name + 11, seconds);
            }
        }
        return false;
    }

    /** "INFO: task COMM:PID" before {@code blocked}; a header without a pid goes to {@link #unnumberedHungTask}. */
    private boolean numberedHungTask(LogLine line, String m, int blocked, long seconds) {
        int colon = pidColon(m, 11, blocked);
        if (colon < 0) {
            return unnumberedHungTask(line, m, blocked, seconds);
        }
        int pid = intAt(m, colon + 1);
        if (pid < 0) {
            return false;
        }
        String comm = m.substring(11, colon);
        Task t = evidence.task(pid).comm(comm).state(TaskState.UNINTERRUPTIBLE);
        if (seconds >= 0 && (t.blockedSeconds() == null || t.blockedSeconds() < seconds)) {
            t.blockedSeconds(seconds);
        }
        if (t.source() == null) {
            t.source(source + ":" + line.lineNo());
        }
        Map<String, String> f = seconds >= 0 ? Map.of("seconds", Long.toString(seconds)) : Map.of();
        keepTail(line, m, m.indexOf(" seconds", blocked + 23));
        return event(line, KernelEventKind.HUNG_TASK, pid, comm, null, f);
    }

    /**
     * The kernel prints nothing after "blocked for more than N seconds.": what follows it on the same line (a report
     * run into one line, a page that lost its line breaks) is the report's own words, kept as such.
     */
    private void keepTail(LogLine line, String m, int seconds) {
        if (seconds < 0) {
            return;
        }
        int from = seconds + 8;
        if (from < m.length() && m.charAt(from) == '.') {
            from++;
        }
        if (m.length() - from > 16 && !evidence.reportTextFull()) {
            evidence.addReportText(m.substring(from), line.lineNo(), 0);
        }
    }

    /**
     * A hung-task header whose pid the evidence does not give: a paste or an article put a placeholder where the
     * pid was ("INFO: task sysbox-fs:&lt;pid&gt; blocked", "INFO: task java: xxx blocked for more than 120 seconds.")
     * or left the task out ("INFO: task blocked for more than 120 seconds"). Still the detector's own words: the
     * report is a hung-task report, with a task nobody can number. {@code blocked} is where " blocked" starts.
     * Returns false: the event is recorded, the line is left to the report's words.
     */
    private boolean unnumberedHungTask(LogLine line, String m, int blocked, long seconds) {
        String comm = placeholderComm(m, blocked);
        if (comm == null) {
            return false;
        }
        Map<String, String> f = seconds >= 0 ? Map.of("seconds", Long.toString(seconds)) : Map.of();
        event(line, KernelEventKind.HUNG_TASK, null, comm.isEmpty() ? null : comm, null, f);
        // noted, yet the line stays the report's words: a header someone quoted without its pid stands in a title or
        // a sentence, and what they say around it (the cause they give) is evidence too
        return false;
    }

    /**
     * The comm before {@code blocked} in "INFO: task COMM[:PLACEHOLDER]", "" when the message names no task, or
     * null when the words there are no task at all (prose, or a pid too large to be one: a malformed line).
     */
    private static String placeholderComm(String m, int blocked) {
        if (blocked <= 11) {
            return ""; // "INFO: task blocked for more than 120 seconds"
        }
        String named = m.substring(11, blocked);
        int colon = named.lastIndexOf(':');
        String comm = colon < 0 ? named : named.substring(0, colon);
        String pid = colon < 0 ? "" : named.substring(colon + 1).trim();
        if (comm.isEmpty() || comm.length() > 64 || comm.indexOf(' ') >= 0 || pid.length() > 12
                || pid.indexOf(' ') >= 0 || (!pid.isEmpty() && RawText.isDigit(pid.charAt(0)))) {
            return null; // a pid that is digits was read (or refused) by the caller
        }
        return comm;
    }

    /**
     * A hung-task header the paste cut before its end: "INFO: task sysbox-fs:&lt;pid&gt; blocked" (cut inside " blocked
     * for more than"), or a logged line ending right after the task's name ("[  241.348762] INFO: task swapper/0",
     * the end of a serial console capture). Only a line with a log prefix may stop after the name: in prose "INFO:
     * task foo" is words, not a report.
     */
    private boolean cutHungTask(LogLine line, String m) {
        int end = m.length();
        while (end > 11 && m.charAt(end - 1) == ' ') {
            end--;
        }
        int blocked = m.lastIndexOf(" blocked", end);
        if (blocked > 11 && " blocked for more than ".startsWith(m.substring(blocked, end))) {
            return numberedHungTask(line, m, blocked, -1);
        }
        boolean logged = line.timestamp() != null || !"none".equals(line.prefix());
        int space = m.indexOf(' ', 11);
        if (!logged || end <= 11 || end - 11 > 40 || (space >= 0 && space < end)) {
            return false;
        }
        return event(line, KernelEventKind.HUNG_TASK, null, m.substring(11, end), null, Map.of());
    }

    /**
     * kernel/hung_task.c debug_show_blocker (6.16+):
     * "INFO: task %s:%d is blocked on a mutex likely owned by task %s:%d."
     * "INFO: task %s:%d blocked on a semaphore likely last held by task %s:%d"
     * "INFO: task %s:%d <%s> blocked on an rw-semaphore likely owned by task %s:%d <%s>"
     * "INFO: task %s:%d is blocked on a mutex, but the owner is not found." (and semaphore / rw-semaphore)
     */
    private boolean blockerReport(LogLine line, String m) {
        // the waiter's name (which any local user sets) may hold " blocked on a": the kernel's words are the first
        // that read whole
        for (int on = m.indexOf(" blocked on a", 11); on >= 0; on = m.indexOf(" blocked on a", on + 1)) {
            if (blockerReport(line, m, on)) {
                return true;
            }
        }
        return false;
    }

    private boolean blockerReport(LogLine line, String m, int on) {
        int waiterEnd = on;
        String role = null;
        if (m.startsWith(" is", waiterEnd - 3)) {
            waiterEnd -= 3;
        } else if (m.charAt(waiterEnd - 1) == '>') {
            int lt = m.lastIndexOf(" <", waiterEnd);
            if (lt < 11) {
                return false;
            }
            role = m.substring(lt + 2, waiterEnd - 1);
            waiterEnd = lt;
        }
        int colon = pidColon(m, 11, waiterEnd);
        if (colon < 0) {
            return false;
        }
        int pid = intAt(m, colon + 1);
        if (pid < 0) {
            return false;
        }
        String comm = m.substring(11, colon);
        int kindAt = on + 13; // after " blocked on a"
        String lock;
        if (m.startsWith(" mutex", kindAt)) {
            lock = "mutex";
        } else if (m.startsWith(" semaphore", kindAt)) {
            lock = "semaphore";
        } else if (m.startsWith("n rw-semaphore", kindAt)) {
            lock = role == null ? "rwsem" : "rwsem-" + role;
        } else if (cutInsideLockKind(m, on + 11)) {
            lock = null; // a mailer or a console cut the line inside the lock's kind: the task is still hung
        } else {
            return false;
        }
        Map<String, String> f = new LinkedHashMap<>();
        if (lock != null) {
            f.put("lock", lock);
        }
        // printed only for a task the detector found hung (check_hung_task -> debug_show_blocker): the line alone,
        // without its "blocked for more than" header or stack (a summary, a sentence quoting it), still says so
        Task waiter = evidence.task(pid).comm(comm).state(TaskState.UNINTERRUPTIBLE);
        if (waiter.source() == null) {
            waiter.source(source + ":" + line.lineNo());
        }
        int by = lock == null ? -1 : m.indexOf(" by task ", kindAt);
        if (by > 0) {
            int ownerStart = by + 9;
            // the owner's pid ends at what the kernel or a writer puts after it (" <writer>", ".", a quote's closing
            // backtick); only the semaphore's line ends with it, another that does was cut inside it
            int oc = KernelNames.lastPidColon(m, ownerStart, m.length(), " .`'\",;)<", lock.equals("semaphore"));
            String ownerRole = null;
            if (oc > 0) {
                int after = oc + 1;
                while (after < m.length() && RawText.isDigit(m.charAt(after))) {
                    after++;
                }
                int gt = m.indexOf('>', after);
                if (m.startsWith(" <", after) && gt > after + 2) {
                    ownerRole = m.substring(after + 2, gt);
                }
            }
            if (oc > 0 && intAt(m, oc + 1) >= 0) {
                String ownerComm = m.substring(ownerStart, oc);
                int ownerPid = intAt(m, oc + 1);
                f.put("owner-pid", Integer.toString(ownerPid));
                f.put("owner-comm", ownerComm);
                if (ownerRole != null) {
                    f.put("owner-role", ownerRole);
                }
                evidence.task(pid).comm(comm).lockOwnerHint(new LockOwnerHint(lock, null, ownerComm, ownerPid));
                // the owner is a task of this host too, even when no stack of it was printed
                Task owner = evidence.task(ownerPid);
                if (owner.comm() == null) {
                    owner.comm(ownerComm);
                }
            }
        }
        return event(line, KernelEventKind.HUNG_TASK_LOCK_OWNER, pid, comm, null, f);
    }

    private boolean heldLocksOf(LogLine line, String m) {
        LockdepHeldLocks.Holder h = LockdepHeldLocks.holder(m);
        if (h == null) {
            return false;
        }
        heldBy = h;
        return true;
    }

    private boolean heldLock(LogLine line, String m) {
        dev.hangdoctor.model.HeldLock l = heldBy == null ? null : LockdepHeldLocks.entry(m);
        if (l == null) {
            return false;
        }
        evidence.addHeldLock(heldBy.pid(), l);
        return true;
    }

    /** Whether the message ends at {@code at} inside " a mutex", " a semaphore" or " an rw-semaphore". */
    private static boolean cutInsideLockKind(String m, int at) {
        String rest = m.substring(at).stripTrailing();
        return " a mutex".startsWith(rest) || " a semaphore".startsWith(rest) || " an rw-semaphore".startsWith(rest);
    }

    /** XFS's allocation retry warning: its task is a task of this host, named even when no stack of it was printed. */
    private boolean xfsAllocDeadlock(LogLine line, String m) {
        return KernelIoMessages.xfsAllocDeadlock((l, kind, pid, comm, cpu, f) -> {
            if (pid != null) {
                Task t = evidence.task(pid);
                if (t.comm() == null) {
                    t.comm(comm);
                }
            }
            return event(l, kind, pid, comm, cpu, f);
        }, line, m, 5);
    }

    // ---- lockups

    private static final String SOFT_LOCKUP_WORDS = "soft lockup - CPU#";

    /**
     * "soft lockup - CPU#N stuck for Ns!" after anything ("WARN: ", "NMI watchdog: BUG: ", a tag): the words the
     * watchdog prints (kernel/watchdog.c, and kernel/softlockup.c before it) after the CPU's number.
     */
    private boolean softLockupAfterPrefix(LogLine line, String m) {
        int at = m.indexOf(SOFT_LOCKUP_WORDS);
        if (at < 0) {
            // the kernel always prints the CPU's number: without it the words are retyped, read outside any log
            // record or at a record's start, never further in a record (another message's text, such as a path, that
            // a local user chooses)
            return ("none".equals(line.prefix()) || atRecordStart(m, "BUG: soft lockup")
                    || atRecordStart(m, "watchdog: BUG: ")) && cpuLessStuck(m) > 0 && softLockup(line, m, -1);
        }
        if (!startsRecord(line, m, at)) {
            return false;
        }
        int i = at + SOFT_LOCKUP_WORDS.length();
        int digits = i;
        while (i < m.length() && RawText.isDigit(m.charAt(i))) {
            i++;
        }
        if (i == digits || !m.startsWith(" stuck for ", i)) {
            return false;
        }
        return softLockup(line, m, at + SOFT_LOCKUP_WORDS.length() - 4);
    }

    /** The watchdog's line retyped with "Bug:" in another case, read as {@link #softLockupAfterPrefix} reads its words. */
    private boolean softLockupRetyped(LogLine line, String m, String words) {
        return startsRecord(line, m, m.indexOf(words)) && softLockup(line, m);
    }

    /**
     * Whether the kernel's words at {@code at} of a line's message start a record: always in text without a log prefix
     * (a paste whose prefixes nobody strips); in a log record's message, only tags before them, or (in a paste run into one line, never in a /dev/kmsg record, which is one message) in a record of
     * their own whose log prefix follows other text ("... </TASK> Oct 24 01:36:33 sn01 kernel: watchdog: BUG: ...").
     * Further into a record the words are another message's text, which a local user may choose.
     */
    private static boolean startsRecord(LogLine line, String m, int at) {
        if ("none".equals(line.prefix()) || onlyTagsBefore(m, at)) {
            return true;
        }
        if ("kmsg".equals(line.prefix()) || at < 0) {
            return false;
        }
        int q = at;
        while (q > 0 && at - q <= TAGS_MAX + 40 && isTagChar(m.charAt(q - 1))) {
            q--;
        }
        KernelLogPrefix.Cut cut = new KernelLogPrefix.Cut();
        for (int p = q; p >= 0 && p < at; p = m.indexOf(' ', p) + 1) {
            if (p > q && m.charAt(p) == ' ') {
                continue;
            }
            KernelLogPrefix.locate(m, p, m.length(), cut);
            if (!"none".equals(cut.style) && cut.message > p && cut.message <= at
                    && onlyTagsBefore(m.substring(cut.message, at), at - cut.message)) {
                return true;
            }
        }
        return false;
    }

    /** How far into a record's message the kernel's own words may start: "NMI watchdog: BUG: " and a tag or two. */
    private static final int TAGS_MAX = 48;

    /**
     * Whether {@code m[0, at)} is only tags in front of the kernel's words ("NMI watchdog: BUG: ", a vendor's "WARN: ",
     * a console's "[cpu3] " or "<4>"), after a bracketed stamp the prefix left. Inside a log record the words further in
     * are another message's text, which a local user may choose (a path in AppArmor's audit line, an executable's name
     * quoted by the kernel): such text carries '=', '/', quotes or parentheses, which no tag does.
     */
    private static boolean onlyTagsBefore(String m, int at) {
        int from = m.startsWith("[") && m.indexOf("] ") > 0 && m.indexOf("] ") < at ? m.indexOf("] ") + 2 : 0;
        if (at < 0 || at - from > TAGS_MAX) {
            return false;
        }
        for (int i = from; i < at; i++) {
            if (!isTagChar(m.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTagChar(char c) {
        return RawText.isDigit(c) || Character.isLetter(c) || " :-_.<>[]".indexOf(c) >= 0;
    }

    /** "BUG: soft lockup - CPU#3 stuck for 23s! [kworker/3:1:123]" */
    private boolean softLockup(LogLine line, String m) {
        return softLockup(line, m, m.indexOf("CPU#", 16));
    }

    private boolean softLockup(LogLine line, String m, int cpuAt) {
        int stuck;
        int cpu;
        if (cpuAt >= 0) {
            cpu = intAt(m, cpuAt + 4);
            stuck = m.indexOf("stuck for ", cpuAt);
        } else {
            stuck = cpuLessStuck(m);
            if (stuck < 0) {
                // the message cut right after its first words (a mail or page wrapped it there, "BUG: soft lockup
                // -"): still the watchdog's own words, with its CPU and task on a line that is no longer its own
                return cutAfterWords(m, m.indexOf("BUG: soft lockup") + 16)
                        && event(line, KernelEventKind.SOFT_LOCKUP, null, null, null, Map.of());
            }
            cpu = -1;
        }
        long seconds = stuck < 0 ? -1 : longAt(m, stuck + 10);
        Integer pid = null;
        String comm = null;
        int open = taskBracket(m, stuck);
        int close = m.lastIndexOf(']');
        if (open > 0 && close > open + 1) {
            int colon = pidColon(m, open + 1, close);
            int digits = colon + 1;
            if (colon < 0) {
                // retyped with a space after the colon, "[nautilus-search: 4883]": the kernel prints "[%s:%d]", so
                // its own line always has a colon with only digits after it, which the test above takes first
                colon = spacedPidColon(m, open + 1, close);
                digits = colon + 2;
            }
            if (colon > 0) {
                comm = m.substring(open + 1, colon);
                int p = intAt(m, digits);
                pid = p >= 0 ? p : null;
            }
        }
        if (pid != null && pid > 0) {
            // the task the watchdog names ran on that CPU the whole time: it is the lockup's own task, state R
            Task t = evidence.task(pid);
            if (t.comm() == null) {
                t.comm(comm);
            }
            if (t.state() == TaskState.UNKNOWN) {
                t.state(TaskState.RUNNING);
            }
            if (t.cpu() == null && cpu >= 0) {
                t.cpu(cpu);
            }
            if (t.source() == null) {
                t.source(source + ":" + line.lineNo());
            }
        }
        Map<String, String> f = seconds >= 0 ? Map.of("seconds", Long.toString(seconds)) : Map.of();
        return event(line, KernelEventKind.SOFT_LOCKUP, pid, comm, cpu >= 0 ? cpu : null, f);
    }

    private static final String SOFT_LOCKUP_NO_CPU = "soft lockup - CPU stuck for ";

    /**
     * Where "stuck for " starts in the watchdog's words written without the CPU's number ("soft lockup - CPU stuck
     * for 23s", "soft lockup - CPU# stuck for 22s!"), or -1: only when a number of seconds follows, so that prose
     * about such lockups ("a soft lockup - CPU stuck for long") is no report.
     */
    private static int cpuLessStuck(String m) {
        int at = m.indexOf("soft lockup - CPU");
        if (at < 0) {
            return -1;
        }
        int i = at + 17;
        if (i < m.length() && m.charAt(i) == '#') {
            i++;
        }
        while (i < m.length() && m.charAt(i) == ' ') {
            i++;
        }
        return i > at + 17 && m.startsWith("stuck for ", i) && i + 10 < m.length() && RawText.isDigit(m.charAt(i + 10))
                ? i : -1;
    }

    /** Whether a record's message starts with {@code words}, after a bracketed stamp the prefix left ("[12456] "). */
    private static boolean atRecordStart(String m, String words) {
        int from = m.startsWith("[") && m.indexOf("] ") > 0 ? m.indexOf("] ") + 2 : 0;
        return m.startsWith(words, from);
    }

    /** Index of the ':' of a retyped "comm: pid" in [from, to): the last colon, one space, then only digits; or -1. */
    private static int spacedPidColon(String s, int from, int to) {
        int colon = s.lastIndexOf(':', to - 1);
        if (colon < from || colon + 2 >= to || s.charAt(colon + 1) != ' ') {
            return -1;
        }
        for (int i = colon + 2; i < to; i++) {
            if (!RawText.isDigit(s.charAt(i))) {
                return -1;
            }
        }
        return colon;
    }

    /**
     * Where the "[comm:pid]" after "stuck for Ns!" opens, or -1. The kernel prints "s! [", but a message retyped by hand
     * often loses the '!' ("stuck for 22s [spl_kmem_cache/:410]"): after the seconds, only '!' and spaces may come.
     */
    private static int taskBracket(String m, int stuck) {
        if (stuck < 0) {
            return -1;
        }
        int i = stuck + 10;
        while (i < m.length() && RawText.isDigit(m.charAt(i))) {
            i++;
        }
        if (i < m.length() && m.charAt(i) == 's') {
            i++;
        }
        while (i < m.length() && (m.charAt(i) == '!' || m.charAt(i) == ' ')) {
            i++;
        }
        return i < m.length() && m.charAt(i) == '[' && i > stuck + 10 ? i : -1;
    }

    /** True when nothing but a dash, spaces and closing quotes follows {@code from} in {@code m}. */
    private static boolean cutAfterWords(String m, int from) {
        int k = from;
        while (k < m.length() && (m.charAt(k) == ' ' || m.charAt(k) == '-' || m.charAt(k) == '\u2013')) {
            k++;
        }
        // "BUG: soft lockup - CPU" quoted in a sentence and cut before the CPU's number: the quote closes it
        // ("`watchdog: BUG: soft lockup - CPU` というエラー"), and the words after the quote are the writer's
        if (m.startsWith("CPU", k) && (k + 3 == m.length() || QUOTE_CLOSERS.indexOf(m.charAt(k + 3)) >= 0)) {
            return true;
        }
        for (; k < m.length(); k++) {
            char c = m.charAt(k);
            if (c != ' ' && c != '-' && c != '\u2013' && c != '`' && c != '"' && c != '\'') {
                return false;
            }
        }
        return true;
    }

    private static final String QUOTE_CLOSERS = "`\"'\u201d\u2019\u300d\u300f)";

    /**
     * After "NMI watchdog: " / "watchdog: ": a soft lockup, or a hard lockup as each watchdog words it:
     * "[CPUn: ]Watchdog detected hard LOCKUP on cpu N" (kernel/watchdog*.c), and powerpc's
     * "CPU N self-detected hard LOCKUP @ fn", "CPU N detected hard LOCKUP on other CPUs 3-5" and older
     * "Watchdog CPU:N Hard LOCKUP" (arch/powerpc/kernel/watchdog.c).
     */
    private boolean watchdog(LogLine line, String m, int at) {
        if (m.startsWith("BUG: soft lockup", at)) {
            return softLockup(line, m);
        }
        int hard = m.indexOf("Watchdog detected hard LOCKUP on cpu ", at);
        if (hard < 0) {
            return powerpcHardLockup(line, m, at);
        }
        int cpu = intAt(m, hard + 37);
        Map<String, String> f = Map.of();
        if (m.startsWith("CPU", at) && hard > at) {
            int by = intAt(m, at + 3);
            if (by >= 0) {
                f = Map.of("detected-by", Integer.toString(by));
            }
        }
        return event(line, KernelEventKind.HARD_LOCKUP, null, null, cpu >= 0 ? cpu : null, f);
    }

    /**
     * The hard lockup as x86's NMI watchdog worded it before the lockup detector moved to kernel/watchdog.c (2.6.x,
     * arch/x86/kernel/nmi.c): "NMI Watchdog detected LOCKUP on CPU 1", i386's "... on CPU0, eip c011c7cb,
     * registers:", and the -rt tree's "NMI watchdog detected lockup on CPU#1 (50000/50000)".
     */
    private boolean oldNmiLockup(LogLine line, String m) {
        int i = OLD_NMI_LOCKUP.length();
        while (i < m.length() && (m.charAt(i) == ' ' || m.charAt(i) == '#')) {
            i++;
        }
        int cpu = intAt(m, i);
        return event(line, KernelEventKind.HARD_LOCKUP, null, null, cpu >= 0 ? cpu : null, Map.of());
    }

    private boolean powerpcHardLockup(LogLine line, String m, int at) {
        int cpu;
        if (m.startsWith("Watchdog CPU:", at) && m.indexOf(" Hard LOCKUP", at) > 0) {
            cpu = intAt(m, at + 13);
        } else if (m.startsWith("CPU ", at) && (m.indexOf(" self-detected hard LOCKUP", at) > 0
                || m.indexOf(" detected hard LOCKUP on other CPUs", at) > 0)) {
            cpu = intAt(m, at + 4);
            if (m.indexOf(" detected hard LOCKUP on other CPUs", at) > 0) {
                return event(line, KernelEventKind.HARD_LOCKUP, null, null, null,
                        cpu >= 0 ? Map.of("detected-by", Integer.toString(cpu)) : Map.of());
            }
        } else {
            return false;
        }
        return event(line, KernelEventKind.HARD_LOCKUP, null, null, cpu >= 0 ? cpu : null, Map.of());
    }

    /**
     * arch/sparc/kernel/smp_64.c hypervisor_xcall_deliver: "CPU[%d]: SUN4V mondo timeout, cpu(%d) made no forward
     * progress after %d retries. Total target cpus(%d).", then panic("SUN4V mondo timeout panic"). The sending CPU
     * gave up on a cross-call the named CPU never took: that CPU runs with interrupts off, the hard lockup sparc's
     * hypervisor shows (like x86's CSD-lock timeout). The event is the target CPU's; the sender's stack that follows
     * is only the one that waited.
     */
    private boolean sun4vMondoTimeout(LogLine line, String m) {
        int close = m.indexOf("]: SUN4V mondo timeout, cpu(");
        int sender = intAt(m, 4);
        if (close < 5 || sender < 0 || KernelMessageText.digitsEnd(m, 4) != close) {
            return false;
        }
        int target = intAt(m, close + 28);
        if (target < 0) {
            return false;
        }
        return event(line, KernelEventKind.HARD_LOCKUP, null, null, target,
                Map.of("detected-by", Integer.toString(sender), "from", "sun4v-mondo-timeout"));
    }

    /**
     * "Kernel panic - not syncing: %s". With hardlockup_panic, 2.6.32 to 4.4 panic with the watchdog's own words
     * ("Watchdog detected hard LOCKUP on cpu %d", kernel/watchdog.c, arch/sparc/kernel/nmi.c) and print no other
     * line for it: that panic is the hard lockup's event too. Later kernels panic with "Hard LOCKUP" after their
     * own watchdog line.
     */
    private boolean panic(LogLine line, String m) {
        String reason = m.substring(28).trim();
        if (reason.endsWith("\"") && reason.indexOf('"') == reason.length() - 1) {
            reason = reason.substring(0, reason.length() - 1); // crash's sys: PANIC: "Kernel panic - not syncing: ..."
        }
        event(line, KernelEventKind.PANIC, null, null, null, Map.of("reason", reason));
        if (reason.startsWith("Watchdog detected hard LOCKUP on cpu ")) {
            int cpu = intAt(reason, 37);
            event(line, KernelEventKind.HARD_LOCKUP, null, null, cpu >= 0 ? cpu : null, Map.of());
        } else if (reason.startsWith(OOM_NO_VICTIM)) {
            event(line, KernelEventKind.OOM_NO_VICTIM, null, null, null, Map.of("scope", "global"));
        } else {
            KernelEventKind detector = panicDetector(reason);
            if (detector != null && evidence.events(detector).isEmpty()) {
                // the detector's own report was cut or not pasted: the panic it called is its evidence
                event(line, detector, null, null, null, Map.of());
            }
        }
        return true;
    }

    /**
     * The hang detector a panic reason names, when it panicked on its own sysctl: kernel/rcu's panic_on_rcu_stall()
     * "RCU Stall", kernel/watchdog.c's "softlockup: hung tasks" (kernel/softlockup.c before 2.6.36) and
     * "Hard LOCKUP" (nmi_panic, also arch/powerpc/kernel/watchdog.c), kernel/hung_task.c's
     * "hung_task: blocked tasks". Null for any other reason.
     */
    static KernelEventKind panicDetector(String reason) {
        if (reason.startsWith("RCU Stall")) {
            return KernelEventKind.RCU_STALL;
        }
        if (reason.startsWith("softlockup: hung tasks")) {
            return KernelEventKind.SOFT_LOCKUP;
        }
        if (reason.startsWith("hung_task: blocked tasks")) {
            return KernelEventKind.HUNG_TASK;
        }
        if (reason.startsWith("Hard LOCKUP") || reason.startsWith("SUN4V mondo timeout panic")) {
            return KernelEventKind.HARD_LOCKUP; // the latter: sparc64's cross-call timeout (sun4vMondoTimeout)
        }
        return null;
    }

    // ---- sysrq, nfs, block

    /** "SysRq : Show Blocked State" (3.10) / "sysrq: Show Blocked State" (4.x+); the help text is not an event. */
    private boolean sysrq(LogLine line, String m, int at) {
        String what = m.substring(at).trim();
        if (what.isEmpty() || what.startsWith("HELP")) {
            return false;
        }
        if (what.startsWith("SysRq : ")) {
            what = what.substring(8).trim();
        }
        return event(line, KernelEventKind.SYSRQ, null, null, null, Map.of("what", what));
    }

    // ---- kernel release

    /**
     * lib/dump_stack.c: "CPU: %d PID: %d Comm: %.20s %s%s %s %.*s" (6.11+ adds "UID: %u " after the CPU):
     * "[Kdump: loaded ]Tainted: G  OE  ------------   3.10.0-1160.el7.x86_64 #1" / "Not tainted 6.12.0-rc1 #1".
     */
    private boolean dumpStackHeader(LogLine line, String m) {
        int pidAt = m.indexOf(" PID: ", 5);
        int commAt = m.indexOf(" Comm: ", 5);
        if (pidAt < 0 || commAt < pidAt) {
            return false;
        }
        int cpu = intAt(m, 5);
        int pid = intAt(m, pidAt + 6);
        // the taint words after the name are the kernel's: the last within a name's width (the name may hold them)
        int taint = KernelNames.lastTaintWords(m, commAt + 7, m.length());
        String comm = taint > commAt + 7 ? m.substring(commAt + 7, taint) : null;
        if (comm != null && comm.endsWith(" Kdump: loaded")) {
            comm = comm.substring(0, comm.length() - 14);
        }
        oopsTask(line, pid, comm, cpu);
        if (taint >= 0) {
            softLockupTaint(line, m, taint + 1, pid >= 0 ? pid : null, comm, cpu >= 0 ? cpu : null);
        }
        String release = releaseBeforeVersion(m, taint < 0 ? commAt + 7 : taint);
        if (release == null) {
            return false;
        }
        return kernelRelease(line, release, pid >= 0 ? pid : null, comm, cpu >= 0 ? cpu : null);
    }

    /** "Pid: 208, comm: kswapd0 Not tainted 2.6.17-rc4-git2 #1", "Process kswapd0 (pid: 208, ...)": see TaskLineParser. */
    private boolean regsHeader(LogLine line, String m) {
        Task t = TaskLineParser.parseRegsHeader(m);
        if (t == null) {
            return false;
        }
        oopsTask(line, t.pid(), t.comm(), -1);
        if (m.charAt(1) != 'i') {
            return false;
        }
        int taint = KernelNames.lastTaintWords(m, m.indexOf(", comm: ") + 8, m.length());
        String release = taint < 0 ? null : releaseBeforeVersion(m, taint);
        return release != null && kernelRelease(line, release, t.pid() > 0 ? t.pid() : null, t.comm(), null);
    }

    // ---- oopses

    /** The oops events of the last oops not yet given the task of the "CPU: N PID: P Comm: C" line after them. */
    private final List<KernelEvent> pendingOops = new ArrayList<>();
    private long pendingOopsLine;

    /** The die header's " [#N]" (the oops counter) after the error code: "invalid opcode: 0000 [#1] SMP PTI". */
    private static boolean dieHeader(String m) {
        int at = m.indexOf(" [#");
        if (at > 0 && at + 3 < m.length() && m.charAt(at + 3) >= '0' && m.charAt(at + 3) <= '9') {
            return true;
        }
        // x86_64 before 2.6.2x: "%s: %04lx [%u] " ("invalid opcode: 0000 [1] PREEMPT SMP"), the counter right after
        // the error code
        at = m.indexOf(" [");
        int i = at + 2;
        while (at > 0 && i < m.length() && RawText.isDigit(m.charAt(i))) {
            i++;
        }
        return at > 5 && i > at + 2 && i < m.length() && m.charAt(i) == ']'
                && FrameLineParser.isHexDigit(m.charAt(at - 1)) && m.charAt(at - 5) == ' ';
    }

    private boolean oops(LogLine line, String m, String what, boolean shaped) {
        if (!shaped) {
            return false;
        }
        KernelEvent e = new KernelEvent(KernelEventKind.OOPS, line.timestamp(), null, null, null, Map.of("what", what),
                line.message(), source + ":" + line.lineNo());
        evidence.addEvent(e);
        if (!pendingOops.isEmpty() && line.lineNo() - pendingOopsLine > 8) {
            pendingOops.clear();
        }
        pendingOops.add(e);
        pendingOopsLine = line.lineNo();
        return true;
    }

    /**
     * "kernel BUG at FILE:LINE!" inside a line (the report run into one line): the oops, and its task from the
     * "CPU: N PID: P Comm: C" header when the same line holds it after.
     */
    private boolean bugInLine(LogLine line, String m) {
        int at = m.indexOf("kernel BUG at ");
        int colon = m.indexOf(':', at + 14);
        int bang = m.indexOf('!', at + 14);
        if (at <= 0 || colon < 0 || bang < colon || bang - at > 160 || m.indexOf(' ', at + 14) < bang
                || !startsRecord(line, m, at)) {
            return false;
        }
        int pidAt = m.indexOf(" PID: ", bang);
        int commAt = pidAt < 0 ? -1 : m.indexOf(" Comm: ", pidAt);
        Integer pid = null;
        String comm = null;
        if (pidAt > 0 && pidAt - bang < 400 && commAt > pidAt && commAt - pidAt < 16) {
            int p = intAt(m, pidAt + 6);
            int end = m.indexOf(' ', commAt + 7);
            if (p > 0 && end > commAt + 7) {
                pid = p;
                comm = m.substring(commAt + 7, end);
            }
        }
        return event(line, KernelEventKind.OOPS, pid, comm, null, Map.of("what", "bug"));
    }

    /** The oops just printed happened in this task: the dump header follows its lines within a few lines. */
    private void oopsTask(LogLine line, int pid, String comm, int cpu) {
        if (pendingOops.isEmpty()) {
            return;
        }
        if (pid > 0 && line.lineNo() - pendingOopsLine <= 8) {
            for (KernelEvent e : pendingOops) {
                evidence.replaceEvent(e, new KernelEvent(e.kind(), e.timestamp(), pid, comm, cpu >= 0 ? cpu : null,
                        e.fields(), e.message(), e.source()));
            }
        }
        pendingOops.clear();
    }

    /** The hung-task report's second line: "      Tainted: G  OE  ------------   3.10.0-1160.el7.x86_64 #1". */
    private boolean indentedTaint(LogLine line, String m) {
        int i = 0;
        int n = m.length();
        while (i < n && (m.charAt(i) == ' ' || m.charAt(i) == '\t')) {
            i++;
        }
        if (i <= 12 && m.startsWith("RELEASE: ", i)) {
            return crashRelease(line, m.substring(i));
        }
        if (i > 12 || !(m.startsWith("Tainted: ", i) || m.startsWith("Not tainted ", i))) {
            return false;
        }
        softLockupTaint(line, m, i, null, null, null);
        String release = releaseBeforeVersion(m, i);
        return release != null && kernelRelease(line, release, null, null, null);
    }

    /** crash's sys: "RELEASE: 2.6.32-220.el6.x86_64", the release alone after the key. */
    private boolean crashRelease(LogLine line, String m) {
        String release = m.substring(9).strip();
        return !release.isEmpty() && release.indexOf(' ') < 0 && release.indexOf('.') > 0
                && kernelRelease(line, release, null, null, null);
    }

    /** "Tainted: G W 6.5.3-arch1-1 #1" at the start of a message (the indentation stripped by some tool). */
    private boolean releaseAfterTaint(LogLine line, String m) {
        // (a name-first line whose name starts so, a segfault's or the OOM killer's, is its own recogniser's first)
        softLockupTaint(line, m, 0, null, null, null);
        String release = releaseBeforeVersion(m, 0);
        return release != null && kernelRelease(line, release, null, null, null);
    }

    /**
     * kernel/panic.c print_tainted(): "Tainted: " and one character per taint flag, a letter when set, a space when
     * not ("Tainted: G      D W  OEL    5.4.62-std-debug-alt1 #1"); 6.x's verbose form names them ("[L]=SOFTLOCKUP").
     * An 'L' says a soft lockup happened before this dump (the watchdog taints after printing its own report): one
     * event per text, with the dump's task when the line has one.
     */
    private void softLockupTaint(LogLine line, String m, int taintedAt, Integer pid, String comm, Integer cpu) {
        if (softLockupTainted || !m.startsWith("Tainted: ", taintedAt)) {
            return;
        }
        boolean set = false;
        int i = taintedAt + 9;
        for (; i < m.length() && (m.charAt(i) == ' ' || (m.charAt(i) >= 'A' && m.charAt(i) <= 'Z')); i++) {
            set |= m.charAt(i) == 'L';
        }
        // the flags end at the release ("... OEL    5.4.62") or at RHEL's dashes; "[L]=SOFTLOCKUP" names it
        set = set && (i == m.length() || m.charAt(i) == '-' || RawText.isDigit(m.charAt(i)))
                || m.startsWith("[L]=SOFTLOCKUP", i) || m.indexOf(", [L]=SOFTLOCKUP", i) > 0;
        if (set) {
            softLockupTainted = true;
            event(line, KernelEventKind.SOFT_LOCKUP_TAINT, pid, comm, cpu, Map.of());
        }
    }

    /** The word before the last " #N" (the utsname version's first word) after {@code from}. */
    private static String releaseBeforeVersion(String m, int from) {
        int hash = m.lastIndexOf(" #");
        while (hash > from && !(hash + 2 < m.length() && m.charAt(hash + 2) >= '0' && m.charAt(hash + 2) <= '9')) {
            hash = m.lastIndexOf(" #", hash - 1);
        }
        if (hash <= from) {
            return null;
        }
        int start = m.lastIndexOf(' ', hash - 1) + 1;
        if (start <= from || start >= hash) {
            return null;
        }
        char c = m.charAt(start);
        return c >= '0' && c <= '9' ? m.substring(start, hash) : null;
    }

    private boolean kernelRelease(LogLine line, String release, Integer pid, String comm, Integer cpu) {
        if (release.isEmpty() || release.charAt(0) < '0' || release.charAt(0) > '9') {
            return false;
        }
        evidence.host().kernelRelease(release);
        if (releases.contains(release) || releases.size() >= MAX_RELEASES) {
            return true;
        }
        releases.add(release);
        return event(line, KernelEventKind.KERNEL_VERSION, pid, comm, cpu, Map.of("release", release));
    }

    // ---- ad-hoc probe output (seed 000)

    /**
     * ":Sat Aug 29 06:32:19 2020,runc:[2:INIT],call handle_mm_fault tid=112272,address=cd3468,vma=0x...,flags=a9"
     * ({@code at} = 1), or the bare "call handle_mm_fault tid=..." ({@code at} = -1).
     */
    private boolean faultProbe(LogLine line, String m, int at) {
        int call;
        String time = null;
        String comm = null;
        if (at < 0) {
            call = 0;
        } else {
            call = m.lastIndexOf(",call ");
            if (call < 0) {
                return false;
            }
            int firstComma = m.indexOf(',', at);
            if (firstComma < 0 || firstComma >= call) {
                return false;
            }
            time = m.substring(at, firstComma);
            comm = m.substring(firstComma + 1, call);
            call++;
        }
        int fnStart = call + 5;
        int fnEnd = m.indexOf(' ', fnStart);
        if (fnEnd < 0) {
            return false;
        }
        Map<String, String> f = new LinkedHashMap<>();
        if (time != null) {
            f.put("time", time);
        }
        f.put("function", m.substring(fnStart, fnEnd));
        f.putAll(commaKeyValues(m, fnEnd + 1, m.length()));
        String tid = f.get("tid");
        if (tid == null) {
            return false;
        }
        int pid = intAt(tid, 0);
        return event(line, KernelEventKind.FAULT_PROBE, pid >= 0 ? pid : null, comm, null, f);
    }

    // ----

    private boolean event(LogLine line, KernelEventKind kind, Integer pid, String comm, Integer cpu,
                          Map<String, String> fields) {
        evidence.addEvent(new KernelEvent(kind, line.timestamp(), pid, comm, cpu, fields, line.message(),
                source + ":" + line.lineNo()));
        return true;
    }
}
