package dev.hangdoctor.procfs;

import java.nio.file.Path;

/**
 * /sys/fs/fuse/connections/N (fusectl): one directory per FUSE connection, N being the mount's device number.
 * {@code waiting} holds the requests sent to the daemon and not yet answered; writing to {@code abort} ends the
 * connection (every waiter gets ENOTCONN).
 */
public final class FuseConnectionDir {
    private FuseConnectionDir() {
    }

    /** The directory of every connection, under a sysfs root ("/sys" live, a bundle's sys/ otherwise). */
    public static Path all(Path sysRoot) {
        return sysRoot.resolve("fs").resolve("fuse").resolve("connections");
    }

    /** The directory of connection {@code id}. */
    public static Path of(Path sysRoot, long id) {
        return all(sysRoot).resolve(Long.toString(id));
    }

    /** Its {@code waiting} file. */
    public static Path waiting(Path connectionDir) {
        return connectionDir.resolve("waiting");
    }

    /** Its {@code abort} file. */
    public static Path abort(Path connectionDir) {
        return connectionDir.resolve("abort");
    }

    /** The number of unanswered requests in a {@code waiting} file's text, or null when it holds no number. */
    public static Long parseWaiting(String text) {
        return text == null ? null : ProcNumbers.parseLong(text.trim());
    }
}
