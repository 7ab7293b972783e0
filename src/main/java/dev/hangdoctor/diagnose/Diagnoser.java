package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.diagnose.kb.Role;
import dev.hangdoctor.diagnose.kb.Rule;
import dev.hangdoctor.diagnose.kb.RuleMatch;
import dev.hangdoctor.diagnose.kb.RuleMatcher;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Goroutine;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns evidence into a diagnosis: matches the knowledge base, reasons about who waits for whom to name the blocker
 * of each finding, folds findings that describe the same tasks, and groups the stacks.
 */
public final class Diagnoser {
    /** Signature of a D-state hang no knowledge-base rule explains. */
    public static final String UNCLASSIFIED = "unclassified-d-state";
    /** Goroutines waiting at least this long are worth showing: the user-space side of the hang. */
    private static final long GOROUTINE_MINUTES = 1;
    private static final int MAX_LOG_LINES = 60;
    /** Findings of a CPU that stopped scheduling: the ones whose blocker may be a spin lock's holder. */
    private static final Set<Category> LOCKUPS = Set.of(Category.HARD_LOCKUP, Category.SOFT_LOCKUP);
    /** How much an NFS outage that ended within evidence handed in keeps of its finding's confidence. */
    private static final double PAST_OUTAGE = 0.5;

    private final KnowledgeBase kb;

    public Diagnoser(KnowledgeBase kb) {
        this.kb = kb;
    }

    public Diagnosis diagnose(Evidence evidence) {
        WaitGraph graph = new WaitGraph(evidence);
        List<RuleMatch> matches = new ArrayList<>();
        for (Rule rule : kb.rules()) {
            Optional<RuleMatch> m = RuleMatcher.match(rule, evidence);
            m.ifPresent(matches::add);
        }
        matches.sort(Comparator.comparingDouble(RuleMatch::confidence).reversed()
                .thenComparing(m -> m.rule().id()));

        List<Finding> findings = new ArrayList<>();
        List<Built> accepted = new ArrayList<>();
        Set<String> snapshotOnly = new java.util.TreeSet<>();
        Set<String> recovered = new java.util.TreeSet<>();
        Set<String> reportedSnapshot = new java.util.TreeSet<>();
        Set<String> sampled = new java.util.TreeSet<>();
        List<Integer> rootPids = new ArrayList<>();
        // a specific rule explains its tasks better than the generic ones it names: specific rules go first, and a
        // generic finding steps aside only where it speaks of the same tasks (another, independent hang of the
        // generic kind elsewhere on the host is still reported)
        // (a rule superseding a specific rule goes before it: depth in the supersedes relation, deepest first)
        Map<String, Integer> depth = supersedesDepth();
        List<RuleMatch> ordered = new ArrayList<>(matches);
        ordered.sort(Comparator.comparingInt((RuleMatch m) -> -depth.getOrDefault(m.rule().id(), 0)));
        ordered = StorageLayerOrder.order(ordered, evidence);
        // fallback rules (a report's words naming what its stacks do not) speak only when no other rule does
        // and never against a detector line of another kind the evidence holds
        List<RuleMatch> fallbacks = ordered.stream().filter(m -> m.rule().fallback())
                .filter(m -> !DetectorHeaders.contradict(m.rule().category(), evidence)).toList();
        ordered = ordered.stream().filter(m -> !m.rule().fallback()).toList();
        // a report blaming the storage under a generic journal wait: its words say why the journal waits
        List<RuleMatch> main = StorageLayerOrder.withNamedStorage(ordered, fallbacks, evidence);
        if (main != ordered) {
            fallbacks = fallbacks.stream().filter(m -> !main.contains(m)).toList();
            ordered = main;
        }
        for (List<RuleMatch> pass : List.of(ordered, fallbacks)) {
            if (pass == fallbacks && !(findings.isEmpty() && recovered.isEmpty())) {
                break;
            }
            for (RuleMatch m : pass) {
                for (Part part : partition(m, graph)) {
                    Built b = build(m, part, graph, evidence);
                    if (covered(b, accepted) || supersededHere(b, m, accepted)) {
                        continue;
                    }
                    String over = b.finding.category() == Category.NFS ? nfsRecovered(evidence) : null;
                    if (over != null) {
                        if (!evidence.savedReport()) {
                            recovered.add(over + ": a past outage, not a hang now");
                            continue;
                        }
                        // handed in, the outage is the stall the evidence shows, though it ended within it
                        b = b.withConfidence(b.finding.confidence() * PAST_OUTAGE);
                        recovered.add(over + ": reported as the outage the evidence shows, which ended; confidence"
                                + " lowered");
                    }
                    if (m.rule().needsDuration() && !stuckLongEnough(b.involved, evidence)) {
                        if (!evidence.savedReport()) {
                            // a snapshot of tasks in an I/O wait is normal I/O until something says how long they waited
                            snapshotOnly.add(m.rule().id());
                            continue;
                        }
                        b = b.withConfidence(SnapshotReport.confidence(b.finding.confidence(), evidence));
                        reportedSnapshot.add(m.rule().id());
                    }
                    if (SampledStacks.only(b.involved, evidence)) {
                        b = b.withConfidence(SampledStacks.confidence(b.finding.confidence()));
                        sampled.add(m.rule().id());
                    }
                    findings.add(b.finding);
                    accepted.add(b);
                    rootPids.add(b.rootPid);
                }
            }
        }
        if (!findings.isEmpty()) {
            // a second hang beside the ones the rules name: blocked tasks no finding took, whose waits the evidence
            // ties to a holder (an owner line, lockdep's lists, the holder's stack)
            Built rest = leftoverChain(graph, evidence, accepted);
            if (rest != null) {
                findings.add(rest.finding);
                rootPids.add(rest.rootPid);
            }
        }
        if (findings.isEmpty() && recovered.isEmpty()
                && (snapshotOnly.isEmpty() || stuckLongEnough(blockedPids(evidence), evidence))) {
            Built generic = unclassified(graph, evidence);
            if (generic != null) {
                if (!stuckLongEnough(generic.involved, evidence) && evidence.savedReport()) {
                    generic = generic.withConfidence(SnapshotReport.confidence(generic.finding.confidence(), evidence));
                    reportedSnapshot.add(generic.finding.signature());
                }
                if (SampledStacks.only(generic.involved, evidence)) {
                    generic = generic.withConfidence(SampledStacks.confidence(generic.finding.confidence()));
                    sampled.add(generic.finding.signature());
                }
                findings.add(generic.finding);
                rootPids.add(generic.rootPid);
            }
        }

        findings = WatchdogOrder.order(findings, evidence);
        Map<Integer, String> roles = new HashMap<>();
        for (Finding f : findings) {
            f.victims().forEach(v -> roles.putIfAbsent(v.pid(), "victim"));
        }
        for (Integer root : rootPids) {
            // by the task's own pid, so a blocker the evidence names no pid for (negative) is marked too
            if (root != null) {
                roles.put(root, "blocker");
            }
        }
        List<StackGroup> groups = StackGrouper.group(evidence.tasks(), graph, roles);
        Map<String, Integer> byState = new TreeMap<>();
        for (Task t : evidence.tasks()) {
            byState.merge(t.state().letter(), 1, Integer::sum);
        }
        List<String> warnings = new ArrayList<>(evidence.warnings());
        warnings.addAll(kb.errors());
        warnings.addAll(recovered);
        if (!reportedSnapshot.isEmpty()) {
            warnings.add(SnapshotReport.warning(reportedSnapshot, evidence));
        }
        if (!sampled.isEmpty()) {
            warnings.add(SampledStacks.warning(sampled));
        }
        if (!snapshotOnly.isEmpty() && findings.isEmpty()) {
            long d = evidence.tasks().stream().filter(t -> t.state().isBlocked()).count();
            warnings.add(d + " task(s) in D look like " + String.join(", ", snapshotOnly) + ", but this is one snapshot"
                    + " with no duration (no hung-task report, no second sample): not reported as a hang");
        }
        Map<String, String> host = new TreeMap<>(evidence.host().sysctls());
        if (evidence.host().hostname() != null) {
            host.put("hostname", evidence.host().hostname());
        }
        if (evidence.host().loadavg() != null) {
            host.put("loadavg", evidence.host().loadavg());
        }
        evidence.host().pressure().forEach((k, v) -> host.put("pressure." + k, v));
        return new Diagnosis(findings, groups, byState, evidence.tasks().size(), evidence.host().kernelRelease(),
                List.copyOf(evidence.formats()), logLines(evidence), goroutines(evidence), warnings,
                GraphViewBuilder.build(findings, graph), host, evidence.memCgroups(), evidence.fuseConnections(),
                evidence.history());
    }

    /**
     * A finding with the set of pids it speaks about (for folding duplicates), the subset its rule's signals named
     * plus the blocker (the rest are only waiters the wait graph added), and the blocker's own pid (negative when the
     * evidence named none).
     */
    private record Built(Finding finding, Set<Integer> involved, Set<Integer> matched, Integer rootPid,
                         List<String> supersedes) {
        Built withConfidence(double c) {
            Finding f = finding;
            return new Built(new Finding(f.signature(), f.category(), f.title(), round(c), f.rootCause(), f.blocker(),
                    f.rootCauseResource(), f.victims(), f.chain(), f.evidence(), f.explanation(), f.fix(),
                    f.remediation(), f.actions()), involved, matched, rootPid, supersedes);
        }
    }

    /** The tasks of one rule match that belong to one blocker: several independent hangs of one kind stay apart. */
    private record Part(List<Task> blockers, List<Task> victims, List<Task> context) {
    }

    /**
     * Splits a match whose blockers do not wait on each other and are not threads of one process (two containers
     * each with its own orphaned userfaultfd) into one part per blocker group; each victim goes with the group it
     * waits for, or shares a process with; the rest with the largest group.
     */
    private static List<Part> partition(RuleMatch m, WaitGraph graph) {
        List<Task> blockers = m.tasks(Role.BLOCKER);
        List<Task> matchedVictims = m.tasks(Role.VICTIM);
        if (LOCKUPS.contains(m.rule().category())) {
            // a locked-up CPU spinning until the others answer (the CPU stopper, a cross-CPU call) waits for them:
            // beside another locked-up CPU that is not waiting so, it is that one's victim
            List<Task> waiting = blockers.stream().filter(t -> CrossCpuWaits.of(t) != null).toList();
            if (!waiting.isEmpty() && waiting.size() < blockers.size()) {
                blockers = blockers.stream().filter(t -> !waiting.contains(t)).toList();
                List<Task> v = new ArrayList<>(matchedVictims);
                v.addAll(waiting);
                matchedVictims = v;
            }
        }
        if (blockers.isEmpty()) {
            return partitionVictims(m, graph);
        }
        if (blockers.size() < 2) {
            return List.of(new Part(blockers, matchedVictims, m.tasks(Role.CONTEXT)));
        }
        List<List<Task>> groups = new ArrayList<>();
        for (Task b : blockers) {
            List<Task> home = null;
            for (List<Task> g : groups) {
                if (g.stream().anyMatch(o -> related(b, o, graph))) {
                    home = g;
                    break;
                }
            }
            if (home == null) {
                home = new ArrayList<>();
                groups.add(home);
            }
            home.add(b);
        }
        if (groups.size() == 1) {
            return List.of(new Part(blockers, matchedVictims, m.tasks(Role.CONTEXT)));
        }
        List<List<Task>> victims = new ArrayList<>();
        groups.forEach(g -> victims.add(new ArrayList<>()));
        int largest = 0;
        for (int i = 1; i < groups.size(); i++) {
            if (groups.get(i).size() > groups.get(largest).size()) {
                largest = i;
            }
        }
        for (Task v : matchedVictims) {
            int at = largest;
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i).stream().anyMatch(b -> related(v, b, graph))) {
                    at = i;
                    break;
                }
            }
            victims.get(at).add(v);
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            parts.add(new Part(groups.get(i), victims.get(i), i == largest ? m.tasks(Role.CONTEXT) : List.of()));
        }
        return parts;
    }

    /** A rule that only recognises sufferers (tasks stuck at a cgroup's limit): one part per thing they wait on. */
    private static List<Part> partitionVictims(RuleMatch m, WaitGraph graph) {
        List<List<Task>> groups = new ArrayList<>();
        for (Task v : m.tasks(Role.VICTIM)) {
            List<Task> home = groups.stream().filter(g -> g.stream().anyMatch(o -> related(v, o, graph)))
                    .findFirst().orElse(null);
            if (home == null) {
                home = new ArrayList<>();
                groups.add(home);
            }
            home.add(v);
        }
        if (groups.size() < 2) {
            return List.of(new Part(List.of(), m.tasks(Role.VICTIM), m.tasks(Role.CONTEXT)));
        }
        List<Part> parts = new ArrayList<>();
        for (List<Task> g : groups) {
            parts.add(new Part(List.of(), g, m.tasks(Role.CONTEXT)));
        }
        return parts;
    }

    /**
     * Same process; or one waits (through others) for the other; or both wait on the same thing: the same kind of
     * resource, and the same cgroup, FUSE connection, pid namespace or userfaultfd when both are known (two
     * containers at their limits are two hangs).
     * Tasks that wait on nothing (an orphaned userfaultfd's owner) relate only through the first two.
     */
    private static boolean related(Task a, Task b, WaitGraph graph) {
        int ga = a.tgid() == null ? a.pid() : a.tgid();
        int gb = b.tgid() == null ? b.pid() : b.tgid();
        if (ga == gb || graph.transitiveHolders(a.pid()).contains(b.pid())
                || graph.transitiveHolders(b.pid()).contains(a.pid())) {
            return true;
        }
        Resource wa = graph.waitOf(a.pid());
        Resource wb = graph.waitOf(b.pid());
        if (wa == null || wb == null || wa.kind() != wb.kind()) {
            return false;
        }
        if (wa.kind() == ResourceKind.MEMORY && a.memoryCgroup() != null && b.memoryCgroup() != null) {
            return a.memoryCgroup().equals(b.memoryCgroup());
        }
        // two FUSE connections, two pid namespaces, two userfaultfds: two hangs when both waits name theirs
        if (wa.kind() == ResourceKind.FUSE_REPLY && wa.key().isEmpty() != wb.key().isEmpty()) {
            // a caller tied to its connection and one nothing ties (a flush whose fd is already closed, a host
            // without fusectl counts) are not thereby one hang: gluing them would let one finding swallow the other
            return false;
        }
        return wa.key().isEmpty() || wb.key().isEmpty() || wa.key().equals(wb.key());
    }

    private Built build(RuleMatch m, Part part, WaitGraph graph, Evidence evidence) {
        Rule rule = m.rule();
        List<Task> blockers = part.blockers();
        List<Task> victimsMatched = part.victims();
        Task root = null;
        if (!blockers.isEmpty()) {
            root = graph.rootCause(blockers);
        } else if (!victimsMatched.isEmpty()) {
            // the rule only recognised sufferers: follow their waits to whoever holds what they wait for
            Set<Task> holders = new LinkedHashSet<>();
            for (Task v : victimsMatched) {
                for (int h : graph.transitiveHolders(v.pid())) {
                    holders.add(graph.task(h));
                }
            }
            victimsMatched.forEach(holders::remove);
            root = holders.isEmpty() ? null : graph.rootCause(holders);
            if (root == null && rule.actions().isEmpty()) {
                // the waits end at a sufferer: others wait for what it holds (the hung-task detector named it the
                // lock's owner) while it waits for something no task in the evidence gives back. It is where the
                // chain ends, so it is the one to read first (only for findings that act on nothing)
                root = chainEnd(victimsMatched, graph);
            }
        }
        LockSpinHolder.Found spin = null;
        if (LOCKUPS.contains(rule.category()) && (root == null || LockSpinHolder.spins(root))) {
            // a lockup that names no task, or names the task spinning on a lock (a waiter at the lock's door): a spin
            // lock records no owner, but the one other task the report shows running inside the locked code most
            // likely holds it
            spin = LockSpinHolder.find(evidence);
            root = spin == null ? root : spin.holder();
        }
        Set<Integer> victimPids = new LinkedHashSet<>();
        victimsMatched.forEach(t -> victimPids.add(t.pid()));
        if (spin != null) {
            spin.spinners().forEach(t -> {
                if (t.pid() >= 0) {
                    victimPids.add(t.pid());
                }
            });
        }
        if (root != null) {
            victimPids.addAll(graph.transitiveWaiters(root.pid()));
            victimPids.remove(root.pid());
        }
        for (Task t : blockers) {
            // other tasks in the blocker's shape suffer the same way; they are not the one to act on
            if (root != null && t.pid() != root.pid()) {
                victimPids.add(t.pid());
            }
        }
        List<TaskRef> victims = victimPids.stream().map(pid -> refOf(pid, evidence)).filter(r -> r != null)
                .sorted(Comparator.comparingInt(TaskRef::pid)).toList();

        List<String> chain = chain(root, victimPids, graph);
        if (root == null && chain.isEmpty()) {
            // no blocker and no wait between the tasks shown: each victim's own wait for work done elsewhere (a
            // completion, async probes, a work flush) still says what it waits for
            chain = handedOffWaits(victimsMatched, List.of());
        }
        if (root != null && LOCKUPS.contains(rule.category())) {
            for (Task v : victimsMatched) {
                String wait = CrossCpuWaits.of(v);
                if (wait != null && CrossCpuWaits.of(root) == null) {
                    chain = new ArrayList<>(chain);
                    chain.add(CrossCpuWaits.sentence(v, wait, root));
                }
            }
        }
        if (spin != null) {
            chain = new ArrayList<>(chain);
            chain.add(spin.spinners().size() + " CPU(s) spin on a lock (in " + spin.lock() + "); " + describe(root)
                    + ", the one other task shown on a CPU (in " + Frames.whereRunning(root.frames())
                    + "), likely holds it");
        }
        List<String> ev = new ArrayList<>(m.evidence());
        // a match split into independent hangs: each finding keeps the lines about its own tasks only
        Set<Task> elsewhere = new LinkedHashSet<>();
        for (Role role : Role.values()) {
            elsewhere.addAll(m.tasks(role));
        }
        part.blockers().forEach(elsewhere::remove);
        part.victims().forEach(elsewhere::remove);
        part.context().forEach(elsewhere::remove);
        Integer rootPid = root == null ? null : root.pid();
        for (Task t : elsewhere) {
            if (!victimPids.contains(t.pid()) && !Integer.valueOf(t.pid()).equals(rootPid)) {
                String ref = TaskRef.of(t) + " ";
                ev.removeIf(l -> l.startsWith(ref));
            }
        }
        String rootResource = null;
        if (root != null) {
            Resource w = graph.waitOf(root.pid());
            rootResource = w == null ? null : w.describe();
        }
        Finding f = new Finding(rule.id(), rule.category(), rule.title(), round(m.confidence()),
                root == null || root.pid() < 0 ? null : TaskRef.of(root), blockerText(root, evidence), rootResource,
                victims, chain, ev, rule.explanation(), rule.fix(), rule.remediation(), rule.actions());
        // name the connection, cgroup or uffd behind it and fill the remediation's placeholders with them
        f = FindingResources.describe(f, evidence, graph);
        Set<Integer> involved = new LinkedHashSet<>(victimPids);
        if (root != null) {
            involved.add(root.pid());
        }
        part.context().forEach(t -> involved.add(t.pid()));
        Set<Integer> matched = new LinkedHashSet<>();
        part.blockers().forEach(t -> matched.add(t.pid()));
        part.victims().forEach(t -> matched.add(t.pid()));
        part.context().forEach(t -> matched.add(t.pid()));
        if (root != null) {
            matched.add(root.pid());
        }
        return new Built(f, involved, matched, root == null ? null : root.pid(), rule.supersedes());
    }

    /**
     * The waits of tasks asleep on locks whose owners the evidence does not give, said as what they are: waiters,
     * with the one to look for (the owner) outside the text.
     */
    private static List<String> unownedWaits(List<Task> unowned, WaitGraph graph) {
        List<String> lines = new ArrayList<>();
        for (Task t : unowned) {
            Resource w = graph.waitOf(t.pid());
            lines.add(describe(t) + " waits for " + w.describe() + " whose owner the evidence does not show (no owner"
                    + " line, no holder's stack): a waiter, not the cause; the owner is the task to find");
        }
        return lines;
    }

    /**
     * The waits of stuck tasks that wait for work done elsewhere (HandedOffWaits), and of kworkers whose stack is only
     * their work item, said as what they are; tasks with the same wait and caller fold into one sentence.
     */
    private static List<String> handedOffWaits(List<Task> blocked, List<Task> unowned) {
        Map<String, List<Task>> folded = new LinkedHashMap<>();
        Map<String, String> sentence = new HashMap<>();
        for (Task t : blocked) {
            if (unowned.contains(t)) {
                continue;
            }
            HandedOffWaits.Wait w = HandedOffWaits.of(t);
            String key = w != null ? w.function() + "<-" + w.caller()
                    : HandedOffWaits.onlyWorkFunction(t) ? "work:" + t.workFunction() : null;
            if (key != null) {
                folded.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
                sentence.putIfAbsent(key, w != null ? w.sentence(t) : HandedOffWaits.workOnly(t));
            }
        }
        List<String> lines = new ArrayList<>();
        folded.forEach((key, tasks) -> {
            String line = sentence.get(key);
            lines.add(tasks.size() < 2 ? line
                    : tasks.size() + " tasks like " + line.replaceFirst(" waits for ", " wait for ")
                            .replaceFirst(" runs the work item ", " run the work item "));
        });
        return lines;
    }

    /** The sufferer most others wait for (through any chain of waits), or null when none is waited for. */
    private static Task chainEnd(List<Task> victims, WaitGraph graph) {
        Task best = null;
        int most = 0;
        for (Task v : victims) {
            int waiters = v.pid() < 0 ? 0 : graph.transitiveWaiters(v.pid()).size();
            if (waiters > most) {
                most = waiters;
                best = v;
            }
        }
        return best;
    }

    /**
     * Sentences for each wait on the paths from the victims to the blocker, blocker last. Waiters with the same stack
     * and the same holder fold into one sentence ("32 tasks like loop0:906 (D) wait for ..."), as the stack groups do.
     */
    private static List<String> chain(Task root, Set<Integer> victims, WaitGraph graph) {
        if (root == null) {
            return List.of();
        }
        List<Integer> ordered = new ArrayList<>(victims);
        // longest paths first so the chain reads from the farthest victim to the blocker
        Map<Integer, List<Integer>> paths = new HashMap<>();
        for (int v : ordered) {
            paths.put(v, graph.path(v, root.pid()));
        }
        ordered.sort(Comparator.comparingInt((Integer v) -> paths.get(v).size()).reversed());
        Map<String, List<int[]>> folded = new LinkedHashMap<>();
        for (int v : ordered) {
            List<Integer> path = paths.get(v);
            for (int i = 0; i + 1 < path.size(); i++) {
                int waiter = path.get(i);
                int holder = path.get(i + 1);
                String key = stackKey(graph.task(waiter)) + "->" + holder;
                List<int[]> edges = folded.computeIfAbsent(key, k -> new ArrayList<>());
                if (edges.stream().noneMatch(e -> e[0] == waiter)) {
                    edges.add(new int[] {waiter, holder});
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<int[]> edges : folded.values()) {
            String line = edge(graph, edges.get(0)[0], edges.get(0)[1]);
            if (edges.size() > 1) {
                line = edges.size() + " tasks like " + line.replaceFirst(" waits for ", " wait for ");
            }
            lines.add(line);
        }
        Resource rootWait = graph.waitOf(root.pid());
        if (rootWait != null) {
            List<Integer> holders = graph.waitsFor(root.pid());
            String again = rootWait.kind() == ResourceKind.LOCK || rootWait.kind() == ResourceKind.RWSEM
                    ? LockRecursion.retaken(root.frames()) : null;
            if (holders.isEmpty() && again != null) {
                lines.add(describe(root) + " waits for " + rootWait.describe() + " that its own stack shows it holds"
                        + " already (" + again + "; the lock is not recursive): a self-deadlock");
            } else if (holders.isEmpty()) {
                lines.add(describe(root) + " waits for " + rootWait.describe() + ", which no task in the evidence can"
                        + " give back");
            } else {
                for (int h : holders) {
                    lines.add(edge(graph, root.pid(), h) + (graph.inCycle(root.pid()) ? " (a cycle: deadlock)" : ""));
                }
            }
        }
        return lines;
    }

    private static String stackKey(Task t) {
        StringBuilder sb = new StringBuilder(t.state().letter()).append('|');
        t.frames().forEach(f -> sb.append(f.function()).append(','));
        return sb.toString();
    }

    private static String edge(WaitGraph graph, int waiter, int holder) {
        Resource w = graph.waitOf(waiter);
        Task h = graph.task(holder);
        String hold = graph.holdsOf(holder).stream().filter(r -> w != null && w.matches(r)).findFirst()
                .map(r -> r.kind().holdPhrase()).orElse("holds it");
        return describe(graph.task(waiter)) + " waits for " + (w == null ? "?" : w.describe()) + "; "
                + describe(h) + " " + hold;
    }

    static String describe(Task t) {
        return TaskRef.of(t) + " (" + t.state().letter() + ")";
    }

    /**
     * True when an accepted finding already tells about all of b's tasks. Across categories that must come from the
     * accepted rule's own signals (or its blocker), not from waiters the graph added: a process that is both a FUSE
     * daemon and the owner of an orphaned userfaultfd has every waiter behind it, yet the two are two problems.
     */
    private static boolean covered(Built b, List<Built> accepted) {
        for (Built a : accepted) {
            if (WatchdogOrder.vaguer(a.finding, b.finding)) {
                continue; // a watchdog message reports the task; b may say why it spins
            }
            if (StorageLayerOrder.below(a.finding.category(), b.finding.category())) {
                continue; // the device under the filesystem is why; the filesystem's finding says where its tasks wait
            }
            if (b.involved.isEmpty()) {
                if (a.finding.category() == b.finding.category()) {
                    return true;
                }
            } else if (a.involved.containsAll(b.involved)
                    && (a.finding.category() == b.finding.category() || a.matched.containsAll(b.matched))) {
                return true;
            }
        }
        return false;
    }

    /**
     * "nfs: server X OK" after the last "not responding" of every server, and no hung-task report after it: the server
     * came back and the tasks waiting on it went on. Returns the sentence saying so, or null while any is still gone.
     */
    private static String nfsRecovered(Evidence evidence) {
        Map<String, KernelEvent> last = new LinkedHashMap<>();
        for (KernelEvent e : evidence.events(KernelEventKind.NFS_NOT_RESPONDING)) {
            String server = e.field("server");
            if (server != null) {
                last.put(server, e); // events are kept in log order
            }
        }
        if (last.isEmpty() || last.values().stream().anyMatch(e -> !"ok".equals(e.field("status")))) {
            return null;
        }
        double okAt = last.values().stream().mapToDouble(e -> e.timestamp() == null ? Double.MAX_VALUE : e.timestamp())
                .max().orElse(Double.MAX_VALUE);
        boolean hungAfter = evidence.events(KernelEventKind.HUNG_TASK).stream()
                .anyMatch(e -> e.timestamp() != null && okAt != Double.MAX_VALUE && e.timestamp() > okAt);
        if (hungAfter) {
            return null;
        }
        return "NFS server(s) " + String.join(", ", last.keySet()) + " answered again (\"nfs: server ... OK\") and no"
                + " task was reported hung after that";
    }

    /** Evidence that these tasks did not just pass through their wait: a hung-task report, a stuck window, a lockup. */
    private static boolean stuckLongEnough(Set<Integer> pids, Evidence evidence) {
        for (int pid : pids) {
            Task t = evidence.taskOrNull(pid);
            if (t == null) {
                continue;
            }
            if ((t.blockedSeconds() != null && t.blockedSeconds() > 0) || (t.stuckSeconds() != null && t.stuckSeconds() > 0)
                    || (t.lastRunNanos() != null && t.lastRunNanos() >= 10_000_000_000L)) {
                return true;
            }
        }
        return false;
    }

    private static Set<Integer> blockedPids(Evidence evidence) {
        Set<Integer> out = new LinkedHashSet<>();
        evidence.tasks().stream().filter(t -> t.state().isBlocked()).forEach(t -> out.add(t.pid()));
        return out;
    }

    /** How many levels of rules each rule supersedes (0: none), so the most specific explanation is tried first. */
    private Map<String, Integer> supersedesDepth() {
        Map<String, Rule> byId = new HashMap<>();
        kb.rules().forEach(r -> byId.put(r.id(), r));
        Map<String, Integer> depth = new HashMap<>();
        for (Rule r : kb.rules()) {
            depthOf(r.id(), byId, depth, new java.util.HashSet<>());
        }
        return depth;
    }

    private static int depthOf(String id, Map<String, Rule> byId, Map<String, Integer> depth, Set<String> path) {
        Integer known = depth.get(id);
        if (known != null) {
            return known;
        }
        Rule r = byId.get(id);
        if (r == null || !path.add(id)) {
            return 0; // unknown id, or a cycle in site rules
        }
        int d = 0;
        for (String s : r.supersedes()) {
            d = Math.max(d, 1 + depthOf(s, byId, depth, path));
        }
        path.remove(id);
        depth.put(id, d);
        return d;
    }

    /** A finding of a generic rule whose tasks overlap an accepted finding of a rule that supersedes it. */
    private static boolean supersededHere(Built b, RuleMatch m, List<Built> accepted) {
        for (Built a : accepted) {
            // a finding of log lines only (no task) cannot be placed apart from the specific one: it steps aside
            if (a.supersedes.contains(m.rule().id())
                    && (b.involved.isEmpty() || a.involved.stream().anyMatch(b.involved::contains))) {
                return true;
            }
        }
        return false;
    }

    /** No known problem matched, but tasks are stuck: still name the blocker the waits point to. */
    private static Built unclassified(WaitGraph graph, Evidence evidence) {
        List<Task> blocked = evidence.tasks().stream().filter(t -> t.state().isBlocked()
                || (evidence.savedReport() && SnapshotReport.sleepsWithoutState(t))).toList();
        if (blocked.isEmpty() && evidence.eventCount(KernelEventKind.HUNG_TASK) == 0) {
            return null;
        }
        List<Task> sinks = new ArrayList<>(graph.sinks());
        // a task asleep on a lock whose owner the text does not show is one of the waiters, not the one to blame
        List<Task> unowned = sinks.stream().filter(t -> graph.waitsOnUnknownOwner(t.pid()))
                .sorted(Comparator.comparingInt(Task::pid)).toList();
        sinks.removeAll(unowned);
        // a task asleep on anything else no task shown holds (a page lock, a device's I/O, a server's reply), with
        // nobody waiting on it, is a waiter too: what it waits for is outside the evidence
        List<Task> lone = sinks.stream().filter(t -> graph.waitOf(t.pid()) != null && graph.waitsFor(t.pid()).isEmpty()
                && graph.waitedOnBy(t.pid()).isEmpty() && !graph.inCycle(t.pid())
                && t.lockOwnerHints().stream().noneMatch(h -> h.ownerPid() != null)
                && LockRecursion.retaken(t.frames()) == null).toList();
        sinks.removeAll(lone);
        Task holder = likelyLockHolder(blocked, sinks, graph);
        if (holder != null && unowned.isEmpty()
                && (HandedOffWaits.of(holder) != null || HandedOffWaits.onlyWorkFunction(holder))) {
            // asleep until other code finishes its work (a completion, a work flush, the automount daemon), or a
            // kworker whose stack was cut after its work item, and no lock waiter is shown whose chain could end at
            // it: a waiter (or a task whose wait is not shown), not the one holding anything up
            holder = null;
        }
        if (holder != null) {
            sinks.add(holder);
        }
        Task root = sinks.isEmpty() ? null : graph.rootCause(sinks);
        Set<Integer> victims = new LinkedHashSet<>();
        blocked.forEach(t -> victims.add(t.pid()));
        if (root != null) {
            victims.addAll(graph.transitiveWaiters(root.pid()));
            victims.remove(root.pid());
        }
        List<TaskRef> refs = victims.stream().map(p -> refOf(p, evidence)).filter(r -> r != null)
                .sorted(Comparator.comparingInt(TaskRef::pid)).toList();
        List<String> waits = chain(root, victims, graph);
        if (root == null && !unowned.isEmpty()) {
            waits = unownedWaits(unowned, graph);
        }
        if (root == null) {
            waits = new ArrayList<>(waits);
            for (Task t : lone) {
                waits.add(describe(t) + " waits for " + graph.waitOf(t.pid()).describe() + ", which no task in the"
                        + " evidence is shown holding, and nothing waits for it: a waiter, not the cause");
            }
            waits.addAll(handedOffWaits(blocked, unowned));
        }
        List<String> ev = new ArrayList<>();
        ev.add(blocked.size() + " task(s) in D state (or asleep in a stack with no state); no known hang signature"
                + " matched");
        Finding f = genericFinding(root, refs, waits, ev, evidence);
        // the blocker is involved too: a lone stuck task is its own blocker, and its blocked time counts
        Set<Integer> involved = new LinkedHashSet<>(victims);
        if (root != null) {
            involved.add(root.pid());
        }
        return new Built(f, involved, new LinkedHashSet<>(victims), root == null ? null : root.pid(), List.of());
    }

    /**
     * Blocked tasks that no finding took and that wait, through holders the evidence names, for a task no finding
     * took either: the generic finding for them, its blocker where their waits end; or null. Only a chain the
     * evidence shows makes one (lone stuck tasks beside a named hang are shown in the stack groups, as before).
     */
    private static Built leftoverChain(WaitGraph graph, Evidence evidence, List<Built> accepted) {
        Set<Integer> taken = new HashSet<>();
        accepted.forEach(b -> taken.addAll(b.involved));
        Set<Task> holders = new LinkedHashSet<>();
        for (Task t : evidence.tasks()) {
            if (t.pid() < 0 || !t.state().isBlocked() || taken.contains(t.pid()) || graph.waitsFor(t.pid()).isEmpty()) {
                continue;
            }
            Set<Integer> up = graph.transitiveHolders(t.pid());
            if (up.stream().noneMatch(taken::contains)) {
                up.forEach(h -> holders.add(graph.task(h)));
            }
        }
        holders.remove(null);
        Task root = holders.isEmpty() ? null : graph.rootCause(holders);
        if (root == null || root.pid() < 0 || taken.contains(root.pid())) {
            return null;
        }
        Set<Integer> victims = new LinkedHashSet<>(graph.transitiveWaiters(root.pid()));
        victims.removeAll(taken);
        victims.remove(root.pid());
        if (victims.isEmpty()) {
            return null;
        }
        List<TaskRef> refs = victims.stream().map(p -> refOf(p, evidence)).filter(r -> r != null)
                .sorted(Comparator.comparingInt(TaskRef::pid)).toList();
        Finding f = genericFinding(root, refs, chain(root, victims, graph), List.of(victims.size()
                + " task(s) in D state wait for " + describe(root) + " through the locks the evidence shows;"
                + " no known hang signature matched"), evidence);
        Set<Integer> involved = new LinkedHashSet<>(victims);
        involved.add(root.pid());
        return new Built(f, involved, new LinkedHashSet<>(victims), root.pid(), List.of());
    }

    /** The finding of tasks stuck where no rule of the knowledge base recognises their stacks. */
    private static Finding genericFinding(Task root, List<TaskRef> victims, List<String> waits, List<String> ev,
            Evidence evidence) {
        return new Finding(UNCLASSIFIED, Category.OTHER,
                "Tasks stuck in uninterruptible sleep (no known signature)", 0.3,
                root == null || root.pid() < 0 ? null : TaskRef.of(root), blockerText(root, evidence), null, victims, waits, ev,
                "Tasks sleep in D state and no rule of the knowledge base recognises their stacks. The grouped stacks"
                        + " below show where they wait; the wait-for chain, when there is one, ends at the blocker.",
                new Finding.Fix(List.of(), List.of(), List.of(), null),
                List.of("Read the largest D-state group's innermost frames to see what it waits on",
                        "Capture evidence for later: echo w > /proc/sysrq-trigger; dmesg > blocked.txt"), List.of());
    }

    /**
     * When no wait leads from one stuck task to another: the one named stuck task whose stack shows where it is
     * (a driver or subsystem path) but no lock wait, or null. Lock waiters wait for a task; a task stuck elsewhere
     * (napi_disable's msleep loop, kernfs draining a sysfs file, a completion) is where such chains end: the
     * kernel's own lock-owner hints name that task in the reports that have them. With two or more such tasks
     * nothing says which one, so none is named. (A task asleep on work done elsewhere is kept only where lock
     * waiters are shown: alone, it is a waiter; see HandedOffWaits.)
     */
    private static Task likelyLockHolder(List<Task> blocked, List<Task> sinks, WaitGraph graph) {
        if (sinks.stream().anyMatch(t -> !graph.waitedOnBy(t.pid()).isEmpty())) {
            return null; // the waits already end somewhere
        }
        Task only = null;
        for (Task t : blocked) {
            if (t.pid() < 0 || graph.waitOf(t.pid()) != null || sinks.contains(t)
                    || t.frames().stream().allMatch(f -> f.unreliable() || Frames.isGeneric(f.function()))) {
                continue;
            }
            if (only != null) {
                return null;
            }
            only = t;
        }
        return only;
    }

    /** The blocker in words: a named task, a stack without a pid, or a CPU stuck in an interrupt. */
    static String blockerText(Task root, Evidence evidence) {
        if (root == null) {
            return "no single task: see the explanation";
        }
        String where = root.state().isBlocked() || root.state() == TaskState.SLEEPING
                ? Frames.whereSleeping(root.frames()) : Frames.whereRunning(root.frames());
        boolean irq = root.frames().stream().anyMatch(f -> f.context() != dev.hangdoctor.model.StackContext.TASK);
        if (root.pid() >= 0) {
            return describe(root) + " in " + where;
        }
        if (irq) {
            String cpu = root.cpu() != null ? "CPU " + root.cpu() : cpuFromLockup(evidence);
            return (cpu == null ? "a CPU" : cpu) + " in interrupt context: " + where
                    + " (no task is to blame; the code runs with interrupts off)";
        }
        return "a task whose pid the evidence does not give (" + (root.source() == null ? "pasted stack"
                : root.source()) + "), in " + where;
    }

    private static String cpuFromLockup(Evidence evidence) {
        for (KernelEventKind k : List.of(KernelEventKind.HARD_LOCKUP, KernelEventKind.SOFT_LOCKUP)) {
            for (KernelEvent e : evidence.events(k)) {
                if (e.cpu() != null) {
                    return "CPU " + e.cpu();
                }
            }
        }
        return null;
    }

    private static TaskRef refOf(int pid, Evidence evidence) {
        Task t = evidence.taskOrNull(pid);
        return t == null ? null : TaskRef.of(t);
    }

    private static List<String> logLines(Evidence evidence) {
        List<KernelEvent> all = new ArrayList<>();
        for (KernelEvent e : evidence.allEvents()) {
            if (e.kind() != KernelEventKind.OTHER && e.kind() != KernelEventKind.KERNEL_VERSION) {
                all.add(e);
            }
        }
        all.sort(Comparator.comparing((KernelEvent e) -> e.timestamp() == null ? Double.MAX_VALUE : e.timestamp()));
        List<String> out = new ArrayList<>();
        // one line may be two events (2.6.32's panic "Watchdog detected hard LOCKUP on cpu 2" is the panic and the
        // lockup): the log shows the line once
        Set<String> shown = new HashSet<>();
        for (KernelEvent e : all) {
            if (out.size() >= MAX_LOG_LINES) {
                break;
            }
            if (e.source() != null && !shown.add(e.source() + '\n' + e.message())) {
                continue;
            }
            out.add((e.timestamp() == null ? "" : String.format("[%12.6f] ", e.timestamp())) + e.message());
        }
        return out;
    }

    private static List<String> goroutines(Evidence evidence) {
        List<Goroutine> long_ = new ArrayList<>();
        for (Goroutine g : evidence.goroutines()) {
            if (g.waitMinutes() != null && g.waitMinutes() >= GOROUTINE_MINUTES) {
                long_.add(g);
            }
        }
        long_.sort(Comparator.comparingLong((Goroutine g) -> g.waitMinutes()).reversed());
        List<String> out = new ArrayList<>();
        for (Goroutine g : long_.subList(0, Math.min(10, long_.size()))) {
            out.add("goroutine " + g.id() + " [" + g.waitReason() + ", " + g.waitMinutes() + " minutes] in "
                    + g.topUserFunction() + callerSummary(g));
        }
        return out;
    }

    /**
     * What the stuck call was for: the innermost frame of the program's own code (the module of the goroutine's
     * outermost frame), when the goroutine sits in library code ("...DockerRuntime).Kill" below net/http).
     */
    static String callerSummary(Goroutine g) {
        List<String> fns = g.functions().stream().filter(f -> !f.startsWith("created by")).toList();
        if (fns.isEmpty()) {
            return "";
        }
        String program = module(fns.get(fns.size() - 1));
        if (module(fns.get(0)).equals(program)) {
            return ""; // stuck in its own code: the top frame already says where
        }
        for (String f : fns) {
            if (module(f).equals(program)) {
                return " (called from " + f + ")";
            }
        }
        return "";
    }

    /** "github.com/org/repo" of "github.com/org/repo/pkg.(*T).M"; "net" of "net/http.send" (the standard library). */
    private static String module(String function) {
        String[] parts = function.split("/");
        int n = parts[0].contains(".") ? Math.min(3, parts.length) : 1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String part = i == parts.length - 1 ? parts[i].split("\\.", 2)[0] : parts[i];
            sb.append(i == 0 ? "" : "/").append(part);
        }
        return sb.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
