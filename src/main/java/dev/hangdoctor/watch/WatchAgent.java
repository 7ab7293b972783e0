package dev.hangdoctor.watch;

import dev.hangdoctor.collect.HeldBundle;
import dev.hangdoctor.collect.KmsgReader;
import dev.hangdoctor.collect.KernelHistory;
import dev.hangdoctor.collect.LiveSampler;
import dev.hangdoctor.collect.ProcTreeReader;
import dev.hangdoctor.collect.TimedReader;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;

import dev.hangdoctor.act.AuditLog;
import dev.hangdoctor.act.FuseControlMount;
import dev.hangdoctor.guard.GuardConfig;
import dev.hangdoctor.guard.OomGuard;
import dev.hangdoctor.report.AgentStatus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * `hangdoctor watch` itself: a loop that takes a {@link CheapSampler} sample every interval, follows the kernel log,
 * and runs a full scan (the same {@link LiveSampler} + {@link Diagnoser} as `scan --save`) when something has looked
 * stuck for the threshold, when the kernel reports a hang, and every few seconds while an incident is open, so the
 * incident updates and resolves. Serves the read-only JSON API and the metrics. Never blocks on the host: every
 * file read goes through a {@link TimedReader}.
 */
public final class WatchAgent implements AutoCloseable {
    /**
     * Longest time an unchanged hang goes without a full scan: the incident's lastSeenAt moves at least this often.
     * A full scan of a 10 000-thread host costs over a second of CPU, so scanning a hang that has not changed every
     * few seconds would cost more than all the cheap samples together.
     */
    static final java.time.Duration UNCHANGED_RESCAN = java.time.Duration.ofMinutes(5);
    /**
     * The most threads of one process a full scan reads (its leader, its threads in D and every thread of a FUSE or
     * userfaultfd server's among them): the cheap sample has already seen every thread's state, and each thread
     * read is files in the incident's bundle, which cost far more to write than to read.
     */
    static final int THREADS_PER_PROCESS = 500;
    private static final Set<KernelEventKind> OOM_KILLS = java.util.EnumSet.of(KernelEventKind.OOM_KILLED,
            KernelEventKind.OOM_KILL_CHOSEN);
    /** The cool-down key of kernel OOM-kill reports. */
    private static final String OOM_KEY = "kernel:oom-kill";
    private final WatchConfig cfg;
    private final Consumer<String> log;
    private final IncidentStore store;
    private final IncidentTracker tracker;
    private final WatchMetrics metrics;
    private final CheapSampler sampler;
    private final DiagnosisPipeline pipeline;
    private final AutoRemediator remediator;
    private final KernelLogWatch kmsg;
    private final Timeline timeline;
    private final Map<String, Long> quietUntil = new HashMap<>();
    private final Set<String> fixRequests = new LinkedHashSet<>();
    private WatchApi api;
    private CheckSocket checkSocket;
    private Thread loop;
    private OomGuard guard;
    private volatile boolean running;
    private volatile boolean scanRequested;
    private volatile CheapSampler.Sample lastSample;
    private volatile long lastSampleAt;
    private volatile Diagnosis lastDiagnosis;
    private volatile Instant lastScanAt;
    private volatile long fullScans;
    private long lastFull = Long.MIN_VALUE / 2;
    private long lastFullNanos;
    /** The cheap sample's {@link CheapSampler#stuckPrint} when the last full scan started. */
    private long scannedPrint;
    /** The last full scan found a hang and saw every open incident again (none is on its way to resolving). */
    private boolean scannedSettled;

    public WatchAgent(WatchConfig cfg, Consumer<String> log) throws IOException {
        this.cfg = cfg.validated();
        this.log = log;
        this.store = new IncidentStore(cfg.stateDir());
        store.clearTmp();
        this.tracker = new IncidentTracker(store, cfg.resolveAfter(), cfg.maxIncidents(), cfg.maxBytes(),
                w -> log.accept("warning: " + w));
        this.pipeline = DiagnosisPipeline.withRules(cfg.rules());
        cfg.checkSignatures(pipeline.signatures());
        this.metrics = new WatchMetrics(() -> lastSample, () -> lastDiagnosis, tracker, pipeline.knowledgeBase(),
                kernelRelease(cfg.root()));
        this.sampler = new CheapSampler(cfg.root(), cfg.stuckAfter(), cfg.threadReadsPerInterval(), new TimedReader(16));
        this.remediator = new AutoRemediator(cfg.root(), cfg.stateDir(), tracker, metrics, log);
        this.kmsg = cfg.kmsgDevice() == null ? null : new KernelLogWatch(cfg.kmsgDevice(), cfg.kmsgHold());
        this.timeline = new Timeline(cfg.interval());
    }

    /** Starts the kernel-log follower, the API and the loop; returns once they run. */
    public synchronized WatchAgent start() throws IOException {
        if (running) {
            return this;
        }
        running = true;
        // a watcher blind to every FUSE hang is worse than none: mount fusectl where it is missing, as systemd does
        String fusectl = FuseControlMount.ensure(cfg.root(), this::auditLog);
        if (fusectl != null) {
            log.accept(fusectl);
            if (!fusectl.startsWith("mounted")) {
                // blind to FUSE hangs: counted at once, not only when a full scan (which may never come) warns
                metrics.scanWarnings(List.of(ProcTreeReader.FUSECTL_MISSING));
            }
        }
        if (kmsg != null) {
            kmsg.start(cfg.root().resolve("proc"));
        }
        if (cfg.guard() != null) {
            // the OOM guard polls on its own thread (milliseconds matter against a fast hog); the agent only starts
            // it, feeds its events to the log and the metrics, and stops it on close
            GuardConfig gc = GuardConfig.from(cfg.guard());
            AuditLog audit = gc.dryRun() ? null : auditLog();
            guard = new OomGuard(cfg.root(), gc, audit, event -> {
                metrics.guardAction(event.kind().name());
                log.accept("guard: " + event.line());
            });
            guard.start();
        }
        InetSocketAddress addr = cfg.listenAddress();
        if (addr != null) {
            api = WatchApi.start(addr, this, cfg);
        }
        try {
            checkSocket = CheckSocket.open(cfg.stateDir().resolve(CheckSocket.FILE), this::checkAnswer);
        } catch (IOException | RuntimeException e) {
            log.accept("warning: no socket for `hangdoctor check` (" + e.getMessage() + "); check will scan by itself");
        }
        loop = new Thread(this::run, "hangdoctor-watch");
        loop.setDaemon(true);
        loop.start();
        log.accept("watching: interval " + cfg.interval().toMillis() + " ms, stuck after " + cfg.stuckAfter().toMillis()
                + " ms, state in " + store.stateDir() + (api == null ? "" : ", API on http://" + hostPort(api.address()))
                + ", " + tracker.size() + " incident(s) on record");
        return this;
    }

    private AuditLog auditLog() {
        try {
            return new AuditLog(cfg.stateDir());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("state directory " + cfg.stateDir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        if (guard != null) {
            guard.close();
        }
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (api != null) {
            api.close();
        }
        if (checkSocket != null) {
            checkSocket.close();
        }
        if (kmsg != null) {
            kmsg.close();
        }
        // a scan cut short by the interrupt may leave its bundle behind: the state directory keeps no scan of a
        // stopped agent
        if (t == null || !t.isAlive()) {
            store.clearTmp();
        }
    }

    public IncidentTracker tracker() { return tracker; }

    /** The diagnosis pipeline with the configured site rules (the API diagnoses stored bundles through it). */
    public DiagnosisPipeline pipeline() { return pipeline; }
    public WatchMetrics metrics() { return metrics; }
    public Diagnosis lastDiagnosis() { return lastDiagnosis; }
    public Instant lastScanAt() { return lastScanAt; }
    public CheapSampler.Sample lastSample() { return lastSample; }
    public long fullScans() { return fullScans; }
    public WatchConfig config() { return cfg; }
    /** The last hour of cheap samples, for the dashboard. */
    public Timeline timeline() { return timeline; }

    /** Where the API listens (the real port when 0 was asked), or null when it is off. */
    public InetSocketAddress apiAddress() {
        return api == null ? null : api.address();
    }

    /** True while the loop takes samples on time: a sample no older than five intervals (at least 10 s). */
    public boolean healthy() {
        long age = System.nanoTime() - lastSampleAt;
        long limit = Math.max(cfg.interval().toNanos() * 5, 10_000_000_000L) + cfg.scanDeadline().toNanos();
        return running && lastSample != null && age < limit;
    }

    /**
     * The answer `hangdoctor check` gets over the check socket: "1 HANG ..." for the oldest open incident (and how many
     * more), "0 OK: no hang", or "- ..." when this agent is not sampling and check should scan by itself.
     */
    String checkAnswer() {
        if (!healthy()) {
            return "- agent not sampling (last sample " + sampleAgeMillis() + " ms ago)";
        }
        List<Incident> open = tracker.open();
        if (open.isEmpty()) {
            return "0 " + Summary.OK;
        }
        Incident first = open.get(0);
        for (Incident i : open) {
            if (i.openedAt.isBefore(first.openedAt)) {
                first = i;
            }
        }
        String line = first.summary() + (open.size() > 1 ? " (+" + (open.size() - 1) + " more)" : "");
        return "1 " + Summary.fit(line, Summary.NPD_MAX_BYTES);
    }

    /** What the API shows: health, the last sample's counts and the last full scan's diagnosis. */
    public AgentStatus status() {
        CheapSampler.Sample s = lastSample;
        Instant scannedAt = lastScanAt;
        Diagnosis d = lastDiagnosis;
        return new AgentStatus(healthy(), sampleAgeMillis(), tracker.open().size(), s == null ? null : counts(s),
                scannedAt, d);
    }

    private static AgentStatus.SampleCounts counts(CheapSampler.Sample s) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        s.byState().forEach((k, v) -> byState.put(String.valueOf(k), v));
        return new AgentStatus.SampleCounts(s.tasks(), byState, s.stuckTasks(), s.fuseWaiting(), s.memcgsUnderOom(),
                s.uffdPending(), s.load1(), s.triggers().stream().map(CheapSampler.Trigger::reason).toList());
    }

    /** Milliseconds since the last cheap sample, or -1 before the first. */
    public long sampleAgeMillis() {
        return lastSample == null ? -1 : (System.nanoTime() - lastSampleAt) / 1_000_000;
    }

    /** Asks for a full scan at the next interval. */
    public void requestScan() {
        scanRequested = true;
    }

    /** Asks for the remedy of an open incident at the next full scan (API, with actions allowed). */
    public synchronized void requestFix(String id) {
        fixRequests.add(id);
        scanRequested = true;
    }

    private void run() {
        while (running) {
            long t0 = System.nanoTime();
            try {
                tick(t0);
            } catch (RuntimeException e) {
                log.accept("warning: " + e);
            }
            long sleep = t0 + cfg.interval().toNanos() - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    if (!running) {
                        return;
                    }
                }
            }
        }
    }

    private void tick(long now) {
        CheapSampler.Sample s = sampler.sample();
        lastSample = s;
        lastSampleAt = System.nanoTime();
        metrics.scan("cheap", s.nanos());
        timeline.add(Instant.now(), s.byState().getOrDefault('D', 0), s.load1(), s.pressureSome10().get("memory"));
        List<String> reasons = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, Long>> it = quietUntil.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() - now <= 0) {
                it.remove();
            }
        }
        // the hang the last full scan saw, still stuck exactly as it was: another scan would only say the same again.
        // Whatever changes (a task leaves D or another joins, a FUSE connection drains) ends this at once; hangs
        // only the kernel log shows (nothing stuck in the cheap sample) keep the rescan cadence below.
        long print = sampler.stuckPrint();
        boolean unchanged = scannedSettled && print != 0 && print == scannedPrint
                && now - lastFull < UNCHANGED_RESCAN.toNanos();
        for (CheapSampler.Trigger t : s.triggers()) {
            if (!unchanged && !quietUntil.containsKey(t.key())) {
                reasons.add(t.reason());
                keys.add(t.key());
            }
        }
        if (kmsg != null) {
            for (KernelEvent e : kmsg.takeHangEvents()) {
                metrics.kernelEvent(e.kind().name());
                if (OOM_KILLS.contains(e.kind())) {
                    // OOM kills come in bursts on a busy host and are mostly harmless: once a scan found nothing
                    // behind one, more of them wait out the cool-down like any other condition. An OOM kill that
                    // does hang the host leaves tasks in D or a memory cgroup under OOM, which trigger on their own.
                    if (quietUntil.containsKey(OOM_KEY)) {
                        continue;
                    }
                    if (!keys.contains(OOM_KEY)) {
                        keys.add(OOM_KEY);
                    }
                }
                if (reasons.size() < 30) {
                    reasons.add("kernel: " + e.message());
                }
            }
        }
        // a full scan of a big host costs seconds of CPU: rescan open incidents no more often than three times its
        // cost, but at least every 30 s so incidents still resolve promptly
        long rescan = Math.max(cfg.rescanEvery().toNanos(), Math.min(lastFullNanos * 3, 30_000_000_000L));
        boolean due = !tracker.open().isEmpty() && now - lastFull >= rescan && !unchanged;
        boolean asked = scanRequested;
        if (reasons.isEmpty() && !due && !asked) {
            return;
        }
        scanRequested = false;
        if (!reasons.isEmpty()) {
            log.accept("full scan: " + String.join("; ", reasons));
        }
        scannedPrint = print;
        Diagnosis d = fullScan(reasons, now);
        // a condition already scanned for is not a reason again until the rescan period (hang found) or the
        // cool-down (nothing found) has passed
        long quiet = (d != null && d.hangFound() ? cfg.rescanEvery() : cfg.cooldown()).toNanos();
        for (String k : keys) {
            quietUntil.put(k, System.nanoTime() + quiet);
        }
    }

    private Diagnosis fullScan(List<String> reasons, long now) {
        lastFull = now;
        long t0 = System.nanoTime();
        Path dir = null;
        HeldBundle held = null;
        try {
            dir = store.newScanDir(fullScans + 1);
            // the bundle stays in memory unless an incident opens: most scans of a hung host only update one, and
            // files cost system time to create (packed, a file a process: still about as much as the read). No pass
            // over every task's state first: the cheap sample names the tasks in D (it reads each of them every
            // interval) and the scan reads them first, and knows which processes have many threads (read after the
            // others) and the thread ids of those too big to be read whole (their task/ is not listed again).
            held = new HeldBundle(dir, HeldBundle.DEFAULT_MAX_BYTES);
            Evidence ev = new LiveSampler(cfg.root(), scanOptions(cfg, sampler, held)).scan();
            if (kmsg != null) {
                KmsgReader.Result r = kmsg.recent();
                if (!r.lines().isEmpty()) {
                    // as scan does: a task the log names counts only as it is now, and reports of tasks gone or
                    // running again are history, not a reason for an incident
                    ev.mergeLogIntoLive(r.toEvidence());
                    KernelHistory clock = KernelHistory.now(cfg.root().resolve("proc"));
                    clock.retire(ev);
                    held.add(KmsgReader.SAVED_FILE, r.text());
                    held.add(KernelHistory.FILE, clock.format());
                }
            }
            Diagnosis d = pipeline.diagnose(ev);
            fullScans++;
            lastDiagnosis = d;
            lastScanAt = Instant.now();
            lastFullNanos = System.nanoTime() - t0;
            metrics.scan("full", lastFullNanos);
            metrics.scanWarnings(ev.warnings());
            Path bundleDir = dir;
            HeldBundle bundle = held;
            IncidentTracker.Changes c = tracker.apply(d, ev, () -> keep(bundle, bundleDir), reasons, Instant.now());
            scannedSettled = d.hangFound() && c.opened().size() + c.updated().size() == tracker.open().size();
            for (Incident i : c.opened()) {
                metrics.opened(i.signature(), i.category());
                log.accept("incident " + i.id() + " opened: " + i.summary());
            }
            for (Incident i : c.resolved()) {
                metrics.resolved(i.signature(), i.category());
                log.accept("incident " + i.id() + " resolved after " + (i.resolvedAt().getEpochSecond()
                        - i.openedAt().getEpochSecond()) + " s: " + i.summary());
            }
            remediator.verify(d);
            List<Incident> act = new ArrayList<>();
            Set<String> asked;
            synchronized (this) {
                asked = new LinkedHashSet<>(fixRequests);
                fixRequests.clear();
            }
            for (Incident i : tracker.open()) {
                if (cfg.remediates(i.signature()) || asked.contains(i.id())) {
                    act.add(i);
                }
            }
            if (!act.isEmpty()) {
                remediator.act(act, d, ev);
            }
            return d;
        } catch (IOException | RuntimeException e) {
            scannedSettled = false;
            log.accept("warning: full scan failed: " + e);
            return null;
        } finally {
            if (held != null) {
                held.drop();
            }
            if (dir != null) {
                IncidentStore.deleteTree(dir);
            }
        }
    }

    /** The options of the agent's full scan (also what bench/agent-scan-cost.sh measures). */
    static LiveSampler.Options scanOptions(WatchConfig cfg, CheapSampler sampler, HeldBundle held) {
        return LiveSampler.Options.defaults().withWindow(cfg.scanWindow())
                .withDeadline(cfg.scanDeadline()).withKmsgDevice(null).withHeldBundle(held)
                .withHotPids(sampler.hotPids()).withStatePass(false).withMaxThreadsPerProcess(THREADS_PER_PROCESS)
                .withThreadCounts(sampler.threadCounts()).withKnownThreads(sampler.threadIds(THREADS_PER_PROCESS));
    }

    /** Writes a held bundle to its directory for an incident that opens; null (and a warning) when it cannot. */
    private Path keep(HeldBundle bundle, Path dir) {
        try {
            bundle.write();
            return dir;
        } catch (IOException | RuntimeException e) {
            log.accept("warning: the scan's bundle could not be written under " + dir + ": " + e.getMessage());
            return null;
        }
    }

    /** The running kernel's release (/proc/sys/kernel/osrelease never blocks), or "unknown". */
    static String kernelRelease(Path root) {
        try {
            String r = java.nio.file.Files.readString(root.resolve("proc/sys/kernel/osrelease")).trim();
            return r.isEmpty() || r.length() > 200 ? "unknown" : r;
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String hostPort(InetSocketAddress a) {
        String h = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
