package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Saves what a scan read as a bundle ProcTreeReader reads back: proc/... and sys/... files under one directory, a
 * symlink as a NAME{@value TimedReader#LINK_SUFFIX} text file. The disk is written on its own thread: a slow disk
 * must not eat the time the reads have. A held bundle (the agent's) keeps each process's files (proc/PID/...) in
 * {@link ProcessPack} files instead of a directory per thread and a file per read: creating files is what a bundle
 * costs (0.1-1 ms each on a busy ext4), and a 10 000-thread host's bundle was about 2 900 of them.
 */
final class BundleWriter {
    private final Path saveDir;
    /** Null: every file goes to disk as it is read; else files are held there until it is full. */
    private final HeldBundle held;
    private final Path proc;
    private final Path sys;
    private ExecutorService writer;
    private volatile String saveError;
    /** Set when the scan stops saving: a read that ends later must not write into a bundle its owner may delete. */
    private volatile boolean closed;
    /** Set when the scan gave up waiting: queued writes are dropped rather than landing after the owner moved on. */
    private volatile boolean aborted;
    /** Directories made for the bundle (writer thread only). */
    private final Set<Path> madeDirs = new HashSet<>();
    /** Whether a process's files go into {@link ProcessPack} files. */
    private final boolean pack;
    /** The process whose files are being packed, its pack so far, and the packs written per process. */
    private int packPid = -1;
    private ProcessPack.Writer packing;
    private final java.util.Map<Integer, Integer> packsWritten = new java.util.HashMap<>();
    /** Set once a held bundle is full: the rest goes to disk as it is read. */
    private boolean spilled;

    BundleWriter(Path saveDir, Path proc, Path sys) {
        this(saveDir, null, proc, sys);
    }

    /** Holds the files in {@code held} (when not null) instead of writing them, until it is full. */
    BundleWriter(Path saveDir, HeldBundle held, Path proc, Path sys) {
        this.saveDir = saveDir;
        this.held = held;
        this.proc = proc;
        this.sys = sys;
        this.pack = held != null;
    }

    /** Saves one file read under the proc or sys root; other paths are not part of a bundle. */
    void save(Path p, String text) {
        save(p, "", text);
    }

    /** Saves a symlink's target. */
    void saveLink(Path p, String target) {
        save(p, TimedReader.LINK_SUFFIX, target + "\n");
    }

    private synchronized void save(Path p, String suffix, String text) {
        if (saveError != null || closed) {
            return;
        }
        if (held != null && !spilled) {
            // held as read: where it goes is worked out only if the bundle is ever written (most never are)
            if (held.holdRead(p, suffix, text, this)) {
                return;
            }
            // the held bundle is full: it goes to disk after all, what it held first
            spilled = true;
            for (HeldBundle.Entry e : held.drain()) {
                toDisk(e.out(), e.text());
            }
        }
        place(p, suffix, text, this::toDisk);
    }

    /**
     * Where one file read goes in the bundle: into its process's pack (a held bundle), or a file of its own under
     * proc/ or sys/; other paths are not part of a bundle. {@code emit} gets each file as it is complete.
     */
    private void place(Path p, String suffix, String text, BiConsumer<Path, String> emit) {
        String rel;
        if (p.startsWith(proc)) {
            Path r = proc.relativize(p);
            if (pack && packed(r, suffix, text, emit)) {
                return;
            }
            rel = "proc/" + r;
        } else if (sys != null && p.startsWith(sys)) {
            rel = "sys/" + sys.relativize(p);
        } else {
            return;
        }
        Path out = saveDir.resolve(rel + suffix).normalize();
        if (!out.startsWith(saveDir.normalize())) {
            return;
        }
        emit.accept(out, text);
    }

    /** The files of a held bundle's reads as they go to disk (packed), for {@link HeldBundle} when it writes them. */
    synchronized List<HeldBundle.Entry> layout(List<HeldBundle.Read> reads) {
        List<HeldBundle.Entry> out = new ArrayList<>(reads.size() / 8 + 16);
        BiConsumer<Path, String> emit = (o, t) -> out.add(new HeldBundle.Entry(o, t));
        for (HeldBundle.Read r : reads) {
            place(r.path(), r.suffix(), r.text(), emit);
        }
        flushPack(emit);
        return out;
    }

    /** Queues one file for the writer thread. */
    private void toDisk(Path out, String text) {
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "hangdoctor-save");
                t.setDaemon(true);
                return t;
            });
        }
        writer.execute(() -> write(out, text));
    }

    /**
     * Packs a process's file (PID/... under proc) into its pack; false for any other file. The scan reads one
     * process at a time, so the pack of the process before is complete when another's file comes; a file of it read
     * later (oom_score_adj, after the cgroups) starts another pack.
     */
    private boolean packed(Path r, String suffix, String text, BiConsumer<Path, String> emit) {
        if (r.getNameCount() < 2 || text.length() > ProcessPack.MAX_RECORD) {
            return false;
        }
        String pidName = r.getName(0).toString();
        String key = r.subpath(1, r.getNameCount()).toString().replace('\\', '/') + suffix;
        if (!ProcTreeReader.isNumber(pidName) || !ProcessPack.isKey(key)) {
            return false;
        }
        int pid = Integer.parseInt(pidName);
        if (pid != packPid) {
            flushPack(emit);
            packPid = pid;
        }
        if (packing == null) {
            packing = new ProcessPack.Writer();
        }
        packing.add(key, text);
        if (packing.full()) {
            flushPack(emit);
        }
        return true;
    }

    /** Saves the pack in progress as the next pack file of its process. */
    private void flushPack(BiConsumer<Path, String> emit) {
        if (packing == null || packing.isEmpty()) {
            packing = null;
            return;
        }
        int n = packsWritten.merge(packPid, 1, Integer::sum);
        String text = packing.text();
        packing = null;
        place(ProcessPack.path(proc, packPid, n), "", text, emit);
    }

    /** On the writer thread. */
    private void write(Path out, String text) {
        if (saveError != null || aborted) {
            return;
        }
        try {
            Path dir = out.getParent();
            if (madeDirs.add(dir)) {
                Files.createDirectories(dir);
            }
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException ex) {
            saveError = "could not save the bundle under " + saveDir + ": " + ex.getMessage();
        }
    }

    /** Waits for the bundle's writes at most {@code waitNanos}; what went wrong becomes a warning of {@code ev}. */
    void finish(long waitNanos, Evidence ev) {
        synchronized (this) {
            if (spilled || held == null) {
                flushPack(this::toDisk);
            }
            closed = true;
        }
        if (writer == null) {
            return;
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(waitNanos, TimeUnit.NANOSECONDS)) {
                aborted = true;
                writer.shutdownNow();
                ev.warn("the bundle under " + saveDir + " is incomplete: its disk did not keep up");
            }
        } catch (InterruptedException ex) {
            aborted = true;
            writer.shutdownNow();
            Thread.currentThread().interrupt();
            ev.warn("the bundle under " + saveDir + " may be incomplete: interrupted while saving");
        }
        if (saveError != null) {
            ev.warn(saveError);
        }
    }
}
