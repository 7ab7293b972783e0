package dev.hangdoctor.watch;

import dev.hangdoctor.collect.ProcFixtures;
import dev.hangdoctor.collect.ProcTreeReader;
import dev.hangdoctor.config.BuildInfo;
import dev.hangdoctor.deploy.PromTools;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.diagnose.kb.Rule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics a fleet aggregates: zeros for every known signature, build and node series, promtool's lint. */
class WatchMetricsTest {
    @TempDir
    Path tmp;

    private WatchAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private String scrapeAfterIncident() throws Exception {
        WatchConfig cfg = WatchConfig.defaults().withRoot(ProcFixtures.copyBundle(tmp.resolve("host")))
                .withStateDir(tmp.resolve("state")).withListen("off").withKmsgDevice(null)
                .withInterval(Duration.ofMillis(200)).withStuckAfter(Duration.ofHours(1));
        agent = new WatchAgent(cfg, l -> { }).start();
        agent.requestScan();
        // the tracker holds an incident a moment before the scan that opened it has counted it (the incident's files
        // are written in between), so wait for the count, not for the tracker
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String m = scrape();
        while (!OPENED_ONE.matcher(m).find() && System.nanoTime() < end) {
            Thread.sleep(100);
            m = scrape();
        }
        assertThat(agent.tracker().size()).isPositive();
        return m;
    }

    private static final Pattern OPENED_ONE =
            Pattern.compile("hangdoctor_incidents_opened_total\\{[^}]*} 1");

    private String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, agent.metrics().registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyKnownCounterStartsAtZeroAndFleetSeriesAreThere() throws Exception {
        String m = scrapeAfterIncident();
        for (Rule r : KnowledgeBase.load(List.of()).rules()) {
            assertThat(m).contains("hangdoctor_incidents_opened_total{category=\"" + r.category().id()
                    + "\",signature=\"" + r.id() + "\"}");
            assertThat(m).contains("hangdoctor_incidents_resolved_total{category=\"" + r.category().id()
                    + "\",signature=\"" + r.id() + "\"}");
        }
        assertThat(m).contains("hangdoctor_incidents_opened_total{category=\"other\",signature=\"unclassified-d-state\"} 0")
                .contains("hangdoctor_guard_actions_total{kind=\"KILLED\"} 0")
                .contains("hangdoctor_remediations_total{action=\"fuse-abort\",result=\"done\"} 0")
                .contains("hangdoctor_kernel_hang_events_total{kind=\"HUNG_TASK\"} 0")
                .contains("hangdoctor_scan_warnings_total{kind=\"fusectl_missing\"}")
                .contains("hangdoctor_scan_warnings_total{kind=\"stacks_unreadable\"}")
                .contains("hangdoctor_scan_warnings_total{kind=\"timeout\"}");
        BuildInfo b = BuildInfo.current();
        assertThat(m).contains("hangdoctor_build_info{commit=\"" + b.commit() + "\",kb_version=\""
                + KnowledgeBase.builtInVersion() + "\",version=\"" + b.version() + "\"} 1");
        String release = Files.readString(ProcFixtures.bundle().resolve("proc/sys/kernel/osrelease")).trim();
        assertThat(m).contains("hangdoctor_node_info{kernel=\"" + release + "\"} 1");
        // the incident of the bundle: counted with its category, open with signature, category and kernel
        assertThat(m).containsPattern("hangdoctor_incidents_opened_total\\{category=\"[a-z0-9-]+\",signature=\"[a-z0-9-]+\"} 1")
                .containsPattern("hangdoctor_incidents_open\\{category=\"[a-z0-9-]+\",kernel=\"" + release.replace(".", "\\.")
                        + "\",signature=\"[a-z0-9-]+\"} 1")
                .contains("hangdoctor_tasks_stuck_uninterruptible ")
                .doesNotContain("hangdoctor_tasks_in_d_past_threshold");
        // process and JVM metrics from client_java's instrumentation, not hand-written ones
        assertThat(m).contains("process_cpu_seconds_total ").contains("process_resident_memory_bytes ")
                .contains("jvm_memory_used_bytes{area=\"heap\"}").doesNotContain("hangdoctor_agent_cpu_seconds_total");
    }

    @Test
    void promtoolFindsNothingToLint() throws Exception {
        Path promtool = PromTools.require("promtool");
        String m = scrapeAfterIncident();
        PromTools.Run r = PromTools.run(m, List.of(promtool.toString(), "check", "metrics"));
        assertThat(r.output()).as("promtool check metrics").isBlank();
        assertThat(r.exit()).isZero();
    }

    @Test
    void warningsAreCountedByWhatTheScanCouldNotDo() {
        assertThat(ScanWarnings.kind("kernel stacks (/proc/PID/stack) are not readable: run as root for stacks"))
                .isEqualTo(ScanWarnings.Kind.STACKS_UNREADABLE);
        assertThat(ScanWarnings.kind(ProcTreeReader.FUSECTL_MISSING)).isEqualTo(ScanWarnings.Kind.FUSECTL_MISSING);
        assertThat(ScanWarnings.kind("/proc/4242/cgroup did not answer (cgroup_mutex held?): cgroup membership is not read"))
                .isEqualTo(ScanWarnings.Kind.TIMEOUT);
        assertThat(ScanWarnings.kind("process scan stopped at its share of the deadline: read 10 of 20 processes"))
                .isEqualTo(ScanWarnings.Kind.TIMEOUT);
        assertThat(ScanWarnings.kind("pid 7: looked at the first 4096 of 9000 fds")).isEqualTo(ScanWarnings.Kind.TRUNCATED);
        assertThat(ScanWarnings.kind("something new")).isEqualTo(ScanWarnings.Kind.OTHER);
    }
}
