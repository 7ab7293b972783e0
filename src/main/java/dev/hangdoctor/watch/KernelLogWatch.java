package dev.hangdoctor.watch;

import dev.hangdoctor.collect.KmsgReader;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Follows /dev/kmsg for the agent: keeps the records of the last {@code hold} (bounded in lines and bytes) to fold
 * into each full scan, and tells which new records report a hang (hung task, lockup, RCU stall, OOM kill), read by
 * the same parsers as `analyze`. Records written longer than {@code hold} before the agent started are skipped: an
 * old report in the ring buffer is history, not a hang now.
 */
public final class KernelLogWatch implements AutoCloseable {
    /** Kinds of kernel message that make the agent scan at once. */
    public static final Set<KernelEventKind> HANG_KINDS = EnumSet.of(KernelEventKind.HUNG_TASK,
            KernelEventKind.HUNG_TASK_LOCK_OWNER, KernelEventKind.SOFT_LOCKUP, KernelEventKind.HARD_LOCKUP,
            KernelEventKind.RCU_STALL, KernelEventKind.OOM_KILLED, KernelEventKind.OOM_KILL_CHOSEN);
    private static final int MAX_LINES = 5000;
    private static final long MAX_BYTES = 4L << 20;

    private record Line(long arrived, String text) {
    }

    private final Path device;
    private final long holdNanos;
    private final Deque<Line> recent = new ArrayDeque<>();
    private final List<String> fresh = new ArrayList<>();
    private long bytes;
    private long minUsec;
    private boolean keepingRecord;
    private KmsgReader.Follower follower;
    private volatile long lines;

    public KernelLogWatch(Path device, Duration hold) {
        this.device = device;
        this.holdNanos = hold.toNanos();
    }

    /** Starts following; records older than the hold before now (by /proc/uptime) are skipped. */
    public KernelLogWatch start(Path proc) {
        minUsec = uptimeUsec(proc) - holdNanos / 1000;
        follower = new KmsgReader(device, KmsgReader.Options.defaults()).follow(this::accept);
        return this;
    }

    /** Why following stopped on its own, or null. */
    public String failure() {
        return follower == null ? null : follower.failure();
    }

    /** Records taken in so far (after the age filter). */
    public long lines() {
        return lines;
    }

    synchronized void accept(String line) {
        if (!line.isEmpty() && line.charAt(0) == ' ') {
            if (!keepingRecord) {
                return; // continuation of a skipped record
            }
        } else {
            long usec = usec(line);
            keepingRecord = usec < 0 || usec >= minUsec;
            if (!keepingRecord) {
                return;
            }
        }
        lines++;
        recent.addLast(new Line(System.nanoTime(), line));
        bytes += line.length() + 1;
        if (fresh.size() < MAX_LINES) {
            fresh.add(line);
        }
        while (recent.size() > MAX_LINES || bytes > MAX_BYTES) {
            bytes -= recent.removeFirst().text().length() + 1;
        }
    }

    /** The hang events among the records that came since the last call, parsed; empty when none. */
    public List<KernelEvent> takeHangEvents() {
        List<String> batch;
        synchronized (this) {
            if (fresh.isEmpty()) {
                return List.of();
            }
            batch = new ArrayList<>(fresh);
            fresh.clear();
        }
        Evidence e = new KmsgReader.Result(batch, 0, KmsgReader.Stop.CAUGHT_UP, null).toEvidence();
        List<KernelEvent> out = new ArrayList<>();
        for (KernelEvent ev : e.allEvents()) {
            if (HANG_KINDS.contains(ev.kind())) {
                out.add(ev);
            }
        }
        return out;
    }

    /** The records of the last hold, as a kmsg read result (what a full scan folds in and saves in its bundle). */
    public synchronized KmsgReader.Result recent() {
        long cut = System.nanoTime() - holdNanos;
        while (!recent.isEmpty() && recent.peekFirst().arrived() < cut) {
            bytes -= recent.removeFirst().text().length() + 1;
        }
        List<String> out = new ArrayList<>(recent.size());
        recent.forEach(l -> out.add(l.text()));
        return new KmsgReader.Result(out, bytes, KmsgReader.Stop.CAUGHT_UP, null);
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
    }

    /** The timestamp field of a /dev/kmsg record ("prio,seq,usec,flags;msg"), or -1. */
    static long usec(String record) {
        int c1 = record.indexOf(',');
        int c2 = c1 < 0 ? -1 : record.indexOf(',', c1 + 1);
        int semi = record.indexOf(';');
        if (c2 < 0 || (semi >= 0 && semi < c2)) {
            return -1;
        }
        int end = c2 + 1;
        long v = 0;
        while (end < record.length() && Character.isDigit(record.charAt(end))) {
            v = v * 10 + (record.charAt(end) - '0');
            end++;
            if (v > Long.MAX_VALUE / 20) {
                return -1;
            }
        }
        return end == c2 + 1 ? -1 : v;
    }

    private static long uptimeUsec(Path proc) {
        try {
            String s = Files.readString(proc.resolve("uptime")).strip();
            int sp = s.indexOf(' ');
            return (long) (Double.parseDouble(sp < 0 ? s : s.substring(0, sp)) * 1_000_000);
        } catch (Exception e) {
            return 0; // unknown: keep everything
        }
    }
}
