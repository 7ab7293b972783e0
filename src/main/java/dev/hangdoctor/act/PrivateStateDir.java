package dev.hangdoctor.act;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The state directory root writes into, checked before anything is written: no link, owned by root or by this
 * process's user, not writable by anybody else, and the same for every directory above it. Otherwise a local user who
 * can rename or replace an entry on the way could redirect root's writes to any file on the host. A shared directory
 * with the sticky bit ({@code /tmp}) is not written into directly: a private subdirectory is used instead. An
 * existing directory's mode is never changed (a chmod of {@code /tmp} would break the host); what is wrong is said.
 */
public final class PrivateStateDir {
    /** The subdirectory used when the state directory given is a shared sticky one such as /tmp. */
    public static final String PRIVATE_SUBDIR = "hangdoctor";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int STICKY = 01000;
    private static final int WRITABLE_BY_OTHERS = 0022;
    private static final int OPEN_TO_OTHERS = 0077;
    private static final int TRAVERSABLE_BY_OTHERS = 0011;

    private PrivateStateDir() {
    }

    /** Permissions for a directory the tool creates. */
    public static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }

    /**
     * The directory to write state into for {@code requested}: {@code requested} itself (created 0700 with any missing
     * parents when absent), or its private subdirectory when it is a shared sticky directory.
     *
     * @throws IOException saying in one line what is wrong, when it is not safe to write there
     */
    public static Path open(Path requested) throws IOException {
        Path dir = requested.toAbsolutePath().normalize();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path existing = dir.getParent();
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing != null) {
                checkAncestors(existing);
            }
            createMissing(dir);
        }
        attrs(dir, "state directory");
        if (dir.getParent() != null) {
            checkAncestors(dir.getParent());
        }
        int mode = mode(dir);
        if ((mode & WRITABLE_BY_OTHERS) != 0) {
            if ((mode & STICKY) == 0) {
                throw new IOException("state directory " + dir + " is writable by others (mode " + octal(mode)
                        + "): give a directory only root can write to");
            }
            // a shared directory like /tmp: others may create names in it but not rename or remove ours
            return privateSubdir(dir, PRIVATE_SUBDIR);
        }
        return dir;
    }

    /**
     * A directory below a checked one, created 0700 when absent; an existing one must be a real directory of ours that
     * nobody else can write to, and not open to others when its parent lets them through.
     */
    public static Path privateSubdir(Path parent, String name) throws IOException {
        Path d = parent.resolve(name);
        try {
            Files.createDirectory(d, ownerOnly());
            return d;
        } catch (FileAlreadyExistsException e) {
            // check what is there
        }
        attrs(d, "directory");
        int mode = mode(d);
        if ((mode & WRITABLE_BY_OTHERS) != 0) {
            throw new IOException(d + " is writable by others (mode " + octal(mode) + "): make it 700");
        }
        if ((mode & OPEN_TO_OTHERS) != 0 && (mode(parent) & TRAVERSABLE_BY_OTHERS) != 0) {
            throw new IOException(d + " is readable by others (mode " + octal(mode) + ") and holds process names and"
                    + " stacks: make it 700");
        }
        return d;
    }

    /** Whether the uid may own what root writes through: root or this process's own user. */
    static boolean trusted(int uid) {
        return uid == 0 || uid == myUid();
    }

    static int myUid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }

    /** Every directory from {@code dir} up to / is owned by root or us and writable by nobody else unless sticky. */
    static void checkAncestors(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                // a link on the way is as trustworthy as its owner and the directories its target lies in
                int linkOwner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                if (!trusted(linkOwner)) {
                    throw new IOException(p + " is a link owned by uid " + linkOwner + ", not root");
                }
                checkAncestors(p.toRealPath());
                continue;
            }
            int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = mode(p);
            if (!trusted(uid)) {
                throw new IOException(p + " (above the state directory) belongs to uid " + uid + ", not root");
            }
            if ((mode & WRITABLE_BY_OTHERS) != 0 && (mode & STICKY) == 0) {
                throw new IOException(p + " (above the state directory) is writable by others (mode " + octal(mode)
                        + ")");
            }
        }
    }

    /** Refuses anything but a real directory owned by root or us. */
    private static void attrs(Path d, String what) throws IOException {
        if (Files.isSymbolicLink(d)) {
            throw new IOException(what + " " + d + " is a symlink");
        }
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(what + " " + d + " is not a directory");
        }
        int uid = (Integer) Files.getAttribute(d, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!trusted(uid)) {
            throw new IOException(what + " " + d + " belongs to uid " + uid + ", not root: give a directory owned by"
                    + " root");
        }
    }

    private static void createMissing(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
            createMissing(parent);
        }
        try {
            Files.createDirectory(dir, ownerOnly());
        } catch (FileAlreadyExistsException e) {
            // made meanwhile by someone else: checked like any existing directory
        }
    }

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static String octal(int mode) {
        return Integer.toOctalString(mode);
    }
}
