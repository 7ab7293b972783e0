package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * The second sample of a live scan: the tasks that looked stuck in the first sample, read again after the window,
 * and what the pair says about each (it ran meanwhile, or it did not run at all). A bundle keeps it as the text file
 * {@link #FILE}, so reading the bundle gives the verdict the live scan gave:
 * <pre>
 * window_ms 2003
 * # TGID TID STATE VOLUNTARY NONVOLUNTARY; STATE is the stat letter, "gone" or "timeout"; "-" is unknown
 * 4892 4892 D 1 0
 * </pre>
 */
public final class ScanWindow {
    /** Where a bundle keeps the second sample, relative to the bundle's root. */
    public static final String FILE = "hangdoctor/window.txt";
    /** Tasks read again at most: a host with more stuck tasks than this has its answer already. */
    public static final int MAX_TASKS = 20_000;

    /**
     * Stack frames of waits that hang tasks even in S (a userfault nobody serves, a FUSE request nobody answers):
     * such a task is sampled twice like a D task. Names from the kernel sources hangdoctor diagnoses.
     */
    private static final Set<String> KNOWN_WAITS = Set.of("handle_userfault", "request_wait_answer", "fuse_get_req",
            "fuse_wait_on_page_writeback", "mem_cgroup_oom_synchronize", "zap_pid_ns_processes",
            "jbd2_log_wait_commit", "wait_transaction_locked", "rpc_wait_bit_killable", "nfs_wait_bit_killable");

    /** How the second sample went for one task. */
    public enum Seen {
        /** stat and status were read. */
        READ,
        /** The task exited during the window. */
        GONE,
        /** Its files did not answer in time, again. */
        TIMEOUT
    }

    /** The second sample of one task; {@code state} and the counters are null when not read. */
    public record Entry(int tgid, int tid, Seen seen, Character state, Long voluntary, Long nonvoluntary) {
        /** Both counters added up, as {@link Task#contextSwitches()} holds them; null when neither was read. */
        public Long switches() {
            if (voluntary == null && nonvoluntary == null) {
                return null;
            }
            return (voluntary == null ? 0 : voluntary) + (nonvoluntary == null ? 0 : nonvoluntary);
        }
    }

    private final long windowMillis;
    private final List<Entry> entries;

    public ScanWindow(long windowMillis, List<Entry> entries) {
        this(windowMillis, entries, Map.of());
    }

    /** {@code fuseWaiting}: each FUSE connection with waiting requests, its count read again after the window. */
    public ScanWindow(long windowMillis, List<Entry> entries, Map<Integer, Long> fuseWaiting) {
        this.windowMillis = windowMillis;
        this.entries = List.copyOf(entries);
        this.fuseWaiting = new java.util.TreeMap<>(fuseWaiting);
    }

    public Map<Integer, Long> fuseWaiting() { return fuseWaiting; }

    private final Map<Integer, Long> fuseWaiting;

    public long windowMillis() { return windowMillis; }
    public List<Entry> entries() { return entries; }

    /** True when the first sample gives reason to look at this task again. */
    public static boolean looksStuck(Task t) {
        if (t.unreadable() || t.state().isBlocked()) {
            return true;
        }
        if (t.state() == TaskState.ZOMBIE || t.state() == TaskState.DEAD) {
            return false;
        }
        for (Frame f : t.frames()) {
            if (!f.unreliable() && isKnownWait(f.function())) {
                return true;
            }
        }
        return t.frames().isEmpty() && t.wchan() != null && isKnownWait(t.wchan());
    }

    private static boolean waitsForFuseAnswer(Task t) {
        for (Frame f : t.frames()) {
            if (!f.unreliable() && f.function().equals("request_wait_answer")) {
                return true;
            }
        }
        return "request_wait_answer".equals(t.wchan());
    }

    private static boolean isKnownWait(String function) {
        int dot = function.indexOf('.');
        return KNOWN_WAITS.contains(dot > 0 ? function.substring(0, dot) : function);
    }

    /** The tasks of the first sample to read again, in pid order, at most {@link #MAX_TASKS}. */
    public static List<Task> candidates(Evidence ev) {
        List<Task> out = new ArrayList<>();
        for (Task t : ev.tasks()) {
            if (t.pid() > 0 && looksStuck(t)) {
                out.add(t);
            }
        }
        out.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
        if (out.size() > MAX_TASKS) {
            ev.warn("read again only the first " + MAX_TASKS + " of " + out.size() + " tasks that looked stuck");
            return new ArrayList<>(out.subList(0, MAX_TASKS));
        }
        return out;
    }

    /**
     * Folds the second sample into the first: tasks that exited are dropped, tasks that ran take their new state
     * and a note, tasks that did not run at all get a note and {@link Task#stuckSeconds()}.
     */
    public void applyTo(Evidence ev) {
        ev.fuseWaitingAfter(fuseWaiting);
        double secs = windowMillis / 1000.0;
        String span = String.format(Locale.ROOT, "%.1fs", secs);
        for (Entry e : entries) {
            Task t = ev.taskOrNull(e.tid());
            if (t == null) {
                continue;
            }
            switch (e.seen()) {
                case GONE -> ev.removeTask(e.tid());
                case TIMEOUT -> t.unreadable(true).note("still unreadable after the " + span + " window");
                case READ -> compare(t, e, secs, span);
                default -> { }
            }
        }
    }

    private static void compare(Task t, Entry e, double secs, String span) {
        TaskState before = t.state();
        TaskState after = e.state() == null ? TaskState.UNKNOWN : TaskState.parse(String.valueOf(e.state()));
        Long s1 = t.contextSwitches();
        Long s2 = e.switches();
        boolean wasUnreadable = t.unreadable();
        if (after != TaskState.UNKNOWN) {
            t.state(after);
            // it answered this time, so the first sample's timeout was passing trouble, not this task's
            t.unreadable(false);
        }
        if (s1 != null && s2 != null) {
            long moved = s2 - s1;
            if (moved != 0) {
                t.note("ran during the " + span + " window (" + moved + " context switches)"
                        + (after == before ? "" : ", now " + after.letter()));
                if (!after.isBlocked() && waitsForFuseAnswer(t)) {
                    // a caller stuck behind a FUSE daemon sleeps without a switch (a signal moves it to D, no
                    // further); one that ran and is not in D got its answer: a busy mount's reader caught mid-request,
                    // whose first-sample stack says nothing about where it is now
                    t.frames(List.of()).wchan(null).note("its FUSE request was answered during the window");
                }
            } else if (after == before || wasUnreadable) {
                t.stuckSeconds(secs);
                t.note((after.isBlocked() ? "stuck in D" : "in " + after.letter()) + " for the whole " + span
                        + " window (no context switch)");
            } else {
                t.note("changed from " + before.letter() + " to " + after.letter() + " during the " + span + " window");
            }
        } else if (after.isBlocked() && before.isBlocked()) {
            t.note("in D in both samples " + span + " apart (no context switch counts to tell whether it ran)");
        } else if (after != before && after != TaskState.UNKNOWN) {
            t.note("changed from " + before.letter() + " to " + after.letter() + " during the " + span + " window");
        }
    }

    /** The text of {@link #FILE}. */
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append("window_ms ").append(windowMillis).append('\n');
        b.append("# TGID TID STATE VOLUNTARY NONVOLUNTARY; STATE is the stat letter, \"gone\" or \"timeout\"; "
                + "\"-\" is unknown\n");
        for (Entry e : entries) {
            b.append(e.tgid()).append(' ').append(e.tid()).append(' ');
            switch (e.seen()) {
                case GONE -> b.append("gone");
                case TIMEOUT -> b.append("timeout");
                default -> b.append(e.state() == null ? "-" : e.state().toString());
            }
            b.append(' ').append(e.voluntary() == null ? "-" : e.voluntary())
                    .append(' ').append(e.nonvoluntary() == null ? "-" : e.nonvoluntary()).append('\n');
        }
        fuseWaiting.forEach((id, n) -> b.append("fuse ").append(id).append(' ').append(n).append('\n'));
        return b.toString();
    }

    /** Reads {@link #FILE} back; lines it does not understand are skipped, so it never fails. */
    public static ScanWindow parse(String text) {
        long window = 0;
        List<Entry> entries = new ArrayList<>();
        Map<Integer, Long> fuse = new java.util.TreeMap<>();
        if (text == null) {
            return new ScanWindow(0, entries);
        }
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.charAt(0) == '#') {
                continue;
            }
            String[] f = s.split("\\s+");
            if (f.length == 2 && f[0].equals("window_ms")) {
                Long w = number(f[1]);
                window = w == null || w < 0 ? 0 : w;
                continue;
            }
            if (f.length == 3 && f[0].equals("fuse")) {
                Long id = number(f[1]);
                Long n = number(f[2]);
                if (id != null && n != null && id <= Integer.MAX_VALUE) {
                    fuse.put((int) (long) id, n);
                }
                continue;
            }
            if (f.length != 5) {
                continue;
            }
            Long tgid = number(f[0]);
            Long tid = number(f[1]);
            if (tgid == null || tid == null || tgid > Integer.MAX_VALUE || tid > Integer.MAX_VALUE || tid <= 0) {
                continue;
            }
            Seen seen;
            Character state = null;
            switch (f[2]) {
                case "gone" -> seen = Seen.GONE;
                case "timeout" -> seen = Seen.TIMEOUT;
                default -> {
                    seen = Seen.READ;
                    state = f[2].length() == 1 && !f[2].equals("-") ? f[2].charAt(0) : null;
                }
            }
            entries.add(new Entry((int) (long) tgid, (int) (long) tid, seen, state, number(f[3]), number(f[4])));
        }
        return new ScanWindow(window, entries, fuse);
    }

    private static Long number(String s) {
        if (s.isEmpty() || s.length() > 19) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }
}
