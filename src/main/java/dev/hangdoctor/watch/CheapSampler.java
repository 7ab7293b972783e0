package dev.hangdoctor.watch;

import dev.hangdoctor.procfs.FuseConnectionDir;
import dev.hangdoctor.collect.TimedReader;
import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.collect.TimedReader.Status;
import dev.hangdoctor.procfs.LoadAvg;
import dev.hangdoctor.procfs.MemcgLimit;
import dev.hangdoctor.procfs.MemcgOomControl;
import dev.hangdoctor.procfs.PressureFile;
import dev.hangdoctor.procfs.FdinfoFile;
import dev.hangdoctor.procfs.PidFdLink;
import dev.hangdoctor.procfs.PidStat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The agent's per-interval look at the host, cheap enough to run every second on a host with 10 000 threads: the
 * state letter of every process (/proc/PID/stat), the threads of multi-threaded processes within one read budget
 * per interval for the whole host (round robin across processes, so every thread is seen every few intervals and
 * one huge process cannot take more than the budget; threads already in D are read every time), FUSE connections'
 * waiting counts, v1 memory cgroups' under_oom, pending faults on known userfaultfds, loadavg and PSI. It remembers
 * since when each condition has held and says which have held for the threshold: those are the reasons for a full
 * scan, and the tasks involved are what a full scan reads first ({@link #hotPids}). Every read goes through a
 * {@link TimedReader}, so a file that never answers costs a stuck thread, not the agent. Stat files are read as
 * bytes into a reused arena and parsed in place; a process's task list is listed again only when its num_threads
 * changed or every {@link #RELIST_EVERY} intervals, since listing 10 000 tasks costs as much as reading 2 000 stats.
 */
public final class CheapSampler {
    private static final int BATCH = 256;
    private static final long PER_OP = Duration.ofMillis(500).toNanos();
    private static final long CGROUP_REDISCOVER = Duration.ofSeconds(10).toNanos();
    private static final long UFFD_REDISCOVER = Duration.ofSeconds(30).toNanos();
    private static final int MAX_MEMCGS = 5000;
    private static final int MAX_FD_LINKS = 20_000;
    /** Bytes kept of each stat file: a stat line is about 300 bytes, comm at most 64. */
    private static final int SLOT = 1024;
    /** Intervals after which a process's task list is listed again even if its thread count did not change. */
    static final int RELIST_EVERY = 30;
    /**
     * A multi-threaded process's own stat sums every thread's CPU time, so it costs in proportion to its threads (1.8
     * ms for 10 000, as much as 180 thread stats): it is read every this many intervals to see whether the process
     * ran; the other intervals read its leader's stat (task/PID/stat: same state, num_threads and starttime).
     */
    static final int ACTIVITY_EVERY = 5;
    /** Intervals between two passes over the threads of a process that ran meanwhile. */
    static final int BUSY_SWEEP = 5;
    /**
     * Intervals between two passes over the threads of a process that did not run at all (the summed CPU time, its
     * thread count and its leader's state unchanged): a thread cannot enter D without running, but a brief run may
     * not move the sum's clock ticks, so such a process is still swept, only less often.
     */
    static final int QUIET_SWEEP = 60;

    /** Why a full scan is due; {@code key} names the condition (for cool-down), {@code reason} says it in words. */
    public record Trigger(String key, String reason) {
    }

    /** One interval's picture. */
    public record Sample(Map<Character, Integer> byState, int tasks, int stuckTasks, List<Trigger> triggers,
                         Double load1, Map<String, Double> pressureSome10, int fuseWaiting, int memcgsUnderOom,
                         long uffdPending, long nanos, int reads) {
    }

    /** What is known about one thread. */
    private static final class Tracked {
        final int tgid;
        final Proc owner;
        final String statPath;
        long start;
        byte[] comm;
        char state;
        long dSince;

        Tracked(Proc owner, String statPath) {
            this.tgid = owner.pid;
            this.owner = owner;
            this.statPath = statPath;
        }

        String comm() {
            return new String(comm, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** What is known about one process: its task list, kept across intervals. */
    private static final class Proc {
        final int pid;
        final String dir;
        final String statPath;
        /** The leader's own stat: what the process's says, without the sum over its threads. */
        final String leaderStatPath;
        long start = -1;
        int numThreads;
        char state;
        /** utime + stime of the whole process when last read, or -1. */
        long cpu = -1;
        /** The sample that last saw the process run (its CPU time, thread count or leader's state moved). */
        long movedAt = Long.MIN_VALUE / 2;
        /** Where the current pass over its threads is (0: between passes). */
        int sweepIdx;
        long passStartedAt = Long.MIN_VALUE / 2;
        long passEndedAt = Long.MIN_VALUE / 2;
        /** tids other than the leader's, ascending, as last listed. */
        int[] tids = new int[0];
        int listedThreads = -1;
        long listedAt = Long.MIN_VALUE / 2;
        /** The sample that last saw this pid in /proc. */
        long seenAt;

        Proc(int pid, String dir) {
            this.pid = pid;
            this.dir = dir;
            this.statPath = dir + "/stat";
            this.leaderStatPath = dir + "/task/" + pid + "/stat";
        }

        /** Whether a pass over its threads is due: one under way, or the last ended long enough ago. */
        boolean sweepDue(long sample) {
            if (sweepIdx > 0) {
                return true;
            }
            return sample - passEndedAt >= (movedAt >= passStartedAt ? BUSY_SWEEP : QUIET_SWEEP);
        }
    }

    private final Path proc;
    private final Path sys;
    private final long stuckAfter;
    private final int threadBudget;
    private final TimedReader reader;

    private final String procBase;
    private final Map<Integer, Tracked> threads = new HashMap<>();
    private final Map<Integer, Proc> procs = new HashMap<>();
    private final String[] batchPaths = new String[BATCH];
    private final int[] batchTids = new int[BATCH];
    private final Proc[] batchProcs = new Proc[BATCH];
    private final byte[] arena = new byte[BATCH * SLOT];
    private final PidStat.Cursor stat = new PidStat.Cursor();
    private int batchSize;
    private long samples;
    /** Whether each batch entry read a process's own stat (with the summed CPU time) rather than its leader's. */
    private final boolean[] batchWhole = new boolean[BATCH];
    private Set<Integer> fuseHolders = Set.of();
    private volatile Set<Integer> hot = Set.of();
    /** Processes as last listed (ascending), less those seen gone since. */
    private List<Integer> pidList = new ArrayList<>();
    /** loadavg's last pid when /proc was last listed, or -1. */
    private long listedNewestPid = -1;
    private long procsListedAt = Long.MIN_VALUE / 2;
    /** Fingerprint of every condition held past the threshold in the last sample ({@link #stuckPrint}). */
    private long stuckPrint;
    private final Map<Integer, Long> fuseSince = new HashMap<>();
    private final Map<String, Long> oomSince = new HashMap<>();
    private final Map<String, Long> uffdSince = new HashMap<>();
    private final Map<Integer, Long> unreadableSince = new HashMap<>();
    private List<Path> limitedMemcgs = List.of();
    private List<Path> uffdFdinfos = List.of();
    private long memcgsFoundAt = Long.MIN_VALUE / 2;
    private long uffdsFoundAt = Long.MIN_VALUE / 2;
    private int reads;

    public CheapSampler(Path root, Duration stuckAfter, int threadBudget, TimedReader reader) {
        this.proc = root.resolve("proc");
        this.procBase = proc.toString();
        this.sys = root.resolve("sys");
        this.stuckAfter = stuckAfter.toNanos();
        this.threadBudget = threadBudget;
        this.reader = reader;
    }

    /** Takes one sample; never throws, never blocks past the reader's per-file timeout per batch. */
    public Sample sample() {
        long t0 = System.nanoTime();
        reads = 0;
        List<Trigger> triggers = new ArrayList<>();
        long deadline = t0 + Duration.ofSeconds(5).toNanos();
        long print = 0;

        Result loadavg = reader.run(Op.read(LoadAvg.path(proc)), false, PER_OP, deadline);
        reads++;
        long newestPid = loadavg.ok() ? LoadAvg.lastPid(loadavg.text()) : -1;
        samples++;
        // listing /proc walks every pid of the host, threads included (3 ms with 10 000 threads): it is listed again
        // only when a task was created since (loadavg's last pid moved) or every RELIST_EVERY intervals; a process
        // that exits meanwhile is seen gone by its stat
        if (newestPid < 0 || newestPid != listedNewestPid || samples - procsListedAt >= RELIST_EVERY) {
            Result top = reader.run(Op.list(proc), false, PER_OP, deadline);
            reads++;
            List<Integer> listed = new ArrayList<>();
            for (String name : top.lines()) {
                int pid = number(name);
                if (pid > 0) {
                    listed.add(pid);
                }
            }
            listed.sort(null);
            pidList = listed;
            listedNewestPid = top.ok() ? newestPid : -1;
            procsListedAt = samples;
        }
        Set<Integer> pids = new HashSet<>(pidList);
        procs.keySet().retainAll(pids);
        List<Proc> multi = processes(pidList, t0, deadline, triggers);
        if (pidList.removeIf(pid -> procs.get(pid) == null || procs.get(pid).seenAt != samples)) {
            pids.retainAll(pidList);
            procs.keySet().retainAll(pids);
        }
        threadSweep(multi, t0, deadline);
        unreadableSince.keySet().retainAll(pids);

        // one pass over every thread: forget those of processes that are gone, count states, note the ones in D
        int[] counts = new int[256];
        int stuck = 0;
        Set<Integer> hotNow = new HashSet<>();
        for (Iterator<Map.Entry<Integer, Tracked>> it = threads.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Tracked> e = it.next();
            Tracked t = e.getValue();
            if (t.owner.seenAt != samples) {
                it.remove();
                continue;
            }
            counts[t.state & 0xff]++;
            if (t.state == 'D') {
                hotNow.add(e.getKey());
                hotNow.add(t.owner.pid);
            }
            if (t.state == 'D' && t.dSince != 0 && t0 - t.dSince >= stuckAfter) {
                stuck++;
                print += mix(e.getKey() * 0x9E3779B97F4A7C15L + t.start);
                if (triggers.size() < 20) {
                    triggers.add(new Trigger("D:" + e.getKey() + "@" + t.start, t.comm() + ":" + e.getKey()
                            + " in D for " + (t0 - t.dSince) / 1_000_000_000 + " s"));
                }
            }
        }
        int fuseWaiting = fuse(t0, deadline, triggers);
        int underOom = memcgs(t0, deadline, triggers);
        long pending = uffds(pids, t0, deadline, triggers);
        Map<Character, Integer> byState = new TreeMap<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                byState.put((char) c, counts[c]);
            }
        }
        for (Path p : uffdFdinfos) {
            // PROC/PID/fdinfo/N
            hotNow.add(number(p.getParent().getParent().getFileName().toString()));
        }
        hotNow.addAll(fuseHolders);
        hotNow.remove(-1);
        hot = Set.copyOf(hotNow);
        for (Trigger t : triggers) {
            if (!t.key().startsWith("D:")) {
                print += mix(t.key().hashCode());
            }
        }
        stuckPrint = print;
        Double load1 = null;
        Map<String, Double> psi = new TreeMap<>();
        List<Op> host = new ArrayList<>();
        for (String r : PressureFile.RESOURCES) {
            host.add(Op.read(PressureFile.path(proc, r)));
        }
        List<Result> hr = reader.run(host, false, PER_OP, deadline);
        reads += host.size();
        if (loadavg.ok()) {
            load1 = LoadAvg.load1(loadavg.text());
        }
        for (int i = 0; i < PressureFile.RESOURCES.size(); i++) {
            Double v = hr.get(i).ok() ? PressureFile.someAvg10(hr.get(i).text()) : null;
            if (v != null) {
                psi.put(PressureFile.RESOURCES.get(i), v);
            }
        }
        return new Sample(byState, threads.size(), stuck, triggers, load1, psi, fuseWaiting, underOom, pending,
                System.nanoTime() - t0, reads);
    }

    /**
     * Pids and tids a full scan should read first: tasks the last sample saw in D (and their processes), processes
     * holding a userfaultfd or /dev/fuse. Safe to call from any thread.
     */
    public Set<Integer> hotPids() {
        return hot;
    }

    /**
     * The thread count of each multi-threaded process as last sampled, for a full scan without the state pass (it
     * reads processes with many threads after the others). Call it from the thread that samples.
     */
    public Map<Integer, Integer> threadCounts() {
        Map<Integer, Integer> out = new HashMap<>();
        for (Proc p : procs.values()) {
            if (p.numThreads > 1) {
                out.put(p.pid, p.numThreads);
            }
        }
        return out;
    }

    /**
     * The thread ids (ascending, the leader's left out) of each process with more than {@code moreThan} threads whose
     * last listing still matches its thread count, for a full scan that reads only part of so big a process: it
     * need not list task/ again (10 000 entries cost as much as 2 000 stat reads). Call it from the thread that
     * samples; the arrays are not changed afterwards (a listing makes a new one).
     */
    public Map<Integer, int[]> threadIds(int moreThan) {
        Map<Integer, int[]> out = new HashMap<>();
        for (Proc p : procs.values()) {
            if (p.numThreads > moreThan && p.listedThreads == p.numThreads && p.tids.length + 1 == p.numThreads
                    && samples - p.listedAt <= RELIST_EVERY) {
                out.put(p.pid, p.tids);
            }
        }
        return out;
    }

    /**
     * A fingerprint of the set of conditions that have held for the threshold in the last sample (every task in D,
     * not only the first ones named as triggers; FUSE connections, memory cgroups, userfaultfds, unanswered stat
     * files): equal while the same things stay stuck, 0 when nothing is. The agent uses it to leave an unchanged hang
     * alone instead of scanning it again and again.
     */
    public long stuckPrint() {
        return stuckPrint;
    }

    /** Spreads the bits of one key so that the sum over a set rarely collides (SplitMix64's finaliser). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return z == 0 ? 1 : z;
    }

    /** Reads every process's stat; returns the multi-threaded ones, in pid order. */
    private List<Proc> processes(List<Integer> pids, long now, long deadline, List<Trigger> triggers) {
        List<Proc> multi = new ArrayList<>();
        for (int from = 0; from < pids.size(); from += BATCH) {
            int count = Math.min(BATCH, pids.size() - from);
            Proc[] part = new Proc[count];
            for (int i = 0; i < count; i++) {
                int pid = pids.get(from + i);
                Proc p = procs.get(pid);
                if (p == null) {
                    p = new Proc(pid, procBase + "/" + pid);
                    procs.put(pid, p);
                }
                p.seenAt = samples;
                part[i] = p;
                // the sum over threads only every few intervals (staggered by pid), and for a process not yet known
                boolean whole = p.numThreads <= 1 || p.cpu < 0 || (samples + pid) % ACTIVITY_EVERY == 0;
                batchWhole[i] = whole;
                batchPaths[i] = whole ? p.statPath : p.leaderStatPath;
            }
            boolean[] whole = batchWhole.clone();
            reader.streamBytes(batchPaths, count, SLOT, arena, PER_OP, deadline, (i, status, buf, off, len) -> {
                Proc p = part[i];
                int pid = p.pid;
                if (status == Status.TIMEOUT) {
                    long since = unreadableSince.computeIfAbsent(pid, k -> now);
                    triggers.add(new Trigger("unreadable:" + pid, "/proc/" + pid + "/stat did not answer"
                            + (now > since ? " for " + (now - since) / 1_000_000_000 + " s" : "")));
                    return;
                }
                if (status == Status.MISSING) {
                    p.seenAt = -1; // exited
                    return;
                }
                if (status != Status.OK) {
                    return;
                }
                unreadableSince.remove(pid);
                if (whole[i] ? !stat.parse(buf, off, len) || stat.numThreads() < 0 || stat.startTime() < 0
                        : !statLine(buf, off, len)) {
                    return;
                }
                int numThreads = (int) Math.min(stat.numThreads(), Integer.MAX_VALUE);
                if (p.start != stat.startTime()) {
                    // a new process (or one under a reused pid): its task list is not the old one's, and a first
                    // pass over its threads is due at once
                    p.start = stat.startTime();
                    p.tids = new int[0];
                    p.listedThreads = -1;
                    p.cpu = -1;
                    p.sweepIdx = 0;
                    p.passStartedAt = Long.MIN_VALUE / 2;
                    p.passEndedAt = Long.MIN_VALUE / 2;
                    p.movedAt = Long.MIN_VALUE / 2;
                    p.numThreads = numThreads;
                    p.state = stat.state();
                }
                if (numThreads != p.numThreads || stat.state() != p.state) {
                    p.movedAt = samples;
                }
                if (whole[i] && stat.utime() >= 0 && stat.stime() >= 0) {
                    long cpu = stat.utime() + stat.stime();
                    if (p.cpu >= 0 && cpu != p.cpu) {
                        p.movedAt = samples;
                    }
                    p.cpu = cpu;
                }
                p.numThreads = numThreads;
                p.state = stat.state();
                track(p, pid, p.statPath, buf, now);
                if (stat.numThreads() > 1) {
                    multi.add(p);
                }
            });
            reads += count;
        }
        return multi;
    }

    /**
     * Reads the threads of multi-threaded processes: those last seen in D every time; of the rest, a pass over each
     * process's threads every {@link #BUSY_SWEEP} intervals if it ran since its last pass began, else every {@link
     * #QUIET_SWEEP}, all within one budget for the host (passes under way first, then the longest overdue), resuming
     * where the last interval stopped (which may be inside a process).
     */
    private void threadSweep(List<Proc> multi, long now, long deadline) {
        batchSize = 0;
        int again = 0;
        for (Map.Entry<Integer, Tracked> e : threads.entrySet()) {
            Tracked t = e.getValue();
            if (t.state == 'D' && e.getKey() != t.tgid) {
                queue(t.owner, e.getKey(), t.statPath, now, deadline);
                again++;
            }
        }
        List<Proc> due = new ArrayList<>();
        for (Proc p : multi) {
            if (p.sweepDue(samples)) {
                due.add(p);
            }
        }
        due.sort(java.util.Comparator.comparingInt((Proc p) -> p.sweepIdx > 0 ? 0 : 1)
                .thenComparingLong(p -> p.passEndedAt).thenComparingInt(p -> p.pid));
        int budget = threadBudget - again;
        for (Proc p : due) {
            if (budget <= 0) {
                break;
            }
            if (p.sweepIdx == 0 || p.sweepIdx >= p.tids.length) {
                p.sweepIdx = 0;
                p.passStartedAt = samples;
                if (p.listedThreads != p.numThreads || samples - p.listedAt >= RELIST_EVERY) {
                    relist(p, deadline);
                }
            }
            int from = p.sweepIdx;
            int take = Math.min(budget, p.tids.length - from);
            String dir = p.dir + "/task/";
            for (int i = from; i < from + take; i++) {
                int tid = p.tids[i];
                Tracked t = threads.get(tid);
                if (t != null && t.state == 'D' && t.tgid == p.pid) {
                    continue; // read above
                }
                queue(p, tid, t != null && t.tgid == p.pid ? t.statPath : dir + tid + "/stat", now, deadline);
            }
            budget -= take;
            if (from + take < p.tids.length) {
                p.sweepIdx = from + take;
            } else {
                p.sweepIdx = 0;
                p.passEndedAt = samples;
            }
        }
        flush(now, deadline);
    }

    /** Lists a process's tasks again; forgets the threads no longer there. */
    private void relist(Proc p, long deadline) {
        Result list = reader.run(Op.list(proc.resolve(Integer.toString(p.pid)).resolve("task")), false, PER_OP,
                deadline);
        reads++;
        p.listedAt = samples;
        if (!list.ok()) {
            p.tids = new int[0];
            p.listedThreads = -1;
            return;
        }
        String text = list.text();
        int[] tids = new int[Math.max(1, p.numThreads)];
        int count = 0;
        int total = 0;
        int v = -1;
        for (int i = 0, len = text.length(); i <= len; i++) {
            char c = i < len ? text.charAt(i) : '\n';
            if (c == '\n') {
                if (v > 0) {
                    total++;
                    if (v != p.pid) {
                        if (count == tids.length) {
                            tids = java.util.Arrays.copyOf(tids, tids.length * 2);
                        }
                        tids[count++] = v;
                    }
                }
                v = -1;
            } else if (c >= '0' && c <= '9' && v < 100_000_000) {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
            } else {
                v = Integer.MIN_VALUE / 2;
            }
        }
        int[] sorted = java.util.Arrays.copyOf(tids, count);
        java.util.Arrays.sort(sorted);
        // threads that exited since the last listing of this process
        int[] old = p.tids;
        for (int tid : old) {
            if (java.util.Arrays.binarySearch(sorted, tid) < 0) {
                Tracked t = threads.get(tid);
                if (t != null && t.tgid == p.pid) {
                    threads.remove(tid);
                }
            }
        }
        p.tids = sorted;
        p.listedThreads = total;
    }

    private void queue(Proc owner, int tid, String statPath, long now, long deadline) {
        batchPaths[batchSize] = statPath;
        batchProcs[batchSize] = owner;
        batchTids[batchSize] = tid;
        batchSize++;
        if (batchSize == BATCH) {
            flush(now, deadline);
        }
    }

    private void flush(long now, long deadline) {
        int count = batchSize;
        batchSize = 0;
        reader.streamBytes(batchPaths, count, SLOT, arena, PER_OP, deadline, (i, status, buf, off, len) -> {
            int tid = batchTids[i];
            if (status == Status.MISSING) {
                Tracked t = threads.get(tid);
                if (t != null && t.tgid == batchProcs[i].pid) {
                    threads.remove(tid);
                }
                return;
            }
            if (status == Status.OK && statLine(buf, off, len)) {
                track(batchProcs[i], tid, batchPaths[i], buf, now);
            }
        });
        reads += count;
    }

    /** Parses one stat file into {@link #stat}; false unless it holds num_threads and starttime. */
    private boolean statLine(byte[] buf, int off, int len) {
        return stat.parseThroughStartTime(buf, off, len) && stat.numThreads() >= 0 && stat.startTime() >= 0;
    }

    /** Records what {@link #stat} holds for one task; {@code buf} holds its comm. */
    private void track(Proc owner, int tid, String statPath, byte[] buf, long now) {
        Tracked t = threads.get(tid);
        char state = stat.state();
        if (t == null || t.start != stat.startTime() || t.owner != owner) {
            t = new Tracked(owner, statPath);
            t.start = stat.startTime();
            t.comm = java.util.Arrays.copyOfRange(buf, stat.commFrom(), stat.commTo());
            t.state = state;
            t.dSince = state == 'D' ? now : 0;
            threads.put(tid, t);
            return;
        }
        if (state == 'D') {
            if (t.state != 'D' || t.dSince == 0) {
                t.dSince = now;
            }
        } else {
            t.dSince = 0;
        }
        t.state = state;
        if (!java.util.Arrays.equals(t.comm, 0, t.comm.length, buf, stat.commFrom(), stat.commTo())) {
            t.comm = java.util.Arrays.copyOfRange(buf, stat.commFrom(), stat.commTo());
        }
    }

    private int fuse(long now, long deadline, List<Trigger> triggers) {
        Path conns = FuseConnectionDir.all(sys);
        Result list = reader.run(Op.listDirs(conns), false, PER_OP, deadline);
        reads++;
        if (!list.ok()) {
            fuseSince.clear();
            return 0;
        }
        List<Integer> ids = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        for (String name : list.lines()) {
            int id = number(name);
            if (id >= 0) {
                ids.add(id);
                ops.add(Op.read(FuseConnectionDir.waiting(conns.resolve(name))));
            }
        }
        List<Result> rs = reader.run(ops, false, PER_OP, deadline);
        reads += ops.size();
        int total = 0;
        Set<Integer> waitingNow = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            Long w = rs.get(i).ok() ? FuseConnectionDir.parseWaiting(rs.get(i).text()) : null;
            int id = ids.get(i);
            if (w == null || w <= 0) {
                continue;
            }
            total += (int) Math.min(w, Integer.MAX_VALUE);
            waitingNow.add(id);
            long since = fuseSince.computeIfAbsent(id, k -> now);
            if (now - since >= stuckAfter) {
                triggers.add(new Trigger("fuse:" + id, "FUSE connection " + id + ": " + w + " request(s) waiting for "
                        + (now - since) / 1_000_000_000 + " s"));
            }
        }
        fuseSince.keySet().retainAll(waitingNow);
        return total;
    }

    private int memcgs(long now, long deadline, List<Trigger> triggers) {
        if (now - memcgsFoundAt >= CGROUP_REDISCOVER) {
            memcgsFoundAt = now;
            limitedMemcgs = findLimitedMemcgs(deadline);
        }
        if (limitedMemcgs.isEmpty()) {
            oomSince.clear();
            return 0;
        }
        List<Op> ops = new ArrayList<>(limitedMemcgs.size());
        for (Path p : limitedMemcgs) {
            ops.add(Op.read(MemcgOomControl.path(p)));
        }
        List<Result> rs = new ArrayList<>();
        for (int from = 0; from < ops.size(); from += BATCH) {
            rs.addAll(reader.run(ops.subList(from, Math.min(ops.size(), from + BATCH)), false, PER_OP, deadline));
        }
        reads += ops.size();
        int under = 0;
        Set<String> now_ = new HashSet<>();
        Path top = sys.resolve("fs/cgroup/memory");
        for (int i = 0; i < limitedMemcgs.size(); i++) {
            if (!rs.get(i).ok()) {
                continue;
            }
            if (!Boolean.TRUE.equals(MemcgOomControl.parse(rs.get(i).text()).underOom())) {
                continue;
            }
            under++;
            String name = "/" + top.relativize(limitedMemcgs.get(i));
            now_.add(name);
            long since = oomSince.computeIfAbsent(name, k -> now);
            if (now - since >= stuckAfter) {
                triggers.add(new Trigger("memcg:" + name, "memory cgroup " + name + " under_oom for "
                        + (now - since) / 1_000_000_000 + " s"));
            }
        }
        oomSince.keySet().retainAll(now_);
        return under;
    }

    /** v1 memory cgroups with a limit, breadth first within caps; v2 hangs show as D tasks instead. */
    private List<Path> findLimitedMemcgs(long deadline) {
        Path top = sys.resolve("fs/cgroup/memory");
        if (!Files.isDirectory(top)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        List<Path> queue = new ArrayList<>();
        queue.add(top);
        for (int qi = 0; qi < queue.size() && qi < MAX_MEMCGS; qi++) {
            Path dir = queue.get(qi);
            List<Result> rs = reader.run(List.of(Op.listDirs(dir), Op.read(MemcgLimit.path(dir, 1))),
                    false, PER_OP, deadline);
            reads += 2;
            MemcgLimit limit = rs.get(1).ok() ? MemcgLimit.parse(rs.get(1).text()) : null;
            if (limit != null && !limit.unlimited() && dir != top) {
                out.add(dir);
            }
            for (String s : rs.get(0).lines()) {
                queue.add(dir.resolve(s));
            }
        }
        return out;
    }

    private long uffds(Set<Integer> pids, long now, long deadline, List<Trigger> triggers) {
        if (now - uffdsFoundAt >= UFFD_REDISCOVER) {
            uffdsFoundAt = now;
            uffdFdinfos = findUffds(pids, deadline);
        }
        if (uffdFdinfos.isEmpty()) {
            uffdSince.clear();
            return 0;
        }
        List<Op> ops = new ArrayList<>();
        for (Path p : uffdFdinfos) {
            ops.add(Op.read(p));
        }
        List<Result> rs = reader.run(ops, false, PER_OP, deadline);
        reads += ops.size();
        long total = 0;
        Set<String> pendingNow = new HashSet<>();
        List<Path> still = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (rs.get(i).status() == Status.MISSING) {
                continue;
            }
            still.add(uffdFdinfos.get(i));
            Long p = rs.get(i).ok() ? FdinfoFile.parse(rs.get(i).text()).uffdPending() : null;
            if (p == null || p <= 0) {
                continue;
            }
            total += p;
            String key = proc.relativize(uffdFdinfos.get(i)).toString();
            pendingNow.add(key);
            long since = uffdSince.computeIfAbsent(key, k -> now);
            if (now - since >= stuckAfter) {
                triggers.add(new Trigger("uffd:" + key, "userfaultfd /proc/" + key + ": " + p
                        + " fault(s) pending for " + (now - since) / 1_000_000_000 + " s"));
            }
        }
        uffdFdinfos = still;
        uffdSince.keySet().retainAll(pendingNow);
        return total;
    }

    /** fdinfo paths of every userfaultfd on the host (and who holds /dev/fuse), within a cap on links read. */
    private List<Path> findUffds(Set<Integer> pids, long deadline) {
        List<Path> out = new ArrayList<>();
        Set<Integer> fuse = new HashSet<>();
        int links = 0;
        List<Integer> sorted = new ArrayList<>(pids);
        sorted.sort(null);
        for (Iterator<Integer> it = sorted.iterator(); it.hasNext() && links < MAX_FD_LINKS; ) {
            int pid = it.next();
            Path pd = proc.resolve(Integer.toString(pid));
            Result fds = reader.run(Op.list(PidFdLink.dir(proc, pid)), false, PER_OP, deadline);
            reads++;
            List<String> names = fds.lines();
            for (int from = 0; from < names.size() && links < MAX_FD_LINKS; from += BATCH) {
                List<String> part = names.subList(from, Math.min(names.size(), from + BATCH));
                List<Op> ops = new ArrayList<>(part.size());
                for (String fd : part) {
                    ops.add(Op.readlink(PidFdLink.dir(proc, pid).resolve(fd)));
                }
                List<Result> rs = reader.run(ops, false, PER_OP, deadline);
                reads += ops.size();
                links += ops.size();
                for (int i = 0; i < part.size(); i++) {
                    if (rs.get(i).ok() && PidFdLink.userfaultfd(rs.get(i).text())) {
                        out.add(pd.resolve("fdinfo").resolve(part.get(i)));
                    } else if (rs.get(i).ok() && PidFdLink.fuseDevice(rs.get(i).text())) {
                        fuse.add(pid);
                    }
                }
            }
        }
        fuseHolders = Set.copyOf(fuse);
        return out;
    }

    static int number(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

}
