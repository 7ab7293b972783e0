package dev.hangdoctor.model;

import java.util.List;

/**
 * A FUSE connection: /sys/fs/fuse/connections/N, the mount(s) whose device is 0:N, and the processes holding
 * /dev/fuse that could be its daemon. {@code waitingAfter} is the waiting count read again at the end of a live
 * scan's window (null when not read again).
 */
public record FuseConnection(int id, Long waiting, List<String> mountPoints, String fsType, List<Integer> daemonPids,
                             Long waitingAfter) {
    public FuseConnection {
        mountPoints = mountPoints == null ? List.of() : List.copyOf(mountPoints);
        daemonPids = daemonPids == null ? List.of() : List.copyOf(daemonPids);
    }

    /** A connection read once. */
    public FuseConnection(int id, Long waiting, List<String> mountPoints, String fsType, List<Integer> daemonPids) {
        this(id, waiting, mountPoints, fsType, daemonPids, null);
    }

    /** Requests were waiting at both ends of the window and fewer never were: nothing drained across it. */
    public boolean notDraining() {
        return waiting != null && waiting > 0 && waitingAfter != null && waitingAfter >= waiting;
    }

    public FuseConnection withWaitingAfter(Long v) {
        return new FuseConnection(id, waiting, mountPoints, fsType, daemonPids, v);
    }
}
