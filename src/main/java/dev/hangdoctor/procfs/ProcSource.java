package dev.hangdoctor.procfs;

import java.nio.file.Path;

/**
 * Where the files of this package are read from, below an injected root: the live host ("/"), where a read of
 * /proc or /sys can sleep in the kernel for as long as a hung task holds what it waits on (so reads are timed), or a
 * bundle saved by `scan --save`, where reads are plain but only of regular files (a bundle from elsewhere may hold a
 * FIFO that would block). Callers take a file's path from its class under {@link #proc()} or {@link #sys()}, read it
 * here and hand the text to the class's parse.
 */
public interface ProcSource {
    /** Bytes read of one file at most: every file this package knows is far smaller. */
    int MAX_BYTES = 256 * 1024;

    /** The root: "/" live, the bundle's directory otherwise. */
    Path root();

    /** True for the live host. */
    boolean live();

    /** Reads one file (decoded lossily: a name in it need not be UTF-8). Never throws, never blocks past its bound. */
    Read read(Path file);

    /** The proc file system under the root. */
    default Path proc() {
        return root().resolve("proc");
    }

    /** The sys file system under the root. */
    default Path sys() {
        return root().resolve("sys");
    }

    /** How one read ended: the text, or whether the file is missing (a process that exited) or why it failed. */
    record Read(String text, boolean missing, String failure) {
        public static Read of(String text) {
            return new Read(text, false, null);
        }

        public static Read absent(String detail) {
            return new Read(null, true, detail);
        }

        public static Read failed(String why) {
            return new Read(null, false, why);
        }

        public boolean ok() {
            return text != null;
        }
    }
}
