package dev.hangdoctor.collect;

import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.procfs.CgroupControllers;
import dev.hangdoctor.procfs.CgroupProcs;
import dev.hangdoctor.procfs.CpuQuota;
import dev.hangdoctor.procfs.CpuStat;
import dev.hangdoctor.procfs.MemcgEvents;
import dev.hangdoctor.procfs.MemcgFailcnt;
import dev.hangdoctor.procfs.MemcgLimit;
import dev.hangdoctor.procfs.MemcgOomControl;
import dev.hangdoctor.procfs.MemcgUsage;
import dev.hangdoctor.procfs.PressureFile;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.hangdoctor.collect.ScanReads.text;

/**
 * The cgroup trees of one scan under sys/fs/cgroup (v1 controller hierarchies and the v2 root): memory cgroups and
 * CPU bandwidth counts, walked breadth first within a count and a depth cap, every file through the scan's reads.
 */
final class CgroupScanner {
    private static final int MAX_CGROUP_DEPTH = 16;
    private static final int MAX_CGROUP_PIDS = 1000;

    private final ScanReads reads;
    private final Path sys;
    private final Evidence ev;
    private final long deadline;
    private final int maxCgroups;

    CgroupScanner(ScanReads reads, Path sys, Evidence ev, long deadline, int maxCgroups) {
        this.reads = reads;
        this.sys = sys;
        this.ev = ev;
        this.deadline = deadline;
        this.maxCgroups = maxCgroups;
    }

    /** Hierarchies under sys/fs/cgroup: v1 controller directories (by name) and the v2 root, if any. */
    private List<String> v1Hierarchies() {
        Path v2 = v2Root();
        if (sys == null || (v2 != null && v2.equals(sys.resolve("fs").resolve("cgroup")))) {
            return List.of(); // pure v2: the directories there are cgroups, not hierarchies
        }
        return reads.run1(Op.listDirs(sys.resolve("fs").resolve("cgroup")), deadline).lines();
    }

    private Path v2Root() {
        if (sys == null) {
            return null;
        }
        if (v2RootKnown) {
            return v2Root;
        }
        v2RootKnown = true;
        v2Root = findV2Root();
        return v2Root;
    }

    private boolean v2RootKnown;
    private Path v2Root;

    private Path findV2Root() {
        Path base = sys.resolve("fs").resolve("cgroup");
        if (reads.run1(Op.read(CgroupControllers.path(base)), deadline).ok()) {
            return base;
        }
        Path unified = base.resolve("unified");
        return reads.run1(Op.read(CgroupControllers.path(unified)), deadline).ok() ? unified : null;
    }

    private List<Path> hierarchyDirs(String controller, List<String> v1) {
        List<Path> out = new ArrayList<>();
        for (String name : v1) {
            for (String c : name.split(",")) {
                if (c.equals(controller)) {
                    out.add(sys.resolve("fs").resolve("cgroup").resolve(name));
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Visits cgroup directories breadth first, reading {@code files} of each (a cgroup directory to one of its files),
     * within the count and depth caps.
     */
    private void walk(Path top, List<UnaryOperator<Path>> files, String what, CgroupVisitor visitor) {
        Deque<Path> queue = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        queue.add(top);
        depths.add(0);
        int visited = 0;
        while (!queue.isEmpty() && !reads.stopped()) {
            if (visited >= maxCgroups) {
                ev.warn(what + ": looked at the first " + visited + " cgroups under " + top + " (cap)");
                return;
            }
            Path dir = queue.poll();
            int depth = depths.poll();
            List<Op> ops = new ArrayList<>(files.size() + 1);
            ops.add(Op.listDirs(dir));
            for (UnaryOperator<Path> f : files) {
                ops.add(Op.read(f.apply(dir)));
            }
            List<Result> rs = reads.run(ops, deadline);
            visited++;
            if (ScanReads.timedOut(rs)) {
                ev.warn(what + ": " + dir + " did not answer; skipped it");
                continue;
            }
            visitor.visit(dir, "/" + top.relativize(dir).toString(), rs.subList(1, rs.size()));
            if (depth < MAX_CGROUP_DEPTH) {
                List<String> subs = new ArrayList<>(rs.get(0).lines());
                subs.sort(null);
                for (String s : subs) {
                    queue.add(dir.resolve(s));
                    depths.add(depth + 1);
                }
            }
        }
    }

    private interface CgroupVisitor {
        void visit(Path dir, String path, List<Result> files);
    }

    /** Memory cgroups with a limit or under OOM (v1 and v2), and how many were walked and unlimited. */
    void memCgroups() {
        int[] skipped = {0};
        int[] walked = {0};
        List<String> v1 = v1Hierarchies();
        for (Path top : hierarchyDirs("memory", v1)) {
            walk(top, List.of(d -> MemcgLimit.path(d, 1), MemcgOomControl::path), "memory cgroups", (dir, path, rs) -> {
                walked[0]++;
                MemcgLimit limit = MemcgLimit.parse(text(rs.get(0)));
                MemcgOomControl oom = MemcgOomControl.parse(text(rs.get(1)));
                if (limit == null && oom.isEmpty()) {
                    return;
                }
                boolean underOom = Boolean.TRUE.equals(oom.underOom());
                if ((limit == null || limit.unlimited()) && !underOom) {
                    skipped[0]++;
                    return;
                }
                List<Result> more = reads.run(List.of(Op.read(MemcgUsage.path(dir, 1)),
                        Op.read(MemcgFailcnt.path(dir)), Op.read(CgroupProcs.path(dir))), deadline);
                ev.addMemCgroup(new MemCgroup(path, 1, MemcgUsage.parse(text(more.get(0))),
                        limit == null ? null : limit.bytes(), limit != null && limit.unlimited(),
                        oom.underOom(), oom.oomKillDisable(), MemcgFailcnt.parse(text(more.get(1))), oom.oomKill(),
                        oom.fields(), null, CgroupProcs.parse(text(more.get(2)), MAX_CGROUP_PIDS)));
            });
        }
        Path v2 = v2Root();
        if (v2 != null) {
            walk(v2, List.of(d -> MemcgLimit.path(d, 2), MemcgEvents::path), "memory cgroups", (dir, path, rs) -> {
                MemcgLimit limit = MemcgLimit.parse(text(rs.get(0)));
                if (limit == null) {
                    return; // no memory controller here (the root, or memory not enabled)
                }
                walked[0]++;
                if (limit.unlimited()) {
                    skipped[0]++;
                    return;
                }
                MemcgEvents events = MemcgEvents.parse(text(rs.get(1)));
                List<Result> more = reads.run(List.of(Op.read(MemcgUsage.path(dir, 2)),
                        Op.read(PressureFile.memoryPath(dir)), Op.read(CgroupProcs.path(dir))), deadline);
                String pressure = text(more.get(1));
                ev.addMemCgroup(new MemCgroup(path, 2, MemcgUsage.parse(text(more.get(0))), limit.bytes(), false,
                        null, null, events.max(), events.oomKill(), events.fields(),
                        pressure == null ? null : pressure.strip().replace("\n", "; "),
                        CgroupProcs.parse(text(more.get(2)), MAX_CGROUP_PIDS)));
            });
        }
        if (walked[0] > 0) {
            ev.host().sysctls().put("cgroup.memory.walked", Integer.toString(walked[0]));
            ev.host().sysctls().put("cgroup.memory.unlimited", Integer.toString(skipped[0]));
        }
    }


    /** CPU bandwidth: how many cgroups have a quota, how many were throttled and for how long, in total. */
    void cpuCgroups() {
        long[] quota = {0};
        long[] throttledGroups = {0};
        long[] nrThrottled = {0};
        long[] throttledNs = {0};
        long[] walked = {0};
        for (Path top : hierarchyDirs("cpu", v1Hierarchies())) {
            walk(top, List.of(d -> CpuQuota.path(d, 1)), "cpu cgroups", (dir, path, rs) -> {
                cpuGroup(dir, CpuQuota.parse(text(rs.get(0))), rs.get(0).ok(), quota, throttledGroups,
                        nrThrottled, throttledNs, walked);
            });
        }
        Path v2 = v2Root();
        if (v2 != null) {
            walk(v2, List.of(d -> CpuQuota.path(d, 2)), "cpu cgroups", (dir, path, rs) -> {
                cpuGroup(dir, CpuQuota.parse(text(rs.get(0))), rs.get(0).ok(), quota, throttledGroups,
                        nrThrottled, throttledNs, walked);
            });
        }
        if (walked[0] > 0) {
            Map<String, String> s = ev.host().sysctls();
            s.put("cgroup.cpu.walked", Long.toString(walked[0]));
            s.put("cgroup.cpu.quota_set", Long.toString(quota[0]));
            s.put("cgroup.cpu.throttled_cgroups", Long.toString(throttledGroups[0]));
            s.put("cgroup.cpu.nr_throttled_total", Long.toString(nrThrottled[0]));
            s.put("cgroup.cpu.throttled_ns_total", Long.toString(throttledNs[0]));
        }
    }

    private void cpuGroup(Path dir, Long quota, boolean present, long[] quotas, long[] throttledGroups,
                          long[] nrThrottled, long[] throttledNs, long[] walked) {
        if (!present) {
            return;
        }
        walked[0]++;
        if (quota == null) {
            return;
        }
        quotas[0]++;
        CpuStat st = CpuStat.parse(text(reads.run1(Op.read(CpuStat.path(dir)), deadline)));
        long n = st.nrThrottled();
        nrThrottled[0] += n;
        if (n > 0) {
            throttledGroups[0]++;
        }
        throttledNs[0] += st.throttledNanos();
    }
}
