package dev.hangdoctor.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One kernel task (thread) as the evidence shows it. Fields are null where the evidence did not say:
 * "missing" must stay distinguishable from "zero". Several sources may describe the same pid; {@link #mergeFrom}
 * folds them, keeping what each one knew.
 */
public final class Task {
    private final int pid;
    private Integer tgid;
    private Integer ppid;
    private String comm;
    private TaskState state = TaskState.UNKNOWN;
    private List<Frame> frames = List.of();
    private Long blockedSeconds;
    private Integer cpu;
    private Long flags;
    private Long sigPnd;
    private Long shdPnd;
    private Long sigBlk;
    private List<Integer> nsPids = List.of();
    private String wchan;
    private String workqueue;
    private String workFunction;
    private Long rssKb;
    private String memoryCgroup;
    private ContainerRef container;
    private Long journalInfo;
    private Long lastRunNanos;
    private Boolean active;
    private boolean unreadable;
    private Long contextSwitches;
    private Double stuckSeconds;
    private String pidNamespace;
    private java.util.Set<Integer> fuseConnections = java.util.Set.of();
    private Long swapKb;
    private Long pageTablesKb;
    private Integer oomScoreAdj;
    private Long startTime;
    private String source;
    private final List<String> notes = new ArrayList<>();
    private final List<LockOwnerHint> lockOwnerHints = new ArrayList<>();

    public Task(int pid) {
        this.pid = pid;
    }

    public int pid() { return pid; }
    public Integer tgid() { return tgid; }
    public Integer ppid() { return ppid; }
    public String comm() { return comm; }
    public TaskState state() { return state; }
    public List<Frame> frames() { return frames; }
    public Long blockedSeconds() { return blockedSeconds; }
    public Integer cpu() { return cpu; }
    public Long flags() { return flags; }
    public Long sigPnd() { return sigPnd; }
    public Long shdPnd() { return shdPnd; }
    public Long sigBlk() { return sigBlk; }
    public List<Integer> nsPids() { return nsPids; }
    public String wchan() { return wchan; }
    /** A kworker's workqueue while it ran a work item (the dump's `Workqueue: NAME FUNCTION` line): "xfs-sync/rbd0". */
    public String workqueue() { return workqueue; }
    /** The function of the work item that kworker ran ("xfs_log_worker"). */
    public String workFunction() { return workFunction; }
    public Long rssKb() { return rssKb; }
    public String memoryCgroup() { return memoryCgroup; }
    /** The container the task runs in (live scans), or null: see TaskRef for the path-only fallback. */
    public ContainerRef container() { return container; }
    public Task container(ContainerRef v) { container = v; return this; }
    /** crash's `task_struct.journal_info`: non-zero means the task holds an open jbd2 handle. */
    public Long journalInfo() { return journalInfo; }
    /** crash `ps -m`: how long ago the task last ran. */
    public Long lastRunNanos() { return lastRunNanos; }
    /** crash `ps` marks the task running on a CPU with `>`. */
    public Boolean active() { return active; }
    /** Live scan: some of this task's files could not be read in time. */
    public boolean unreadable() { return unreadable; }
    public String source() { return source; }
    /** Live scan: voluntary + nonvoluntary context switches when the task was first read (/proc/PID/status). */
    public Long contextSwitches() { return contextSwitches; }
    /** Live scan: how long the task was seen not to run at all (same state, no context switch) across samples. */
    public Double stuckSeconds() { return stuckSeconds; }
    /** The task's pid namespace as /proc/PID/ns/pid names it ("pid:[4026531836]"), when a live scan read it. */
    public String pidNamespace() { return pidNamespace; }
    /** FUSE connections the process uses (open files, cwd on the mount; live scans): the ones its FUSE waits are on. */
    public java.util.Set<Integer> fuseConnections() { return fuseConnections; }
    /** VmSwap of /proc/PID/status, kB. */
    public Long swapKb() { return swapKb; }
    /** VmPTE of /proc/PID/status, kB: page tables count in the OOM killer's badness. */
    public Long pageTablesKb() { return pageTablesKb; }
    /** /proc/PID/oom_score_adj; -1000 means the OOM killer never picks it. */
    public Integer oomScoreAdj() { return oomScoreAdj; }
    /** /proc/PID/stat starttime (clock ticks since boot): with the pid, identifies the process across pid reuse. */
    public Long startTime() { return startTime; }
    public List<String> notes() { return Collections.unmodifiableList(notes); }
    /** The note of a stack a profiler sampled (perf): it shows where the CPU was, not surely where the task sleeps. */
    public static final String SAMPLED = "stack sampled by perf: where the CPU was at the sample, not necessarily"
            + " where the task sleeps";
    /** True when the stack was sampled by a profiler rather than read from a sleeping task. */
    public boolean sampled() { return notes.contains(SAMPLED); }
    /**
     * The note of a stack read from /proc/PID/stack text: the kernel leaves the scheduler's own functions out of it
     * (stack_trace_save_tsk skips what in_sched_functions names), so its top frame is where the task left the CPU.
     */
    public static final String PROC_STACK = "stack read from /proc/PID/stack: the scheduler's frames are left out,"
            + " the top frame is where the task left the CPU";
    /** True when the stack came from /proc/PID/stack text. */
    public boolean procStack() { return notes.contains(PROC_STACK); }
    public List<LockOwnerHint> lockOwnerHints() { return Collections.unmodifiableList(lockOwnerHints); }

    public Task tgid(Integer v) { tgid = v; return this; }
    public Task ppid(Integer v) { ppid = v; return this; }
    public Task comm(String v) { comm = v; return this; }
    public Task state(TaskState v) { state = v == null ? TaskState.UNKNOWN : v; return this; }
    public Task frames(List<Frame> v) { frames = v == null ? List.of() : List.copyOf(v); return this; }
    public Task blockedSeconds(Long v) { blockedSeconds = v; return this; }
    public Task cpu(Integer v) { cpu = v; return this; }
    public Task flags(Long v) { flags = v; return this; }
    public Task sigPnd(Long v) { sigPnd = v; return this; }
    public Task shdPnd(Long v) { shdPnd = v; return this; }
    public Task sigBlk(Long v) { sigBlk = v; return this; }
    public Task nsPids(List<Integer> v) { nsPids = v == null ? List.of() : List.copyOf(v); return this; }
    public Task wchan(String v) { wchan = v; return this; }
    public Task workqueue(String v) { workqueue = v; return this; }
    public Task workFunction(String v) { workFunction = v; return this; }
    public Task rssKb(Long v) { rssKb = v; return this; }
    public Task memoryCgroup(String v) { memoryCgroup = v; return this; }
    public Task journalInfo(Long v) { journalInfo = v; return this; }
    public Task lastRunNanos(Long v) { lastRunNanos = v; return this; }
    public Task active(Boolean v) { active = v; return this; }
    public Task unreadable(boolean v) { unreadable = v; return this; }
    public Task source(String v) { source = v; return this; }
    public Task contextSwitches(Long v) { contextSwitches = v; return this; }
    public Task stuckSeconds(Double v) { stuckSeconds = v; return this; }
    public Task pidNamespace(String v) { pidNamespace = v; return this; }
    public Task fuseConnections(java.util.Set<Integer> v) { fuseConnections = java.util.Set.copyOf(v); return this; }
    public Task swapKb(Long v) { swapKb = v; return this; }
    public Task pageTablesKb(Long v) { pageTablesKb = v; return this; }
    public Task oomScoreAdj(Integer v) { oomScoreAdj = v; return this; }
    public Task startTime(Long v) { startTime = v; return this; }
    public Task note(String v) { if (!notes.contains(v)) { notes.add(v); } return this; }
    public Task lockOwnerHint(LockOwnerHint v) { if (!lockOwnerHints.contains(v)) { lockOwnerHints.add(v); } return this; }

    /** PF_KTHREAD (0x00200000) in the task flags, or the bracketed/kworker names kernels give their threads. */
    public boolean isKernelThread() {
        if (flags != null) {
            return (flags & 0x00200000L) != 0;
        }
        if (ppid != null && ppid == 2) {
            return true;
        }
        return pid == 2 || (comm != null && (comm.startsWith("kworker/") || comm.startsWith("kthreadd")
                || comm.startsWith("ksoftirqd/") || comm.startsWith("jbd2/") || comm.startsWith("kswapd")
                || comm.startsWith("migration/") || comm.startsWith("rcu_") || comm.startsWith("khugepaged")));
    }

    /** SIGKILL (signal 9, bit 8) pending for the thread or its whole group. */
    public boolean killPending() {
        long bit = 1L << 8;
        return (sigPnd != null && (sigPnd & bit) != 0) || (shdPnd != null && (shdPnd & bit) != 0);
    }

    /** True when some frame has this exact function name. */
    public boolean hasFrame(String function) {
        for (Frame f : frames) {
            if (f.function().equals(function)) {
                return true;
            }
        }
        return false;
    }

    /** The pid inside the task's innermost pid namespace, when NSpid said. */
    public Integer innermostPid() {
        return nsPids.isEmpty() ? null : nsPids.get(nsPids.size() - 1);
    }

    /**
     * Folds another description of the same pid into this one. A longer stack wins over a shorter one (a
     * `/proc/PID/stack` beats a bare wchan); a known state beats UNKNOWN; scalars fill what was missing.
     */
    public void mergeFrom(Task o) {
        if (o.pid != pid) {
            throw new IllegalArgumentException("merging pid " + o.pid + " into " + pid);
        }
        if (tgid == null) tgid = o.tgid;
        if (ppid == null) ppid = o.ppid;
        if (comm == null) comm = o.comm;
        if (state == TaskState.UNKNOWN || (o.state.isBlocked() && !state.isBlocked() && o.frames.size() >= frames.size())) {
            state = o.state;
        }
        if (o.frames.size() > frames.size()) frames = o.frames;
        if (o.blockedSeconds != null && (blockedSeconds == null || o.blockedSeconds > blockedSeconds)) {
            blockedSeconds = o.blockedSeconds;
        }
        if (cpu == null) cpu = o.cpu;
        if (flags == null) flags = o.flags;
        if (sigPnd == null) sigPnd = o.sigPnd;
        if (shdPnd == null) shdPnd = o.shdPnd;
        if (sigBlk == null) sigBlk = o.sigBlk;
        if (nsPids.isEmpty()) nsPids = o.nsPids;
        if (wchan == null) wchan = o.wchan;
        if (workqueue == null) workqueue = o.workqueue;
        if (workFunction == null) workFunction = o.workFunction;
        if (rssKb == null) rssKb = o.rssKb;
        if (memoryCgroup == null) memoryCgroup = o.memoryCgroup;
        if (journalInfo == null) journalInfo = o.journalInfo;
        if (lastRunNanos == null) lastRunNanos = o.lastRunNanos;
        if (active == null) active = o.active;
        unreadable |= o.unreadable;
        if (contextSwitches == null) contextSwitches = o.contextSwitches;
        if (o.stuckSeconds != null && (stuckSeconds == null || o.stuckSeconds > stuckSeconds)) {
            stuckSeconds = o.stuckSeconds;
        }
        if (source == null) source = o.source;
        if (pidNamespace == null) pidNamespace = o.pidNamespace;
        if (fuseConnections.isEmpty()) fuseConnections = o.fuseConnections;
        if (swapKb == null) swapKb = o.swapKb;
        if (pageTablesKb == null) pageTablesKb = o.pageTablesKb;
        if (oomScoreAdj == null) oomScoreAdj = o.oomScoreAdj;
        if (startTime == null) startTime = o.startTime;
        o.notes.forEach(this::note);
        o.lockOwnerHints.forEach(this::lockOwnerHint);
    }

    /** This task's description under another pid: anonymous tasks of different files must stay apart. */
    public Task withPid(int newPid) {
        Task c = new Task(newPid);
        c.tgid = tgid; c.ppid = ppid; c.comm = comm; c.state = state; c.frames = frames;
        c.blockedSeconds = blockedSeconds; c.cpu = cpu; c.flags = flags; c.sigPnd = sigPnd; c.shdPnd = shdPnd;
        c.sigBlk = sigBlk; c.nsPids = nsPids; c.wchan = wchan; c.rssKb = rssKb; c.memoryCgroup = memoryCgroup;
        c.workqueue = workqueue; c.workFunction = workFunction;
        c.journalInfo = journalInfo; c.lastRunNanos = lastRunNanos; c.active = active; c.unreadable = unreadable;
        c.contextSwitches = contextSwitches; c.stuckSeconds = stuckSeconds;
        c.swapKb = swapKb; c.pageTablesKb = pageTablesKb; c.oomScoreAdj = oomScoreAdj; c.startTime = startTime;
        c.source = source; c.pidNamespace = pidNamespace; c.fuseConnections = fuseConnections; c.notes.addAll(notes); c.lockOwnerHints.addAll(lockOwnerHints);
        return c;
    }

    @Override
    public String toString() {
        return (comm == null ? "?" : comm) + ":" + pid + " " + state.letter();
    }
}
