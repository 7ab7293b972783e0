package dev.hangdoctor.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the evidence says about one host, merged from every file (or from a live scan): tasks by pid,
 * kernel events, host facts, cgroups, FUSE connections, userfaultfds, Go goroutines. Memory stays bounded on
 * huge inputs: tasks are keyed by pid (a task reported a hundred times is one task) and events are capped per
 * kind, with counts of what was dropped.
 */
public final class Evidence {
    /** Events kept per kind; the rest are counted only. Hung-task reports of one pid fold into its task anyway. */
    public static final int EVENTS_PER_KIND = 200;
    /** Tasks kept at most; a 10 000-thread sysrq-t dump fits, a runaway input does not grow without end. */
    public static final int MAX_TASKS = 150_000;
    /** Most lines of the report's own words kept, and the most characters kept of each. */
    public static final int REPORT_TEXT_LINES = 400;
    public static final int REPORT_TEXT_WIDTH = 300;
    /** Distinct stacks kept for sharing; identical stacks of many tasks are one list in memory. */
    private static final int MAX_INTERNED_STACKS = 20_000;

    private final Map<Integer, Task> tasks = new LinkedHashMap<>();
    private final Map<List<Frame>, List<Frame>> stacks = new java.util.HashMap<>();
    private long tasksDropped;
    private final Map<KernelEventKind, List<KernelEvent>> events = new EnumMap<>(KernelEventKind.class);
    private final Map<KernelEventKind, Long> eventCounts = new EnumMap<>(KernelEventKind.class);
    private final HostFacts host = new HostFacts();
    private final List<Goroutine> goroutines = new ArrayList<>();
    private final List<MemCgroup> memCgroups = new ArrayList<>();
    private final List<FuseConnection> fuseConnections = new ArrayList<>();
    private final List<UffdHandle> uffds = new ArrayList<>();
    /** Lockdep's held-lock lists by pid (a task need not be in {@link #tasks} to be listed). */
    private final Map<Integer, List<HeldLock>> heldLocks = new java.util.HashMap<>();
    private int heldLockCount;
    private final Set<String> formats = new LinkedHashSet<>();
    private final Warnings warnings = new Warnings();
    private final List<String> history = new ArrayList<>();
    /** The report's own words: lines no parser took (prose around a paste, a daemon's debug output), bounded. */
    private final List<ReportLine> reportLines = new ArrayList<>();
    private long goroutinesDropped;
    private int nextAnonymousPid = -1;
    private boolean live;
    /** Handed in as the report of a hang (analyze of files), not sampled from a host: a snapshot still counts. */
    private boolean savedReport;
    /** How many times the hung-task detector's "... disables this message." notice was printed. */
    private long hungTaskNotices;

    /** The task for this pid, created empty if new. */
    public Task task(int pid) {
        Task t = tasks.get(pid);
        if (t == null) {
            t = new Task(pid);
            if (tasks.size() < MAX_TASKS) {
                tasks.put(pid, t);
            }
        }
        return t;
    }

    /** Adds a task description, merging it into what is already known of that pid. */
    public Task addTask(Task t) {
        t.frames(intern(t.frames()));
        Task known = tasks.get(t.pid());
        if (known == null) {
            if (tasks.size() < MAX_TASKS) {
                tasks.put(t.pid(), t);
            } else if (tasksDropped++ == 0) {
                warn("more than " + MAX_TASKS + " tasks: the rest were counted, not kept");
            }
            return t;
        }
        known.mergeFrom(t);
        return known;
    }

    /** Forgets a task (a live scan's task that exited before the second sample); its events stay. */
    public void removeTask(int pid) {
        tasks.remove(pid);
    }

    /** The shared copy of an identical stack seen before, so ten thousand threads parked alike cost one list. */
    private List<Frame> intern(List<Frame> frames) {
        if (frames.isEmpty()) {
            return frames;
        }
        List<Frame> known = stacks.get(frames);
        if (known != null) {
            return known;
        }
        if (stacks.size() < MAX_INTERNED_STACKS) {
            stacks.put(frames, frames);
        }
        return frames;
    }

    /** True when tasks or (other than version banners) kernel events were recorded. */
    public boolean hasTasksOrEvents() {
        return !tasks.isEmpty() || eventCounts.entrySet().stream()
                .anyMatch(e -> e.getKey() != KernelEventKind.KERNEL_VERSION && e.getValue() > 0);
    }

    /** Forgets what an earlier boot of the same log said (tasks, events, kernel release), keeping formats and warnings. */
    public void newBoot(String why) {
        tasks.clear();
        events.clear();
        eventCounts.clear();
        goroutines.clear();
        stacks.clear();
        heldLocks.clear();
        heldLockCount = 0;
        host.resetKernelRelease();
        warn(why);
    }

    /** Tasks beyond {@link #MAX_TASKS}, counted but not kept. */
    public long tasksDropped() {
        return tasksDropped;
    }

    /** A pid for a stack whose task the evidence did not name (a bare `cat /proc/PID/stack` paste). */
    public int anonymousPid() {
        return nextAnonymousPid--;
    }

    public void addEvent(KernelEvent e) {
        eventCounts.merge(e.kind(), 1L, Long::sum);
        List<KernelEvent> list = events.computeIfAbsent(e.kind(), k -> new ArrayList<>());
        if (list.size() < EVENTS_PER_KIND) {
            list.add(e);
        }
    }

    /** Puts {@code with} where {@code old} was: a report's event completed by the lines that followed it. */
    public void replaceEvent(KernelEvent old, KernelEvent with) {
        if (old.kind() != with.kind()) {
            throw new IllegalArgumentException("replacing a " + old.kind() + " event by a " + with.kind());
        }
        List<KernelEvent> list = events.get(old.kind());
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == old) {
                list.set(i, with);
                return;
            }
        }
    }

    public void addGoroutine(Goroutine g) {
        if (goroutines.size() < 10_000) {
            goroutines.add(g);
        } else {
            goroutinesDropped++;
        }
    }

    /**
     * Moves the kernel events {@code past} describes (a sentence saying when and why) out of the current picture
     * into {@link #history()}: a hung-task report about a task that has since exited is no hang now. When every
     * kept event of a kind is past, the ones dropped beyond the cap are taken as past too.
     */
    public void retireEvents(java.util.function.Function<KernelEvent, String> past) {
        for (Map.Entry<KernelEventKind, List<KernelEvent>> e : events.entrySet()) {
            List<KernelEvent> kept = new ArrayList<>();
            for (KernelEvent ev : e.getValue()) {
                String why = past.apply(ev);
                if (why == null) {
                    kept.add(ev);
                } else if (history.size() < EVENTS_PER_KIND && !history.contains(why)) {
                    history.add(why);
                }
            }
            int retired = e.getValue().size() - kept.size();
            if (retired == 0) {
                continue;
            }
            long total = eventCounts.getOrDefault(e.getKey(), 0L);
            long overflow = total - e.getValue().size();
            eventCounts.put(e.getKey(), kept.isEmpty() ? 0L : kept.size() + Math.max(0, overflow));
            e.setValue(kept);
        }
    }

    public void addMemCgroup(MemCgroup c) { memCgroups.add(c); }
    public void addFuseConnection(FuseConnection c) { fuseConnections.add(c); }

    /** Sets each connection's waiting count at the end of a live scan's window, by connection id. */
    public void fuseWaitingAfter(Map<Integer, Long> after) {
        fuseConnections.replaceAll(c -> after.containsKey(c.id()) ? c.withWaitingAfter(after.get(c.id())) : c);
    }
    public void addUffd(UffdHandle u) { uffds.add(u); }
    public void addFormat(String f) { formats.add(f); }

    /** Most held-lock entries kept: a lockdep dump lists every task holding a lock, a runaway input does not grow. */
    public static final int MAX_HELD_LOCKS = 20_000;

    /** Records one entry of lockdep's list of what {@code pid} holds. */
    public void addHeldLock(int pid, HeldLock l) {
        if (heldLockCount < MAX_HELD_LOCKS) {
            heldLocks.computeIfAbsent(pid, k -> new ArrayList<>()).add(l);
            heldLockCount++;
        }
    }

    /** Lockdep's list of the locks {@code pid} holds (or asks for), in its order; empty when none was printed. */
    public List<HeldLock> heldLocks(int pid) {
        return Collections.unmodifiableList(heldLocks.getOrDefault(pid, List.of()));
    }

    /** Every pid lockdep listed locks for. */
    public Set<Integer> heldLockPids() {
        return Collections.unmodifiableSet(heldLocks.keySet());
    }
    public void warn(String w) { warnings.add(w); }
    public void live(boolean v) { live = v; }
    public void savedReport(boolean v) { savedReport = v; }
    public boolean savedReport() { return savedReport; }
    public void noteHungTaskNotice() { hungTaskNotices++; }

    /**
     * Keeps a line no parser took (blank ones and those past the cap are dropped). A line wider than the width is
     * kept as several, cut between words: a page whose line breaks were lost is one line of prose, and the name it
     * gives a filesystem can sit anywhere in it.
     */
    public void addReportText(String line) {
        addReportText(line, 0, 0);
    }

    /** {@link #addReportText(String)} for the line at {@code lineNo} of its file, the {@code seq}-th line read. */
    public void addReportText(String line, long lineNo, long seq) {
        if (reportLines.size() >= REPORT_TEXT_LINES || line.isBlank()) {
            return;
        }
        int indent = 0;
        while (indent < line.length() && Character.isWhitespace(line.charAt(indent))) {
            indent++;
        }
        String s = line.strip();
        int from = 0;
        while (s.length() - from > REPORT_TEXT_WIDTH && reportLines.size() < REPORT_TEXT_LINES - 1) {
            int cut = s.lastIndexOf(' ', from + REPORT_TEXT_WIDTH);
            if (cut <= from + REPORT_TEXT_WIDTH / 2) {
                cut = from + REPORT_TEXT_WIDTH;
            }
            keep(s.substring(from, cut), lineNo, indent, seq);
            from = cut;
            while (from < s.length() && s.charAt(from) == ' ') {
                from++;
            }
        }
        keep(s.substring(from, Math.min(s.length(), from + REPORT_TEXT_WIDTH)), lineNo, indent, seq);
    }

    private void keep(String text, long lineNo, int indent, long seq) {
        reportLines.add(new ReportLine(text, lineNo, indent, seq));
    }

    /** The report's words with where each line stood: what a reader of its layout (a stack written by hand) needs. */
    public List<ReportLine> reportLines() { return Collections.unmodifiableList(reportLines); }

    /** True once no more of the report's words are kept (checked per line of a log, so it allocates nothing). */
    public boolean reportTextFull() { return reportLines.size() >= REPORT_TEXT_LINES; }

    public long hungTaskNotices() { return hungTaskNotices; }

    public Collection<Task> tasks() { return Collections.unmodifiableCollection(tasks.values()); }
    public Task taskOrNull(int pid) { return tasks.get(pid); }

    public List<KernelEvent> events(KernelEventKind kind) {
        return Collections.unmodifiableList(events.getOrDefault(kind, List.of()));
    }

    public List<KernelEvent> allEvents() {
        List<KernelEvent> all = new ArrayList<>();
        events.values().forEach(all::addAll);
        return all;
    }

    public long eventCount(KernelEventKind kind) { return eventCounts.getOrDefault(kind, 0L); }
    public HostFacts host() { return host; }
    public List<Goroutine> goroutines() { return Collections.unmodifiableList(goroutines); }
    public long goroutinesDropped() { return goroutinesDropped; }
    public List<MemCgroup> memCgroups() { return Collections.unmodifiableList(memCgroups); }
    public List<FuseConnection> fuseConnections() { return Collections.unmodifiableList(fuseConnections); }
    public List<UffdHandle> uffds() { return Collections.unmodifiableList(uffds); }
    public Set<String> formats() { return Collections.unmodifiableSet(formats); }
    /** The warnings, repeats of one kind folded into one line with their count. */
    public List<String> warnings() { return warnings.lines(); }
    /** Kernel messages about what is no longer so (tasks gone or running again), each with when it was logged. */
    public List<String> history() { return Collections.unmodifiableList(history); }
    public boolean live() { return live; }

    /** True when nothing at all was recognised: not even a log prefix, so the input is not evidence. */
    public boolean isEmpty() {
        return formats.isEmpty() && tasks.isEmpty() && eventCounts.isEmpty() && goroutines.isEmpty() && memCgroups.isEmpty()
                && fuseConnections.isEmpty() && uffds.isEmpty() && host.kernelRelease() == null;
    }

    /**
     * Folds kernel-log evidence into a live picture: events, host facts and formats are taken as they are, but a task
     * the log names only counts if it is alive now (a hung-task report from an hour ago names a pid that may be long
     * gone, or reused), and the live state beats the logged one; the log only fills in what /proc could not say.
     */
    public void mergeLogIntoLive(Evidence log) {
        for (Task t : log.tasks.values()) {
            Task live = tasks.get(t.pid());
            if (live == null || t.pid() < 0) {
                continue;
            }
            if (live.frames().isEmpty() && !t.frames().isEmpty()) {
                live.frames(t.frames());
            }
            if (t.blockedSeconds() != null && (live.blockedSeconds() == null || t.blockedSeconds() > live.blockedSeconds())) {
                live.blockedSeconds(t.blockedSeconds());
            }
            t.lockOwnerHints().forEach(live::lockOwnerHint);
        }
        for (List<KernelEvent> list : log.events.values()) {
            list.forEach(this::addEvent);
        }
        log.eventCounts.forEach((k, n) -> {
            long kept = log.events.getOrDefault(k, List.of()).size();
            if (n > kept) {
                eventCounts.merge(k, n - kept, Long::sum);
            }
        });
        host.mergeFrom(log.host);
        log.heldLocks.forEach((pid, list) -> list.forEach(l -> addHeldLock(pid, l)));
        formats.addAll(log.formats);
        warnings.addAll(log.warnings);
    }

    /** Folds another host picture into this one (one file's evidence into the whole). */
    public void mergeFrom(Evidence o) {
        for (Task t : o.tasks.values()) {
            if (t.pid() < 0) {
                // anonymous tasks of different files are different tasks
                addTask(t.withPid(anonymousPid()));
            } else {
                addTask(t);
            }
        }
        for (List<KernelEvent> list : o.events.values()) {
            list.forEach(this::addEvent);
        }
        o.eventCounts.forEach((k, n) -> {
            long kept = o.events.getOrDefault(k, List.of()).size();
            if (n > kept) {
                eventCounts.merge(k, n - kept, Long::sum);
            }
        });
        host.mergeFrom(o.host);
        o.goroutines.forEach(this::addGoroutine);
        goroutinesDropped += o.goroutinesDropped;
        memCgroups.addAll(o.memCgroups);
        fuseConnections.addAll(o.fuseConnections);
        uffds.addAll(o.uffds);
        o.heldLocks.forEach((pid, list) -> list.forEach(l -> addHeldLock(pid, l)));
        formats.addAll(o.formats);
        warnings.addAll(o.warnings);
        o.history.stream().filter(h -> !history.contains(h)).forEach(history::add);
        o.reportLines.forEach(l -> {
            if (!reportTextFull()) {
                keep(l.text(), l.lineNo(), l.indent(), 0);
            }
        });
        live |= o.live;
        savedReport |= o.savedReport;
        hungTaskNotices += o.hungTaskNotices;
    }
}
