package dev.hangdoctor.collect;

import dev.hangdoctor.procfs.FuseConnectionDir;
import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.procfs.MountinfoEntry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.hangdoctor.collect.ScanReads.text;

/**
 * The FUSE connections of one scan: each connection's waiting requests (sys/fs/fuse/connections/N/waiting), its
 * mounts (mountinfo of the scan and of every daemon, since a daemon in a container mounts in its own namespace) and
 * its daemons (the processes holding /dev/fuse, by the connection their fdinfo names). Keyed by connection id, the
 * device minor of the mount, so what else is learnt of a connection joins it here.
 */
final class FuseScanner {
    /** What is known of one connection so far. */
    private static final class Connection {
        Long waiting;
        final Set<String> mountPoints = new LinkedHashSet<>();
        String fsType;
        final Set<Integer> daemons = new LinkedHashSet<>();
    }

    private final ScanReads reads;
    private final Path proc;
    private final Path sys;
    private final Map<Long, Connection> connections = new TreeMap<>();
    /** pid holding /dev/fuse -> the connection its fdinfo named, or -1 when the kernel does not say. */
    private final Map<Integer, Set<Long>> holders = new TreeMap<>();
    /** Mount id (mountinfo's first field, unique on the host across namespaces) -> its FUSE connection. */
    private final Map<Integer, Long> fuseMounts = new TreeMap<>();
    /** A process waiting in FUSE -> the connections its open files and cwd are on. */
    private final Map<Integer, Set<Long>> callers = new TreeMap<>();
    /** Whether fusectl listed any connection: FUSE mounts without one mean fusectl is not mounted. */
    private boolean listed;

    FuseScanner(ScanReads reads, Path proc, Path sys) {
        this.reads = reads;
        this.proc = proc;
        this.sys = sys;
    }

    /** Reads the connections' waiting counts and the scan's own mountinfo; before the processes are read. */
    void connections(long until) {
        if (sys != null) {
            Path conns = FuseConnectionDir.all(sys);
            Result list = reads.run1(Op.listDirs(conns), until);
            List<Long> ids = new ArrayList<>();
            for (String n : list.lines()) {
                if (ProcTreeReader.isNumber(n)) {
                    ids.add(Long.parseLong(n));
                }
            }
            ids.sort(null);
            List<Op> ops = new ArrayList<>();
            for (long id : ids) {
                ops.add(Op.read(FuseConnectionDir.waiting(FuseConnectionDir.of(sys, id))));
            }
            List<Result> rs = reads.run(ops, until);
            for (int i = 0; i < ids.size(); i++) {
                connection(ids.get(i)).waiting = FuseConnectionDir.parseWaiting(text(rs.get(i)));
            }
            listed = !ids.isEmpty();
        }
        mounts(reads.run1(Op.read(MountinfoEntry.path(proc, "self")), until));
    }

    /** Notes that {@code pid} holds a /dev/fuse fd serving {@code conn} (null: the kernel does not say which). */
    void holder(int pid, Long conn) {
        holders.computeIfAbsent(pid, k -> new LinkedHashSet<>()).add(conn == null ? -1L : conn);
    }

    /**
     * Notes what a process with a task waiting in FUSE works on: mount ids (fdinfo mnt_id of its files) and paths
     * as its namespace sees them (the path of a call, or its cwd), matched against its own mountinfo. Never stats
     * anything on the mount, which would wait on the same daemon.
     */
    void caller(int pid, String mountinfo, List<String> paths, List<Integer> mountIds) {
        Set<Long> conns = callers.computeIfAbsent(pid, k -> new LinkedHashSet<>());
        for (int id : mountIds) {
            conns.add((long) -id - 1); // resolved in finish(), when every mountinfo has been read
        }
        if (mountinfo == null) {
            return;
        }
        List<MountinfoEntry> fuseHere = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            MountinfoEntry m = MountinfoEntry.parse(line);
            if (m != null && m.isFuse()) {
                note(m);
                fuseHere.add(m);
            }
        }
        for (String path : paths) {
            MountinfoEntry best = null;
            for (MountinfoEntry m : fuseHere) {
                if (within(path, m.mountPoint()) && (best == null || m.mountPoint().length() > best.mountPoint().length())) {
                    best = m;
                }
            }
            if (best != null) {
                conns.add(best.fuseConnectionId());
            }
        }
    }

    /** True when a mountinfo read so far says this mount id is a FUSE mount. */
    boolean isFuseMount(int mountId) {
        return fuseMounts.containsKey(mountId);
    }

    private static boolean within(String path, String mountPoint) {
        return path.equals(mountPoint) || path.startsWith(mountPoint.endsWith("/") ? mountPoint : mountPoint + "/");
    }

    /** Reads the daemons' mountinfo, joins the daemons to their connections and adds every connection to ev. */
    void finish(long until, Evidence ev) {
        for (int pid : holders.keySet()) {
            mounts(reads.run1(Op.read(MountinfoEntry.path(proc, Integer.toString(pid))), until));
        }
        if (sys != null && !listed && !connections.isEmpty()) {
            ev.warn(ProcTreeReader.FUSECTL_MISSING);
        }
        for (Map.Entry<Integer, Set<Long>> h : holders.entrySet()) {
            for (long conn : h.getValue()) {
                if (conn >= 0) {
                    connection(conn).daemons.add(h.getKey());
                } else {
                    // the kernel does not say which connection this fd serves: a candidate for each
                    connections.values().forEach(b -> b.daemons.add(h.getKey()));
                }
            }
        }
        for (Map.Entry<Integer, Set<Long>> c : callers.entrySet()) {
            Set<Integer> used = new java.util.TreeSet<>();
            for (long v : c.getValue()) {
                Long conn = v >= 0 ? Long.valueOf(v) : fuseMounts.get((int) (-v - 1));
                if (conn != null) {
                    used.add((int) (long) conn);
                }
            }
            if (!used.isEmpty()) {
                for (dev.hangdoctor.model.Task t : ev.tasks()) {
                    if (t.pid() == c.getKey() || (t.tgid() != null && t.tgid().equals(c.getKey()))) {
                        t.fuseConnections(used);
                    }
                }
            }
        }
        for (Map.Entry<Long, Connection> c : connections.entrySet()) {
            Connection b = c.getValue();
            ev.addFuseConnection(new FuseConnection((int) (long) c.getKey(), b.waiting, new ArrayList<>(b.mountPoints),
                    b.fsType, new ArrayList<>(b.daemons)));
        }
    }

    private Connection connection(long id) {
        return connections.computeIfAbsent(id, k -> new Connection());
    }

    private void mounts(Result mountinfo) {
        String text = text(mountinfo);
        if (text == null) {
            return;
        }
        for (String line : text.split("\n")) {
            MountinfoEntry m = MountinfoEntry.parse(line);
            if (m != null && m.isFuse()) {
                note(m);
            }
        }
    }

    private void note(MountinfoEntry m) {
        Connection b = connection(m.fuseConnectionId());
        b.mountPoints.add(m.mountPoint());
        if (b.fsType == null) {
            b.fsType = m.fsType();
        }
        fuseMounts.put(m.mountId(), m.fuseConnectionId());
    }
}
