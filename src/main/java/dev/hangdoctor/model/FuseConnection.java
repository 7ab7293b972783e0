package dev.hangdoctor.model;

import java.util.List;

/**
 * A FUSE connection: /sys/fs/fuse/connections/N, the mount(s) whose device is 0:N, and the processes holding
 * /dev/fuse that could be its daemon.
 */
public record FuseConnection(int id, Long waiting, List<String> mountPoints, String fsType, List<Integer> daemonPids) {
    public FuseConnection {
        mountPoints = mountPoints == null ? List.of() : List.copyOf(mountPoints);
        daemonPids = daemonPids == null ? List.of() : List.copyOf(daemonPids);
    }
}
