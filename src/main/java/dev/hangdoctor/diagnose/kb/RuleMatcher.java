package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.diagnose.Frames;
import dev.hangdoctor.diagnose.Resource;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.diagnose.WaitClassifier;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.ReportLine;
import dev.hangdoctor.model.Goroutine;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import dev.hangdoctor.model.UffdHandle;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Checks one rule against the evidence. A rule matches when every required signal matches, every oneOf group
 * has a match, no absent signal matches, and the kernel is not out of a required range. Confidence is
 * (sum of weights of matched signals / sum of weights of all non-absent signals) x the kernel factor
 * (in range 1.0, not constrained 0.9, unknown 0.8, out of range 0.5), rounded to two decimals; a signal and its
 * alternatives ({@code alternativeOf}) weigh once, as the heaviest of them.
 */
public final class RuleMatcher {
    /** Tasks named in a signal's evidence sentences; the rest are counted. */
    static final int EVIDENCE_TASKS = 5;
    static final int EVIDENCE_EVENTS = 3;

    private static final Object CACHE_LOCK = new Object();
    private static WeakReference<Evidence> cachedEvidence = new WeakReference<>(null);
    private static int cachedTaskCount = -1;
    private static EvidenceIndex cachedIndex;

    private RuleMatcher() {
    }

    /** Matches against evidence, reusing the frame index while the same, unchanged evidence is passed. */
    public static Optional<RuleMatch> match(Rule rule, Evidence evidence) {
        return match(rule, indexFor(evidence));
    }

    /** Matches with an index the caller built once for many rules. */
    public static Optional<RuleMatch> match(Rule rule, EvidenceIndex index) {
        Evidence ev = index.evidence();
        KernelVerdict verdict = rule.kernelVerdict(ev.host().kernelRelease());
        if (verdict == KernelVerdict.OUT_OF_RANGE && rule.kernelRequired()) {
            return Optional.empty();
        }
        if (rule.handedInOnly() && !handedIn(ev)) {
            return Optional.empty();
        }
        Map<String, Boolean> groups = new HashMap<>();
        List<SignalHit> hits = new ArrayList<>();
        // a signal and its alternatives weigh once: the heaviest of them, and the heaviest that matched
        Map<String, Integer> possible = new HashMap<>();
        Map<String, Integer> scored = new HashMap<>();
        for (Signal s : rule.signals()) {
            SignalHit hit = evaluate(s, index);
            if (s.absent()) {
                if (hit != null) {
                    return Optional.empty();
                }
                continue;
            }
            possible.merge(s.weightGroup(), s.weight(), Math::max);
            if (s.oneOf() != null) {
                groups.merge(s.oneOf(), hit != null, Boolean::logicalOr);
            }
            if (hit == null) {
                if (s.required()) {
                    return Optional.empty();
                }
                continue;
            }
            scored.merge(s.weightGroup(), s.weight(), Math::max);
            hits.add(hit);
        }
        int total = possible.values().stream().mapToInt(Integer::intValue).sum();
        int matched = scored.values().stream().mapToInt(Integer::intValue).sum();
        if (hits.isEmpty() || groups.containsValue(false)) {
            return Optional.empty();
        }
        double factor = switch (verdict) {
            case IN_RANGE -> 1.0;
            case NOT_CONSTRAINED -> 0.9;
            case UNKNOWN -> 0.8;
            case OUT_OF_RANGE -> 0.5;
        };
        double confidence = Math.round(100.0 * matched / total * factor) / 100.0;
        if (rule.maxConfidence() != null) {
            confidence = Math.min(confidence, rule.maxConfidence());
        }

        Map<Role, List<Task>> byRole = new EnumMap<>(Role.class);
        Set<Task> placed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Role role : Role.values()) {
            List<Task> list = new ArrayList<>();
            for (SignalHit h : hits) {
                if (h.signal.role() == role) {
                    for (Task t : h.tasks) {
                        if (placed.add(t)) {
                            list.add(t);
                        }
                    }
                }
            }
            byRole.put(role, list);
        }
        List<String> evidenceLines = new ArrayList<>();
        List<String> signalIds = new ArrayList<>();
        Set<Task> described = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (SignalHit h : hits) {
            signalIds.add(h.signal.id());
            for (int i = 0; i < h.lines.size(); i++) {
                String line = h.lines.get(i);
                Task about = i < h.lineTasks.size() ? h.lineTasks.get(i) : null;
                // one sentence per task: the first signal that named it says it best
                if (about != null && !described.add(about)) {
                    continue;
                }
                if (!evidenceLines.contains(line)) {
                    evidenceLines.add(line);
                }
            }
        }
        if (verdict == KernelVerdict.IN_RANGE || verdict == KernelVerdict.OUT_OF_RANGE) {
            evidenceLines.add("kernel " + ev.host().kernelRelease() + (verdict == KernelVerdict.IN_RANGE ? " is" : " is not")
                    + " in the affected range " + rule.kernelRanges());
        }
        return Optional.of(new RuleMatch(rule, confidence, byRole, evidenceLines, signalIds, verdict));
    }

    /** Every matching rule, most confident first (ties by id). */
    public static List<RuleMatch> matchAll(Collection<Rule> rules, Evidence evidence) {
        EvidenceIndex index = EvidenceIndex.of(evidence);
        List<RuleMatch> out = new ArrayList<>();
        for (Rule r : rules) {
            match(r, index).ifPresent(out::add);
        }
        out.sort(Comparator.comparingDouble(RuleMatch::confidence).reversed().thenComparing(m -> m.rule().id()));
        return out;
    }

    private static EvidenceIndex indexFor(Evidence evidence) {
        synchronized (CACHE_LOCK) {
            if (cachedEvidence.get() == evidence && cachedTaskCount == evidence.tasks().size() && cachedIndex != null) {
                return cachedIndex;
            }
            EvidenceIndex idx = EvidenceIndex.of(evidence);
            cachedEvidence = new WeakReference<>(evidence);
            cachedTaskCount = evidence.tasks().size();
            cachedIndex = idx;
            return idx;
        }
    }

    /** What one signal found; null when it found nothing. */
    private record SignalHit(Signal signal, List<Task> tasks, List<String> lines, List<Task> lineTasks) {
        SignalHit(Signal signal, List<Task> tasks, List<String> lines) {
            this(signal, tasks, lines, List.of());
        }
    }

    private static SignalHit evaluate(Signal s, EvidenceIndex index) {
        if (s.task() != null) {
            return tasks(s, s.task(), index);
        }
        Evidence ev = index.evidence();
        if (s.event() != null) {
            return events(s, s.event(), ev);
        }
        if (s.memcg() != null) {
            return memcgs(s, s.memcg(), ev);
        }
        if (s.fuse() != null) {
            List<String> lines = new ArrayList<>();
            for (FuseConnection c : ev.fuseConnections()) {
                if (c.waiting() != null && c.waiting() >= s.fuse().waitingAtLeast()) {
                    lines.add("FUSE connection " + c.id() + (c.mountPoints().isEmpty() ? "" : " (" + String.join(", ", c.mountPoints())
                            + (c.fsType() == null ? "" : ", " + c.fsType()) + ")") + ": " + c.waiting()
                            + " request(s) waiting for the daemon");
                }
            }
            return lines.isEmpty() ? null : new SignalHit(s, List.of(), lines);
        }
        if (s.uffd() != null) {
            List<String> lines = new ArrayList<>();
            List<Task> owners = new ArrayList<>();
            for (UffdHandle u : ev.uffds()) {
                if (u.pending() != null && u.pending() >= s.uffd().pendingAtLeast()) {
                    lines.add("userfaultfd fd " + u.fd() + " of pid " + u.pid() + ": " + u.pending() + " fault(s) pending");
                    Task t = ev.taskOrNull(u.pid());
                    if (t != null) {
                        owners.add(t);
                    }
                }
            }
            return lines.isEmpty() ? null : new SignalHit(s, owners, lines);
        }
        if (s.goroutine() != null) {
            return goroutines(s, s.goroutine(), ev);
        }
        if (s.text() != null) {
            return reportText(s, s.text(), ev);
        }
        return null;
    }

    /**
     * Evidence handed in as the report of a hang (analyze of files), not read from a host: a live scan, the node agent
     * and a bundle of their samples are never that, whatever old kernel messages they carry.
     */
    private static boolean handedIn(Evidence ev) {
        return ev.savedReport() && !ev.live();
    }

    /**
     * The first line of a report handed in that matches, quoted around the match; never for a live scan. Words a
     * mailer or a page wrapped onto the next line ("... `watchdog: BUG: soft" / "lockup - CPU#2 ...`") match across
     * the break: a line is also tried with the next one joined by a space, when that one stood right under it (no
     * blank line between: a paragraph ended there).
     */
    private static SignalHit reportText(Signal s, Signal.TextTest test, Evidence ev) {
        if (!handedIn(ev)) {
            return null;
        }
        List<ReportLine> lines = ev.reportLines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).text();
            // a mention the sentence denies ("to make sure it is not the NFS client") names nothing
            Matcher m = Negation.firstAffirmed(test.pattern(), line);
            if (m != null) {
                return textHit(s, line, m);
            }
            if (i + 1 < lines.size() && lines.get(i + 1).lineNo() - lines.get(i).lineNo() <= 1) {
                String joined = line + ' ' + lines.get(i + 1).text();
                m = test.pattern().matcher(joined);
                // only a match that starts on this line and runs onto the next: the next line's own is found there
                while (m.find() && m.start() < line.length()) {
                    if (m.end() > line.length() && !Negation.negated(joined, m.start())) {
                        return textHit(s, joined, m);
                    }
                }
            }
        }
        return null;
    }

    private static SignalHit textHit(Signal s, String line, Matcher m) {
        int from = Math.max(0, m.start() - 50);
        int to = Math.min(line.length(), m.end() + 50);
        String quote = (from > 0 ? "..." : "") + line.substring(from, to) + (to < line.length() ? "..." : "");
        return new SignalHit(s, List.of(), List.of("the report's text names \"" + m.group() + "\": " + quote));
    }

    private static SignalHit tasks(Signal s, Signal.TaskTest t, EvidenceIndex index) {
        Collection<Task> candidates;
        if (!t.frames().isEmpty()) {
            // the rarest wanted frame bounds the work
            Collection<Task> best = null;
            for (String f : t.frames()) {
                Collection<Task> l = index.tasksWithAny(f);
                if (best == null || l.size() < best.size()) {
                    best = l;
                }
                if (best.isEmpty()) {
                    return null;
                }
            }
            candidates = best;
        } else if (!t.anyFrame().isEmpty()) {
            Set<Task> union = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (String f : t.anyFrame()) {
                union.addAll(index.tasksWithAny(f));
            }
            candidates = union;
        } else {
            candidates = index.tasks();
        }
        List<Task> found = new ArrayList<>();
        for (Task task : candidates) {
            if (taskMatches(t, task)) {
                found.add(task);
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        found.sort(Comparator.comparingInt(Task::pid));
        List<String> lines = new ArrayList<>();
        List<Task> lineTasks = new ArrayList<>();
        for (int i = 0; i < found.size() && i < EVIDENCE_TASKS; i++) {
            lines.add(describe(found.get(i), t));
            lineTasks.add(found.get(i));
        }
        if (found.size() > EVIDENCE_TASKS) {
            lines.add("... and " + (found.size() - EVIDENCE_TASKS) + " more task(s) like " + new TaskRef(found.get(0).pid(), found.get(0).comm()));
        }
        return new SignalHit(s, found, lines, lineTasks);
    }

    static boolean taskMatches(Signal.TaskTest t, Task task) {
        if (!t.states().isEmpty() && task.state() != TaskState.UNKNOWN && !t.states().contains(task.state())) {
            return false;
        }
        if (t.kernelThread() != null && task.isKernelThread() != t.kernelThread()) {
            return false;
        }
        if (t.killPending() != null && task.killPending() != t.killPending()) {
            return false;
        }
        if (t.journalHandle() != null) {
            boolean holds = task.journalInfo() != null && task.journalInfo() != 0L;
            if (holds != t.journalHandle()) {
                return false;
            }
        }
        if (t.blockedAtLeast() != null && (task.blockedSeconds() == null || task.blockedSeconds() < t.blockedAtLeast())) {
            return false;
        }
        if (t.comm() != null && (task.comm() == null || !t.comm().matcher(task.comm()).find())) {
            return false;
        }
        if (t.workqueue() != null && (task.workqueue() == null || !t.workqueue().matcher(task.workqueue()).find())) {
            return false;
        }
        if (!t.frames().isEmpty() && !FramePattern.containsInOrder(task.frames(), t.frames())) {
            return false;
        }
        if (!t.anyFrame().isEmpty() && firstPresent(task, t.anyFrame()) == null) {
            return false;
        }
        if (!t.anyModule().isEmpty() && moduleFrame(task, t.anyModule()) == null) {
            return false;
        }
        if (t.waitsFor() != null) {
            Resource w = WaitClassifier.stackWait(task);
            if (w == null || w.kind() != t.waitsFor()) {
                return false;
            }
        }
        return t.noFrame().isEmpty() || firstPresent(task, t.noFrame()) == null;
    }

    /** The first frame (as {@link Frames#evidence} counts them) in one of these modules, or null. */
    private static Frame moduleFrame(Task task, Set<String> modules) {
        for (Frame f : Frames.evidence(task.frames())) {
            if (!f.unreliable() && f.module() != null && modules.contains(f.module())) {
                return f;
            }
        }
        return null;
    }

    private static String firstPresent(Task task, List<String> functions) {
        for (String f : functions) {
            String actual = FramePattern.firstMatch(task.frames(), f);
            if (actual != null) {
                return actual;
            }
        }
        return null;
    }

    /** "ext4-repro-with-write:27225 R in free_more_memory <- __getblk (holds a jbd2 handle)". */
    private static String describe(Task task, Signal.TaskTest t) {
        StringBuilder sb = new StringBuilder();
        // a task the evidence does not name has no pid to show (as in TaskRef)
        sb.append(new TaskRef(task.pid(), task.comm())).append(' ').append(task.state().letter());
        List<String> shown = new ArrayList<>();
        for (String pattern : t.frames()) {
            // the frame the task has, not the pattern ("fuse_get_req", not "request_wait_answer|fuse_get_req")
            String actual = FramePattern.firstMatch(task.frames(), pattern);
            shown.add(actual != null ? actual : pattern);
        }
        if (!t.anyFrame().isEmpty()) {
            String f = firstPresent(task, t.anyFrame());
            if (f != null) {
                shown.add(f);
            }
        }
        if (!t.anyModule().isEmpty()) {
            Frame f = moduleFrame(task, t.anyModule());
            if (f != null) {
                shown.add(f.function() + " [" + f.module() + "]");
            }
        }
        if (shown.isEmpty() && !task.frames().isEmpty()) {
            shown.add(Frames.significantTop(task.frames()));
        }
        if (!shown.isEmpty()) {
            sb.append(" in ").append(String.join(" <- ", shown));
        }
        if (task.blockedSeconds() != null) {
            sb.append(", blocked ").append(task.blockedSeconds()).append(" s");
        }
        if (task.killPending()) {
            sb.append(", SIGKILL pending");
        }
        if (task.journalInfo() != null && task.journalInfo() != 0L) {
            sb.append(", holds a jbd2 handle (journal_info 0x").append(Long.toHexString(task.journalInfo())).append(')');
        }
        return sb.toString();
    }

    private static SignalHit events(Signal s, Signal.EventTest t, Evidence ev) {
        List<KernelEvent> kept = new ArrayList<>();
        long total = 0;
        for (KernelEventKind k : KernelEventKind.values()) {
            if (!t.kinds().contains(k)) {
                continue;
            }
            if (k == KernelEventKind.CPU_REGISTERS && (!ev.savedReport() || ev.live())) {
                continue; // a dump whose header is not in a live host's log window: that log is not a report
            }
            for (KernelEvent e : ev.events(k)) {
                if (t.message() == null || (e.message() != null && t.message().matcher(e.message()).find())) {
                    kept.add(e);
                }
            }
            total += ev.eventCount(k);
        }
        List<KernelEvent> shown = kept;
        long count = t.message() == null ? Math.max(total, kept.size()) : kept.size();
        if (t.sameKey() != null) {
            Map<String, List<KernelEvent>> byKey = new LinkedHashMap<>();
            for (KernelEvent e : kept) {
                String key = key(t.sameKey(), e);
                if (key != null) {
                    byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(e);
                }
            }
            shown = byKey.values().stream().max(Comparator.comparingInt(List::size)).orElse(List.of());
            count = shown.size();
        }
        if (count < t.atLeast() || count == 0) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        Set<Task> tasks = new LinkedHashSet<>();
        for (KernelEvent e : shown) {
            String l = line(e);
            if (lines.size() < EVIDENCE_EVENTS && !lines.contains(l)) {
                lines.add(l);
            }
            if (e.pid() != null) {
                Task task = ev.taskOrNull(e.pid());
                if (task != null) {
                    tasks.add(task);
                }
            }
        }
        if (count > lines.size()) {
            lines.add("(" + count + " such messages" + (t.sameKey() != null ? " with the same " + t.sameKey().pattern() : "") + ")");
        }
        return new SignalHit(s, new ArrayList<>(tasks), lines);
    }

    private static String key(java.util.regex.Pattern p, KernelEvent e) {
        if (e.message() == null) {
            return null;
        }
        Matcher m = p.matcher(e.message());
        if (!m.find()) {
            return null;
        }
        return m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
    }

    private static String line(KernelEvent e) {
        String msg = e.message() == null ? e.kind().name() : e.message();
        if (e.timestamp() == null) {
            return msg;
        }
        // the kernel's own "[%5lu.%06lu]" prefix
        long micros = Math.round(e.timestamp() * 1_000_000);
        return String.format(Locale.ROOT, "[%5d.%06d] %s", micros / 1_000_000, micros % 1_000_000, msg);
    }

    private static SignalHit memcgs(Signal s, Signal.MemcgTest t, Evidence ev) {
        List<String> lines = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        for (MemCgroup c : ev.memCgroups()) {
            if (t.underOom() != null && !t.underOom().equals(c.underOom())) {
                continue;
            }
            if (t.oomKillDisable() != null && !t.oomKillDisable().equals(c.oomKillDisable())) {
                continue;
            }
            if (t.fillAtLeast() != null && (c.fill() == null || c.fill() < t.fillAtLeast())) {
                continue;
            }
            StringBuilder sb = new StringBuilder("memory cgroup ").append(c.path()).append(':');
            if (c.underOom() != null) {
                sb.append(" under_oom ").append(c.underOom() ? 1 : 0);
            }
            if (c.oomKillDisable() != null) {
                sb.append(", oom_kill_disable ").append(c.oomKillDisable() ? 1 : 0);
            }
            if (c.fill() != null) {
                sb.append(String.format(Locale.ROOT, ", usage %.1f%% of limit", c.fill() * 100));
            }
            lines.add(sb.toString());
            for (int pid : c.pids()) {
                Task task = ev.taskOrNull(pid);
                if (task != null) {
                    tasks.add(task);
                }
            }
        }
        return lines.isEmpty() ? null : new SignalHit(s, tasks, lines);
    }

    private static SignalHit goroutines(Signal s, Signal.GoroutineTest t, Evidence ev) {
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (Goroutine g : ev.goroutines()) {
            if (t.waitMinutesAtLeast() != null && (g.waitMinutes() == null || g.waitMinutes() < t.waitMinutesAtLeast())) {
                continue;
            }
            String fn = null;
            if (t.function() != null) {
                for (String f : g.functions()) {
                    if (t.function().matcher(f).find()) {
                        fn = f;
                        break;
                    }
                }
                if (fn == null) {
                    continue;
                }
            }
            n++;
            if (lines.size() < EVIDENCE_EVENTS) {
                lines.add("goroutine " + g.id() + " [" + g.waitReason() + (g.waitMinutes() == null ? "" : ", " + g.waitMinutes() + " minutes")
                        + "] in " + (fn != null ? fn : g.topUserFunction()));
            }
        }
        if (n == 0) {
            return null;
        }
        if (n > lines.size()) {
            lines.add("(" + n + " such goroutines)");
        }
        return new SignalHit(s, List.of(), lines);
    }
}
