package dev.hangdoctor.watch;

import dev.hangdoctor.collect.TimedReader;
import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.collect.TimedReader.Status;
import dev.hangdoctor.parse.CgroupFiles;
import dev.hangdoctor.parse.FdinfoFile;

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
 * state letter of every process (/proc/PID/stat), the threads of multi-threaded processes within a read budget per
 * interval (round robin, so every thread is seen every few intervals; threads already in D are read every time),
 * FUSE connections' waiting counts, v1 memory cgroups' under_oom, pending faults on known userfaultfds, loadavg and
 * PSI. It remembers since when each condition has held and says which have held for the threshold: those are the
 * reasons for a full scan. Every read goes through a {@link TimedReader}, so a file that never answers costs a
 * stuck thread, not the agent.
 */
public final class CheapSampler {
    private static final int BATCH = 256;
    private static final long PER_OP = Duration.ofMillis(500).toNanos();
    private static final long CGROUP_REDISCOVER = Duration.ofSeconds(10).toNanos();
    private static final long UFFD_REDISCOVER = Duration.ofSeconds(30).toNanos();
    private static final int MAX_MEMCGS = 5000;
    private static final int MAX_FD_LINKS = 20_000;
    private static final String UFFD_LINK = "anon_inode:[userfaultfd]";

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
        long start;
        String comm;
        char state;
        long dSince;

        Tracked(int tgid, long start, String comm, char state) {
            this.tgid = tgid;
            this.start = start;
            this.comm = comm;
            this.state = state;
        }
    }

    private final Path proc;
    private final Path sys;
    private final long stuckAfter;
    private final int threadBudget;
    private final TimedReader reader;

    private final Map<Integer, Tracked> threads = new HashMap<>();
    private final Map<Integer, Long> fuseSince = new HashMap<>();
    private final Map<String, Long> oomSince = new HashMap<>();
    private final Map<String, Long> uffdSince = new HashMap<>();
    private final Map<Integer, Long> unreadableSince = new HashMap<>();
    private List<Path> limitedMemcgs = List.of();
    private List<Path> uffdFdinfos = List.of();
    private long memcgsFoundAt = Long.MIN_VALUE / 2;
    private long uffdsFoundAt = Long.MIN_VALUE / 2;
    private int sweepCursor;
    private int reads;

    public CheapSampler(Path root, Duration stuckAfter, int threadBudget, TimedReader reader) {
        this.proc = root.resolve("proc");
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

        Result top = reader.run(Op.list(proc), false, PER_OP, deadline);
        reads++;
        Set<Integer> pids = new HashSet<>();
        List<Integer> pidList = new ArrayList<>();
        for (String name : top.lines()) {
            int pid = number(name);
            if (pid > 0) {
                pids.add(pid);
                pidList.add(pid);
            }
        }
        pidList.sort(null);
        List<Integer> multi = processes(pidList, t0, deadline, triggers);
        threadSweep(multi, t0, deadline);
        // forget threads of processes that are gone
        threads.values().removeIf(t -> !pids.contains(t.tgid));
        unreadableSince.keySet().retainAll(pids);

        Map<Character, Integer> byState = new TreeMap<>();
        int stuck = 0;
        for (Map.Entry<Integer, Tracked> e : threads.entrySet()) {
            Tracked t = e.getValue();
            byState.merge(t.state, 1, Integer::sum);
            if (t.state == 'D' && t.dSince != 0 && t0 - t.dSince >= stuckAfter) {
                stuck++;
                if (triggers.size() < 20) {
                    triggers.add(new Trigger("D:" + e.getKey() + "@" + t.start, t.comm + ":" + e.getKey()
                            + " in D for " + (t0 - t.dSince) / 1_000_000_000 + " s"));
                }
            }
        }
        int fuseWaiting = fuse(t0, deadline, triggers);
        int underOom = memcgs(t0, deadline, triggers);
        long pending = uffds(pids, t0, deadline, triggers);
        Double load1 = null;
        Map<String, Double> psi = new TreeMap<>();
        List<Op> host = List.of(Op.read(proc.resolve("loadavg")), Op.read(proc.resolve("pressure/cpu")),
                Op.read(proc.resolve("pressure/memory")), Op.read(proc.resolve("pressure/io")));
        List<Result> hr = reader.run(host, false, PER_OP, deadline);
        reads += host.size();
        if (hr.get(0).ok()) {
            load1 = firstDouble(hr.get(0).text());
        }
        String[] res = {"cpu", "memory", "io"};
        for (int i = 0; i < res.length; i++) {
            Double v = hr.get(i + 1).ok() ? someAvg10(hr.get(i + 1).text()) : null;
            if (v != null) {
                psi.put(res[i], v);
            }
        }
        return new Sample(byState, threads.size(), stuck, triggers, load1, psi, fuseWaiting, underOom, pending,
                System.nanoTime() - t0, reads);
    }

    /** Reads every process's stat; returns the multi-threaded ones. */
    private List<Integer> processes(List<Integer> pids, long now, long deadline, List<Trigger> triggers) {
        List<Integer> multi = new ArrayList<>();
        for (int from = 0; from < pids.size(); from += BATCH) {
            List<Integer> part = pids.subList(from, Math.min(pids.size(), from + BATCH));
            List<Op> ops = new ArrayList<>(part.size());
            for (int pid : part) {
                ops.add(Op.read(proc.resolve(Integer.toString(pid)).resolve("stat")));
            }
            List<Result> rs = reader.run(ops, false, PER_OP, deadline);
            reads += ops.size();
            for (int i = 0; i < part.size(); i++) {
                int pid = part.get(i);
                Result r = rs.get(i);
                if (r.status() == Status.TIMEOUT) {
                    long since = unreadableSince.computeIfAbsent(pid, k -> now);
                    triggers.add(new Trigger("unreadable:" + pid, "/proc/" + pid + "/stat did not answer"
                            + (now > since ? " for " + (now - since) / 1_000_000_000 + " s" : "")));
                    continue;
                }
                if (!r.ok()) {
                    continue;
                }
                unreadableSince.remove(pid);
                StatLine s = StatLine.parse(r.text());
                if (s == null) {
                    continue;
                }
                track(pid, pid, s, now);
                if (s.numThreads() > 1) {
                    multi.add(pid);
                }
            }
        }
        return multi;
    }

    /**
     * Reads the threads of multi-threaded processes: those last seen in D every time, the rest round robin within
     * the budget, resuming where the last interval stopped.
     */
    private void threadSweep(List<Integer> multi, long now, long deadline) {
        List<int[]> again = new ArrayList<>();
        for (Map.Entry<Integer, Tracked> e : threads.entrySet()) {
            if (e.getValue().state == 'D' && e.getKey() != e.getValue().tgid) {
                again.add(new int[] {e.getValue().tgid, e.getKey()});
            }
        }
        readThreads(again, now, deadline);
        if (multi.isEmpty()) {
            return;
        }
        int budget = threadBudget - again.size();
        int n = multi.size();
        int start = sweepCursor % n;
        for (int k = 0; k < n && budget > 0; k++) {
            int idx = (start + k) % n;
            int pid = multi.get(idx);
            Path task = proc.resolve(Integer.toString(pid)).resolve("task");
            Result list = reader.run(Op.list(task), false, PER_OP, deadline);
            reads++;
            if (!list.ok()) {
                sweepCursor = idx + 1;
                continue;
            }
            Set<Integer> alive = new HashSet<>();
            List<int[]> todo = new ArrayList<>();
            for (String name : list.lines()) {
                int tid = number(name);
                if (tid > 0) {
                    alive.add(tid);
                    if (tid != pid) {
                        todo.add(new int[] {pid, tid});
                    }
                }
            }
            // threads that exited since the last sweep of this process
            threads.entrySet().removeIf(e -> e.getValue().tgid == pid && !alive.contains(e.getKey()));
            readThreads(todo, now, deadline);
            budget -= todo.size();
            sweepCursor = idx + 1;
        }
    }

    private void readThreads(List<int[]> todo, long now, long deadline) {
        for (int from = 0; from < todo.size(); from += BATCH) {
            List<int[]> part = todo.subList(from, Math.min(todo.size(), from + BATCH));
            List<Op> ops = new ArrayList<>(part.size());
            for (int[] t : part) {
                ops.add(Op.read(proc.resolve(Integer.toString(t[0])).resolve("task").resolve(Integer.toString(t[1]))
                        .resolve("stat")));
            }
            List<Result> rs = reader.run(ops, false, PER_OP, deadline);
            reads += ops.size();
            for (int i = 0; i < part.size(); i++) {
                Result r = rs.get(i);
                int tid = part.get(i)[1];
                if (r.status() == Status.MISSING) {
                    threads.remove(tid);
                    continue;
                }
                StatLine s = r.ok() ? StatLine.parse(r.text()) : null;
                if (s != null) {
                    track(part.get(i)[0], tid, s, now);
                }
            }
        }
    }

    private void track(int tgid, int tid, StatLine s, long now) {
        Tracked t = threads.get(tid);
        if (t == null || t.start != s.startTime() || t.tgid != tgid) {
            t = new Tracked(tgid, s.startTime(), s.comm(), s.state());
            threads.put(tid, t);
            t.dSince = s.state() == 'D' ? now : 0;
            return;
        }
        if (s.state() == 'D') {
            if (t.state != 'D' || t.dSince == 0) {
                t.dSince = now;
            }
        } else {
            t.dSince = 0;
        }
        t.state = s.state();
        if (!s.comm().equals(t.comm)) {
            t.comm = s.comm();
        }
    }

    private int fuse(long now, long deadline, List<Trigger> triggers) {
        Path conns = sys.resolve("fs/fuse/connections");
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
                ops.add(Op.read(conns.resolve(name).resolve("waiting")));
            }
        }
        List<Result> rs = reader.run(ops, false, PER_OP, deadline);
        reads += ops.size();
        int total = 0;
        Set<Integer> waitingNow = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            Long w = rs.get(i).ok() ? CgroupFiles.number(rs.get(i).text()) : null;
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
            ops.add(Op.read(p.resolve("memory.oom_control")));
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
            Long u = CgroupFiles.flatKeyed(rs.get(i).text()).get("under_oom");
            if (u == null || u == 0) {
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
            List<Result> rs = reader.run(List.of(Op.listDirs(dir), Op.read(dir.resolve("memory.limit_in_bytes"))),
                    false, PER_OP, deadline);
            reads += 2;
            CgroupFiles.Limit limit = rs.get(1).ok() ? CgroupFiles.limit(rs.get(1).text()) : null;
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

    /** fdinfo paths of every userfaultfd on the host, within a cap on links read. */
    private List<Path> findUffds(Set<Integer> pids, long deadline) {
        List<Path> out = new ArrayList<>();
        int links = 0;
        List<Integer> sorted = new ArrayList<>(pids);
        sorted.sort(null);
        for (Iterator<Integer> it = sorted.iterator(); it.hasNext() && links < MAX_FD_LINKS; ) {
            Path pd = proc.resolve(Integer.toString(it.next()));
            Result fds = reader.run(Op.list(pd.resolve("fd")), false, PER_OP, deadline);
            reads++;
            List<String> names = fds.lines();
            for (int from = 0; from < names.size() && links < MAX_FD_LINKS; from += BATCH) {
                List<String> part = names.subList(from, Math.min(names.size(), from + BATCH));
                List<Op> ops = new ArrayList<>(part.size());
                for (String fd : part) {
                    ops.add(Op.readlink(pd.resolve("fd").resolve(fd)));
                }
                List<Result> rs = reader.run(ops, false, PER_OP, deadline);
                reads += ops.size();
                links += ops.size();
                for (int i = 0; i < part.size(); i++) {
                    if (rs.get(i).ok() && UFFD_LINK.equals(rs.get(i).text())) {
                        out.add(pd.resolve("fdinfo").resolve(part.get(i)));
                    }
                }
            }
        }
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

    static Double firstDouble(String text) {
        String s = text.strip();
        int sp = s.indexOf(' ');
        try {
            return Double.parseDouble(sp < 0 ? s : s.substring(0, sp));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** avg10 of the "some" line of a /proc/pressure file. */
    static Double someAvg10(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("some ")) {
                int i = line.indexOf("avg10=");
                if (i < 0) {
                    return null;
                }
                int end = line.indexOf(' ', i);
                try {
                    return Double.parseDouble(line.substring(i + 6, end < 0 ? line.length() : end));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
