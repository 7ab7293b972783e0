package dev.hangdoctor.watch;

import dev.hangdoctor.config.BuildInfo;
import dev.hangdoctor.diagnose.Category;
import dev.hangdoctor.diagnose.Diagnoser;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.diagnose.kb.RemedyIds;
import dev.hangdoctor.diagnose.kb.Rule;
import dev.hangdoctor.guard.GuardEvent;
import dev.hangdoctor.model.KernelEventKind;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's Prometheus metrics, in a registry of its own. Gauges of state (tasks by state, stuck tasks by
 * signature, open incidents by signature and kernel) are read from the agent at scrape time, so a label set that no
 * longer applies disappears instead of lingering at its last value.
 */
public final class WatchMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter incidentsOpened;
    private final Counter incidentsResolved;
    private final Counter guardActions;
    private final Counter remediations;
    private final Counter kernelEvents;
    private final Counter scanWarnings;
    private final Histogram scanDuration;
    private final Map<String, String> categories = new java.util.concurrent.ConcurrentHashMap<>();

    WatchMetrics(Supplier<CheapSampler.Sample> sample, Supplier<Diagnosis> diagnosis, IncidentTracker tracker,
                 KnowledgeBase kb, String kernelRelease) {
        BuildInfo build = BuildInfo.current();
        Info.builder().name("hangdoctor_build_info").help("The agent's version, commit and knowledge-base version")
                .labelNames("version", "commit", "kb_version").register(registry)
                .setLabelValues(build.version(), build.commit(), build.kbVersion());
        Info.builder().name("hangdoctor_node_info").help("The node the agent runs on: its kernel release")
                .labelNames("kernel").register(registry).setLabelValues(kernelRelease);
        GaugeWithCallback.builder().name("hangdoctor_tasks").help("Tasks (threads) on the host by state letter")
                .labelNames("state").callback(cb -> {
                    CheapSampler.Sample s = sample.get();
                    if (s != null) {
                        s.byState().forEach((state, n) -> cb.call(n, String.valueOf(state)));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("hangdoctor_stuck_tasks")
                .help("Tasks stuck in each diagnosed hang (blocker and victims) at the last full scan")
                .labelNames("signature", "category").callback(cb -> {
                    Diagnosis d = diagnosis.get();
                    if (d != null) {
                        // several independent hangs of one signature (one per FUSE connection, per cgroup) are one
                        // series: a label set given twice would fail the whole scrape
                        Map<List<String>, Integer> bySignature = new java.util.LinkedHashMap<>();
                        for (Finding f : d.findings()) {
                            bySignature.merge(List.of(f.signature(), f.category().id()),
                                    f.victims().size() + (f.rootCause() != null ? 1 : 0), Integer::sum);
                        }
                        bySignature.forEach((k, n) -> cb.call(n, k.get(0), k.get(1)));
                    }
                }).register(registry);
        // not "..._in_d_...": a lone "d" reads as the unit days to promtool and to people
        GaugeWithCallback.builder().name("hangdoctor_tasks_stuck_uninterruptible")
                .help("Tasks the cheap sample has seen in D for at least the threshold")
                .callback(cb -> {
                    CheapSampler.Sample s = sample.get();
                    cb.call(s == null ? 0 : s.stuckTasks());
                }).register(registry);
        GaugeWithCallback.builder().name("hangdoctor_incidents_open")
                .help("Open incidents by finding signature, category and kernel release")
                .labelNames("signature", "category", "kernel").callback(cb -> {
                    for (Map.Entry<List<String>, Integer> e : tracker.openBySignature().entrySet()) {
                        cb.call(e.getValue(), e.getKey().get(0), e.getKey().get(1), e.getKey().get(2));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("hangdoctor_fuse_waiting_requests")
                .help("FUSE requests waiting for an answer, all connections").callback(cb -> {
                    CheapSampler.Sample s = sample.get();
                    cb.call(s == null ? 0 : s.fuseWaiting());
                }).register(registry);
        GaugeWithCallback.builder().name("hangdoctor_memcgs_under_oom")
                .help("cgroup v1 memory cgroups with under_oom set").callback(cb -> {
                    CheapSampler.Sample s = sample.get();
                    cb.call(s == null ? 0 : s.memcgsUnderOom());
                }).register(registry);
        GaugeWithCallback.builder().name("hangdoctor_uffd_pending_faults")
                .help("Page faults pending on the host's userfaultfds").callback(cb -> {
                    CheapSampler.Sample s = sample.get();
                    cb.call(s == null ? 0 : s.uffdPending());
                }).register(registry);
        GaugeWithCallback.builder().name("hangdoctor_load1").help("1-minute load average").callback(cb -> {
            CheapSampler.Sample s = sample.get();
            if (s != null && s.load1() != null) {
                cb.call(s.load1());
            }
        }).register(registry);
        GaugeWithCallback.builder().name("hangdoctor_pressure_some_avg10")
                .help("PSI 'some' avg10 by resource, percent").labelNames("resource").callback(cb -> {
                    CheapSampler.Sample s = sample.get();
                    if (s != null) {
                        s.pressureSome10().forEach((r, v) -> cb.call(v, r));
                    }
                }).register(registry);
        incidentsOpened = Counter.builder().name("hangdoctor_incidents_opened_total").help("Incidents opened")
                .labelNames("signature", "category").register(registry);
        incidentsResolved = Counter.builder().name("hangdoctor_incidents_resolved_total").help("Incidents resolved")
                .labelNames("signature", "category").register(registry);
        scanWarnings = Counter.builder().name("hangdoctor_scan_warnings_total")
                .help("Warnings of full scans by kind: what the scan could not read").labelNames("kind")
                .register(registry);
        guardActions = Counter.builder().name("hangdoctor_guard_actions_total")
                .help("OOM guard actions by kind (KILLED, WOULD_KILL, ...)").labelNames("kind").register(registry);
        remediations = Counter.builder().name("hangdoctor_remediations_total")
                .help("Automatic remedies by action and result").labelNames("action", "result").register(registry);
        kernelEvents = Counter.builder().name("hangdoctor_kernel_hang_events_total")
                .help("Hang reports followed from /dev/kmsg by kind").labelNames("kind").register(registry);
        scanDuration = Histogram.builder().name("hangdoctor_scan_duration_seconds")
                .help("Time per scan: the cheap sample every interval, the full scan when triggered")
                .labelNames("kind").classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        JvmMetrics.builder().register(registry);
        for (Rule r : kb.rules()) {
            categories.put(r.id(), r.category().id());
        }
        categories.put(Diagnoser.UNCLASSIFIED, Category.OTHER.id());
        categories.forEach((sig, cat) -> {
            incidentsOpened.initLabelValues(sig, cat);
            incidentsResolved.initLabelValues(sig, cat);
        });
        for (GuardEvent.Kind k : GuardEvent.Kind.values()) {
            guardActions.initLabelValues(k.name());
        }
        for (String a : RemedyIds.ALL) {
            for (String result : AutoRemediator.RESULTS) {
                remediations.initLabelValues(a, result);
            }
        }
        for (KernelEventKind k : KernelLogWatch.HANG_KINDS) {
            kernelEvents.initLabelValues(k.name());
        }
        for (ScanWarnings.Kind k : ScanWarnings.Kind.values()) {
            scanWarnings.initLabelValues(k.label());
        }
        for (String kind : List.of("cheap", "full")) {
            scanDuration.initLabelValues(kind);
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    void scan(String kind, long nanos) {
        scanDuration.labelValues(kind).observe(nanos / 1e9);
    }

    void opened(String signature, String category) {
        incidentsOpened.labelValues(signature, category(signature, category)).inc();
    }

    void resolved(String signature, String category) {
        incidentsResolved.labelValues(signature, category(signature, category)).inc();
    }

    /** One full scan's warnings, counted by kind. */
    void scanWarnings(List<String> warnings) {
        for (String w : warnings) {
            scanWarnings.labelValues(ScanWarnings.kind(w).label()).inc();
        }
    }

    private String category(String signature, String given) {
        // an incident read back from an older state dir may lack its category: the knowledge base knows it
        return given != null ? given : categories.getOrDefault(signature, Category.OTHER.id());
    }

    /** One OOM guard event, by its kind's name. */
    public void guardAction(String kind) {
        guardActions.labelValues(kind).inc();
    }

    void remediation(String action, String result) {
        remediations.labelValues(action, result).inc();
    }

    void kernelEvent(String kind) {
        kernelEvents.labelValues(kind).inc();
    }
}
