package dev.hangdoctor.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A scan's bundle kept in memory until its owner knows whether it is worth a directory: the agent scans a hung host
 * every few seconds but keeps a bundle only when an incident opens, and creating files costs far more system time
 * than reading them (0.1-1 ms a file on a busy ext4 against about 10 us a /proc read), which is also why a held
 * bundle keeps each process's files in {@link ProcessPack} files (a few hundred files on a 10 000-thread host, not
 * about 2 900). Past {@code maxBytes} nothing more is held: the {@link BundleWriter} then writes what was held and
 * the rest to disk as it is read (still packed).
 */
public final class HeldBundle {
    /** What a bundle of a 10 000-thread host holds is about 2 MB; this bounds the agent's heap on a bigger one. */
    public static final long DEFAULT_MAX_BYTES = 8L << 20;

    private final Path dir;
    private final long maxBytes;
    private final List<Entry> held = new ArrayList<>();
    /** Files held as read, laid out by {@link #layout} only when written. */
    private final List<Read> reads = new ArrayList<>();
    private BundleWriter layout;
    private long bytes;
    private boolean full;

    /** Holds files that belong under {@code dir}, up to about {@code maxBytes} of text. */
    public HeldBundle(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** Where the bundle goes when kept. */
    public Path dir() {
        return dir;
    }

    /**
     * Holds one file as the scan read it ({@code path} under /proc or /sys, a link's {@code suffix}); where it goes
     * in the bundle is left to {@code layout} when the bundle is written. False once the cap is reached.
     */
    synchronized boolean holdRead(Path path, String suffix, String text, BundleWriter layout) {
        if (full) {
            return false;
        }
        long size = 128L + text.length(); // its path, worked out later, is about that long
        if (bytes + size > maxBytes) {
            full = true;
            return false;
        }
        bytes += size;
        reads.add(new Read(path, suffix, text));
        this.layout = layout;
        return true;
    }

    /** What is held, laid out as files. */
    private List<Entry> laidOut() {
        List<Entry> out = new ArrayList<>(held);
        if (layout != null && !reads.isEmpty()) {
            out.addAll(layout.layout(reads));
        }
        return out;
    }

    /** Holds one file; false once the cap is reached (the caller writes it, and all later ones, itself). */
    synchronized boolean hold(Path out, String text) {
        if (full) {
            return false;
        }
        long size = 64L + out.toString().length() + text.length();
        if (bytes + size > maxBytes) {
            full = true;
            return false;
        }
        bytes += size;
        held.add(new Entry(out, text));
        return true;
    }

    /**
     * Adds one more file of the bundle, {@code relative} to its directory: held while there is room, else written at
     * once (as everything is once the cap is reached).
     */
    public void add(String relative, String text) throws IOException {
        Path out = dir.resolve(relative).normalize();
        if (!out.startsWith(dir.normalize())) {
            throw new IOException(relative + ": not inside the bundle");
        }
        if (!hold(out, text)) {
            Files.createDirectories(out.getParent());
            Files.writeString(out, text, StandardCharsets.UTF_8);
        }
    }

    /** Hands over what is held (the writer takes it to disk once the cap is reached) and holds nothing more. */
    synchronized List<Entry> drain() {
        List<Entry> out = laidOut();
        drop();
        return out;
    }

    /** One file: where it goes and its text. */
    record Entry(Path out, String text) {
    }

    /** One file as a scan read it: where it was read and its text. */
    record Read(Path path, String suffix, String text) {
    }

    /** Text held, roughly, in bytes. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Writes what is held under {@link #dir} (a directory that exists); the memory is freed either way. */
    public synchronized void write() throws IOException {
        Set<Path> made = new HashSet<>();
        try {
            for (Entry e : laidOut()) {
                if (made.add(e.out().getParent())) {
                    Files.createDirectories(e.out().getParent());
                }
                Files.writeString(e.out(), e.text(), StandardCharsets.UTF_8);
            }
        } finally {
            drop();
        }
    }

    /** Forgets what is held. */
    public synchronized void drop() {
        held.clear();
        reads.clear();
        layout = null;
        bytes = 0;
    }
}
