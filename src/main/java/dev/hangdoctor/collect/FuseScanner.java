package dev.hangdoctor.collect;

import dev.hangdoctor.procfs.FuseConnectionDir;
import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.parse.CgroupFiles;
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
        mounts(reads.run1(Op.read(proc.resolve("self").resolve("mountinfo")), until));
    }

    /** Notes that {@code pid} holds a /dev/fuse fd serving {@code conn} (null: the kernel does not say which). */
    void holder(int pid, Long conn) {
        holders.computeIfAbsent(pid, k -> new LinkedHashSet<>()).add(conn == null ? -1L : conn);
    }

    /** Reads the daemons' mountinfo, joins the daemons to their connections and adds every connection to ev. */
    void finish(long until, Evidence ev) {
        for (int pid : holders.keySet()) {
            mounts(reads.run1(Op.read(proc.resolve(Integer.toString(pid)).resolve("mountinfo")), until));
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
                Connection b = connection(m.fuseConnectionId());
                b.mountPoints.add(m.mountPoint());
                if (b.fsType == null) {
                    b.fsType = m.fsType();
                }
            }
        }
    }
}
