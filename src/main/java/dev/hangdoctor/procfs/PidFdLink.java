package dev.hangdoctor.procfs;

import java.nio.file.Path;

/**
 * /proc/PID/fd/FD: a symbolic link whose target names what the descriptor is open on, a path ("/dev/fuse") or, for a
 * file with no path, "type:[inode]" ("anon_inode:[userfaultfd]", "pipe:[4711]", "socket:[4712]").
 */
public final class PidFdLink {
    /** The target of a userfaultfd descriptor (fs/userfaultfd.c creates it as an anonymous inode of that name). */
    public static final String USERFAULTFD = "anon_inode:[userfaultfd]";
    /** The target of a FUSE daemon's descriptor to the kernel. */
    public static final String FUSE_DEVICE = "/dev/fuse";

    private PidFdLink() {
    }

    /** The fd directory of a process under a proc root (listing it gives the descriptors' numbers). */
    public static Path dir(Path procRoot, int pid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("fd");
    }

    /** The link of descriptor {@code fd} of a process under a proc root. */
    public static Path path(Path procRoot, int pid, int fd) {
        return dir(procRoot, pid).resolve(Integer.toString(fd));
    }

    /** True when a link's target is a userfaultfd. */
    public static boolean userfaultfd(String target) {
        return USERFAULTFD.equals(target);
    }

    /** True when a link's target is the FUSE device, which only a FUSE daemon (or its helper) holds open. */
    public static boolean fuseDevice(String target) {
        return FUSE_DEVICE.equals(target);
    }
}
