package dev.hangdoctor.watch;

import dev.hangdoctor.collect.HeldBundle;
import dev.hangdoctor.collect.LiveSampler;
import dev.hangdoctor.collect.ProcTreeReader;
import dev.hangdoctor.collect.TimedReader;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import dev.hangdoctor.model.Evidence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's full scan as the agent runs it — no pass over every task's state first, the cheap sample's hot tasks
 * read first, the bundle held in memory — on a real FUSE hang whose daemon is idle in S (it read the request and
 * never answers) and whose client waits in S: the daemon is still named as the blocker and the client as stuck,
 * nothing is written until the bundle is kept, and the kept bundle diagnoses the same.
 */
@Tag("live")
class AgentScanLiveTest {
    @TempDir
    Path state;

    private static Finding naming(Diagnosis d, int pid) {
        for (Finding f : d.findings()) {
            if (f.victims().stream().mapToInt(TaskRef::pid).anyMatch(p -> p == pid)) {
                return f;
            }
        }
        throw new AssertionError("no finding names pid " + pid + ": " + d.findings());
    }

    @Test
    void theAgentsScanNamesTheIdleDaemonAsBlockerAndWritesNothingUntilKept() throws Exception {
        LivePreconditions.assumeFuseHangs();
        DiagnosisPipeline pipeline = DiagnosisPipeline.withRules(List.of());
        try (HungFuseDaemon hang = HungFuseDaemon.start()) {
            int daemon = hang.daemonPid().pid();
            int waiter = hang.waiters().get(0).pid().pid();
            CheapSampler sampler = new CheapSampler(Path.of("/"), Duration.ofSeconds(10), 1000, new TimedReader(8));
            sampler.sample();
            // the daemon is idle in S, the client waits in S: only /dev/fuse tells the sample who serves the mount
            assertThat(sampler.hotPids()).contains(daemon);

            Path dir = Files.createDirectory(state.resolve("scan"));
            HeldBundle held = new HeldBundle(dir, HeldBundle.DEFAULT_MAX_BYTES);
            LiveSampler.Options opts = LiveSampler.Options.defaults().withWindow(Duration.ofSeconds(1))
                    .withDeadline(Duration.ofSeconds(8)).withKmsgDevice(null).withHeldBundle(held)
                    .withHotPids(sampler.hotPids()).withStatePass(false).withThreadCounts(sampler.threadCounts());
            Evidence ev = new LiveSampler(Path.of("/"), opts).scan();
            Finding f = naming(pipeline.diagnose(ev), waiter);
            assertThat(f.category().id()).isEqualTo("fuse");
            assertThat(f.rootCause()).as("%s", f).isNotNull();
            assertThat(f.rootCause().pid()).as("%s", f).isEqualTo(daemon);
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.toList()).as("nothing written before the bundle is kept").isEmpty();
            }
            assertThat(held.bytes()).isPositive();

            held.write();
            assertThat(held.bytes()).isZero();
            Evidence saved = new ProcTreeReader(dir).read();
            Finding again = naming(pipeline.diagnose(saved), waiter);
            assertThat(again.rootCause().pid()).isEqualTo(daemon);
            assertThat(again.signature()).isEqualTo(f.signature());
        }
    }
}
