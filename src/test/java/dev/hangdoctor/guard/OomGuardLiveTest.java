package dev.hangdoctor.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangdoctor.act.AuditLog;
import dev.hangdoctor.live.FillingCgroup;
import dev.hangdoctor.live.LivePreconditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live: a real hog fills a real 256 MiB v1 memory cgroup (kernel OOM killer on) beside a quiet sibling; the guard,
 * acting for exactly that cgroup, must kill the hog before the kernel has to, and leave the sibling alone.
 */
@Tag("live")
class OomGuardLiveTest {
    @TempDir
    Path state;

    /** MiB/s; 0 is the hog's fastest (about 4 GiB/s on the development VM). */
    @ParameterizedTest(name = "hog filling at {0} MiB/s (0 = as fast as it can)")
    @ValueSource(ints = {100, 500, 0})
    void killsTheHogBeforeTheKernelHasTo(int mibPerSecond) throws Exception {
        LivePreconditions.assumeMemcgV1Hangs();
        AuditLog audit = new AuditLog(state);
        List<GuardEvent> events = new CopyOnWriteArrayList<>();
        try (FillingCgroup cg = FillingCgroup.start(256, 8, 512, mibPerSecond)) {
            GuardConfig cfg = GuardConfig.builder().enabled(true).dryRun(false).cgroup(cg.path()).build();
            try (OomGuard guard = new OomGuard(Path.of("/"), cfg, audit, events::add)) {
                guard.start();
                awaitGuarded(guard, cg.path());
                cg.go();
                assertThat(cg.awaitHogGone(Duration.ofSeconds(10))).as("hog gone; events %s", events).isTrue();
            }
            assertThat(cg.hogFinished()).as("the hog was stopped before it touched all 512 MiB").isFalse();
            assertThat(events).as("the guard killed the hog").anySatisfy(e -> {
                assertThat(e.kind()).isEqualTo(GuardEvent.Kind.KILLED);
                assertThat(e.pid()).isEqualTo(cg.hog().pid());
                assertThat(e.comm()).isEqualTo("ratehog");
            });
            assertThat(cg.kernelOomKills()).as("kernel OOM kills (max usage %d MiB, failcnt %d); events %s",
                    cg.maxUsage() >> 20, cg.failcnt(), events).isZero();
            assertThat(cg.sibling().exists()).as("the quiet sibling survives").isTrue();
            String log = Files.readString(audit.file());
            assertThat(log).contains("\"action\":\"oom-guard-kill\"").contains("ratehog:" + cg.hog().pid())
                    .contains("\"result\":\"done\"");
        }
    }

    /**
     * The hog names itself "hog" and a 0xff byte: a name that is not UTF-8 once made it vanish from the candidates,
     * and the guard killed the 8 MiB sibling instead.
     */
    @Test
    void killsTheHogWhoseNameIsNotUtf8AndSparesTheBystander() throws Exception {
        LivePreconditions.assumeMemcgV1Hangs();
        byte[] name = {'h', 'o', 'g', (byte) 0xff};
        AuditLog audit = new AuditLog(state);
        List<GuardEvent> events = new CopyOnWriteArrayList<>();
        try (FillingCgroup cg = FillingCgroup.start(256, 8, 512, 200, name)) {
            assertThat(Files.readAllBytes(Path.of("/proc/" + cg.hog().pid() + "/comm")))
                    .as("the hog's name as the kernel keeps it").isEqualTo(new byte[] {'h', 'o', 'g', (byte) 0xff, '\n'});
            GuardConfig cfg = GuardConfig.builder().enabled(true).dryRun(false).cgroup(cg.path()).build();
            try (OomGuard guard = new OomGuard(Path.of("/"), cfg, audit, events::add)) {
                guard.start();
                awaitGuarded(guard, cg.path());
                cg.go();
                assertThat(cg.awaitHogGone(Duration.ofSeconds(10))).as("hog gone; events %s", events).isTrue();
            }
            assertThat(events).as("the guard killed the hog").anySatisfy(e -> {
                assertThat(e.kind()).isEqualTo(GuardEvent.Kind.KILLED);
                assertThat(e.pid()).isEqualTo(cg.hog().pid());
                assertThat(e.comm()).isEqualTo("hog\uFFFD");
            });
            assertThat(events).as("nothing but the hog was killed")
                    .filteredOn(e -> e.kind() == GuardEvent.Kind.KILLED).extracting(GuardEvent::pid)
                    .containsOnly(cg.hog().pid());
            assertThat(cg.sibling().exists()).as("the 8 MiB bystander survives; events %s", events).isTrue();
        }
    }

    private static void awaitGuarded(OomGuard guard, String path) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!guard.guarded().contains(path)) {
            assertThat(System.nanoTime()).as("guard picked up %s", path).isLessThan(deadline);
            Thread.sleep(5);
        }
        Thread.sleep(30); // a few samples of the idle cgroup first, as in steady state
    }
}
