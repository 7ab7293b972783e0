package dev.hangdoctor.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangdoctor.act.AuditLog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The whole guard on a host-shaped directory: which process it picks, and that a dry run only reports it. */
class OomGuardDryRunTest {
    @TempDir
    Path dir;

    private GuardHost host() {
        return new GuardHost(dir.resolve("host"))
                .cgroup("/docker/c1", 256, 100)
                .process("/docker/c1", 1, "java", 180, 0, 1000)
                .process("/docker/c1", 2, "sidecar", 20, 0, 33)
                .process("/docker/c1", 3, "sh", 2, 0, 0);
    }

    /** Two passes: usage 100 MiB, then 240 MiB 20 ms later (filling at ~7 GiB/s toward 256 MiB). */
    private List<GuardEvent> run(GuardHost h, UnaryOperator<GuardConfig.Builder> cfg, AuditLog audit)
            throws Exception {
        return run(h, cfg, audit, 20);
    }

    private List<GuardEvent> run(GuardHost h, UnaryOperator<GuardConfig.Builder> cfg, AuditLog audit, long gapMs)
            throws Exception {
        GuardConfig c = cfg.apply(GuardConfig.builder().enabled(true).cgroup("/docker/*")).build();
        try (OomGuard g = new OomGuard(h.root(), c, audit, null)) {
            g.tickOnce();
            assertThat(g.guarded()).contains("/docker/c1").doesNotContain("/other");
            Thread.sleep(gapMs);
            h.usage("/docker/c1", 240);
            g.tickOnce();
            g.tickOnce(); // the cooldown keeps it to one event
            return g.recent();
        }
    }

    private static GuardEvent only(List<GuardEvent> events) {
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void dryRunNamesTheKernelsChoiceAndKillsNothing() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        GuardEvent e = only(run(host(), b -> b, audit));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.WOULD_KILL);
        assertThat(e.pid()).isEqualTo(GuardHost.PID_BASE + 1);
        assertThat(e.comm()).isEqualTo("java");
        assertThat(e.cgroup()).isEqualTo("/docker/c1");
        assertThat(e.usage()).isEqualTo(240L << 20);
        assertThat(e.limit()).isEqualTo(256L << 20);
        // the rate depends on how long the machine took between the two passes: pin only that it is a rise and that
        // the horizon is computed from it
        assertThat(e.fillRate()).isPositive();
        assertThat(e.secondsToLimit()).isCloseTo((16L << 20) / e.fillRate(), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(e.reason()).contains("threshold 90%").contains("rss 180 MiB");
        assertThat(Files.readString(audit.file())).contains("\"result\":\"dry-run\"")
                .contains("java:" + (GuardHost.PID_BASE + 1));
    }

    /** Names that are bytes, not text: a strict decode used to drop the hog, and the bystander was chosen. */
    @ParameterizedTest
    @ValueSource(strings = {"686f67ff", "e228a178", "612920532031202862", "6d2920c3207a"})
    void theHogIsChosenWhateverBytesItsNameHolds(String hexName) throws Exception {
        byte[] name = HexFormat.of().parseHex(hexName);
        GuardHost h = new GuardHost(dir.resolve("h-" + hexName)).cgroup("/docker/c1", 256, 100)
                .process("/docker/c1", 1, name, 240, 0, 1000, 4194560L)
                .process("/docker/c1", 2, "bystander", 8, 0, 1000);
        GuardEvent e = only(run(h, b -> b.protect(ProcessRule.user("33")), null));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.WOULD_KILL);
        assertThat(e.pid()).isEqualTo(GuardHost.PID_BASE + 1);
        assertThat(e.comm()).isEqualTo(new String(name, StandardCharsets.UTF_8));
    }

    @Test
    void aProcessProtectedByUserStaysProtectedWhateverItsName() throws Exception {
        GuardHost h = new GuardHost(dir.resolve("h-user")).cgroup("/docker/c1", 256, 100)
                .process("/docker/c1", 1, new byte[] {'d', 'b', (byte) 0xff}, 240, 0, 33, 4194560L)
                .process("/docker/c1", 2, "bystander", 8, 0, 1000);
        GuardEvent e = only(run(h, b -> b.protect(ProcessRule.user("www-data")), null));
        assertThat(e.pid()).isEqualTo(GuardHost.PID_BASE + 2);
    }

    @Test
    void usersResolveThoughAPasswdLineIsNotUtf8() throws Exception {
        for (String protect : List.of("www-data", "app")) {
            GuardHost h = new GuardHost(dir.resolve("passwd-" + protect)).cgroup("/docker/c1", 256, 100)
                    .process("/docker/c1", 1, "java", 180, 0, 1000)
                    .process("/docker/c1", 2, "sidecar", 20, 0, 33);
            Path passwd = h.root().resolve("etc/passwd");
            // a GECOS field in Latin-1, as old systems wrote them
            Files.writeString(passwd, "jos\u00e9:x:1001:1001:Jos\u00e9:/home/jose:/bin/sh\n"
                    + Files.readString(passwd), StandardCharsets.ISO_8859_1);
            assertThat(only(run(h, b -> b.protect(ProcessRule.user(protect)), null)).comm())
                    .isEqualTo(protect.equals("app") ? "sidecar" : "java");
        }
    }

    @Test
    void aMemberThatCannotBeReadStopsTheChoiceInsteadOfVanishing() throws Exception {
        GuardHost h = host();
        Path status = h.root().resolve("proc/" + (GuardHost.PID_BASE + 1) + "/status");
        Files.delete(status);
        Files.createDirectories(status); // the hog is there, but its status cannot be read
        GuardEvent e = only(run(h, b -> b, null));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.NOTHING_ELIGIBLE);
        assertThat(e.reason()).contains("could not be read").contains("pid " + (GuardHost.PID_BASE + 1));
    }

    /**
     * The hog was OOM-killed and reaped between the usage sample and the choice (a loaded host delays the guard): it
     * is still listed, its /proc entry is gone, and the 8 MiB bystander is the largest member left. Killing it would
     * not bring back the 240 MiB in use, so the guard declines, says why and audits it.
     */
    @Test
    void aBystanderIsNotKilledWhenTheMembersDoNotHoldTheUsage() throws Exception {
        GuardHost h = new GuardHost(dir.resolve("h-gone")).cgroup("/docker/c1", 256, 100)
                .process("/docker/c1", 1, "ratehog", 230, 0, 1000)
                .process("/docker/c1", 2, "memhog", 8, 0, 1000);
        deleteTree(h.root().resolve("proc/" + (GuardHost.PID_BASE + 1)));
        AuditLog audit = new AuditLog(dir.resolve("state-gone"));
        GuardEvent e = only(run(h, b -> b.dryRun(false), audit));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.DECLINED);
        assertThat(e.pid()).isEqualTo(GuardHost.PID_BASE + 2);
        assertThat(e.reason()).contains("chose memhog:" + (GuardHost.PID_BASE + 2))
                .contains("not killing: the members hold 8 MiB of the 240 MiB in use (3%)");
        assertThat(Files.readString(audit.file())).contains("\"result\":\"refused: the members hold 8 MiB")
                .contains("memhog:" + (GuardHost.PID_BASE + 2));
    }

    /** Usage held by shmem or active page cache, which no process's RSS shows: no member's death would free it. */
    @Test
    void usageThatNoMemberHoldsIsNotAReasonToKillOne() throws Exception {
        GuardHost h = new GuardHost(dir.resolve("h-shmem")).cgroup("/docker/c1", 256, 100)
                .process("/docker/c1", 1, "writer", 40, 0, 1000)
                .process("/docker/c1", 2, "sidecar", 20, 0, 33);
        GuardEvent e = only(run(h, b -> b, null));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.DECLINED);
        assertThat(e.comm()).isEqualTo("writer");
        assertThat(e.reason()).contains("the members hold 60 MiB of the 240 MiB in use (25%)");
        // the same members holding most of the usage: the largest goes, as before
        h.process("/docker/c1", 3, "hog", 150, 0, 1000).usage("/docker/c1", 100);
        assertThat(only(run(h, b -> b, null)).kind()).isEqualTo(GuardEvent.Kind.WOULD_KILL);
    }

    /** A live member whose status has no memory lines (its leader thread exited) is unknown, not small. */
    @Test
    void aLiveMemberWithoutMemoryLinesStopsTheChoice() throws Exception {
        GuardHost h = host();
        Path status = h.root().resolve("proc/" + (GuardHost.PID_BASE + 1) + "/status");
        Files.writeString(status, Files.readString(status).replaceAll("(?m)^Vm.*\n", ""));
        GuardEvent e = only(run(h, b -> b, null));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.NOTHING_ELIGIBLE);
        assertThat(e.reason()).contains("the memory of java:" + (GuardHost.PID_BASE + 1) + " cannot be read");
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Moved to another cgroup between the choice and the kill: not this cgroup's to kill any more. */
    @Test
    void aVictimThatLeftTheCgroupIsNotKilled() throws Exception {
        GuardEvent e = only(run(host().procCgroup(1, "/other"), b -> b.dryRun(false), null));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.ERROR);
        assertThat(e.reason()).contains("kill failed: refused: pid " + (GuardHost.PID_BASE + 1)
                + " is no longer in cgroup /docker/c1 (now in /other)");
        e = only(run(host().procCgroup(1, "/docker/c1/worker"), b -> b.dryRun(false), null));
        assertThat(e.reason()).as("still within: only this fixture's not-a-real-/proc refusal")
                .doesNotContain("no longer in").contains("not this host's /proc");
        Files.delete(dir.resolve("host/proc/" + (GuardHost.PID_BASE + 1) + "/cgroup"));
        e = only(run(host(), b -> b.dryRun(false), null));
        assertThat(e.reason()).as("no cgroup file").contains("cannot tell its cgroup now (missing");
    }

    @Test
    void protectedProcessIsPassedOverForTheNextInRank() throws Exception {
        GuardEvent e = only(run(host(), b -> b.protect(ProcessRule.comm("j.*")), null));
        assertThat(e.comm()).isEqualTo("sidecar");
    }

    @Test
    void preferredProcessGoesFirstEvenWhenSmaller() throws Exception {
        GuardEvent e = only(run(host(), b -> b.prefer(ProcessRule.comm("sh")), null));
        assertThat(e.comm()).isEqualTo("sh");
        assertThat(e.reason()).contains("preferred");
    }

    @Test
    void avoidedProcessGoesLast() throws Exception {
        assertThat(only(run(host(), b -> b.avoid(ProcessRule.user("app")), null)).comm()).isEqualTo("sidecar");
        GuardHost h = new GuardHost(dir.resolve("h2")).cgroup("/docker/c1", 256, 100)
                .process("/docker/c1", 1, "java", 180, 0, 1000);
        assertThat(only(run(h, b -> b.avoid(ProcessRule.comm("java")), null)).comm())
                .as("avoided, but the only one").isEqualTo("java");
    }

    @Test
    void userRulesTakeNamesAndUids() throws Exception {
        assertThat(only(run(host(), b -> b.protect(ProcessRule.user("1000")).protect(ProcessRule.user("www-data")),
                null)).comm()).isEqualTo("sh");
        assertThatThrownBy(() -> new OomGuard(host().root(), GuardConfig.builder().enabled(true).cgroup("/docker/*")
                .protect(ProcessRule.user("nobody-here")).build(), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown user 'nobody-here'");
    }

    @Test
    void processesOfChildCgroupsAreCandidatesAndCgroupRulesSeeThem() throws Exception {
        GuardHost h = host().cgroup("/docker/c1/worker", 1 << 20, 0).process("/docker/c1/worker", 4, "worker", 200, 0, 0);
        GuardEvent e = only(run(h, b -> b, null));
        assertThat(e.comm()).isEqualTo("worker");
        assertThat(e.reason()).contains("in /docker/c1/worker");
        h = host().cgroup("/docker/c1/worker", 1 << 20, 0).process("/docker/c1/worker", 4, "worker", 200, 0, 0);
        assertThat(only(run(h, b -> b.protect(ProcessRule.cgroup("/docker/*/worker")), null)).comm()).isEqualTo("java");
    }

    @Test
    void allProtectedIsReportedAndNothingChosen() throws Exception {
        GuardEvent e = only(run(host(), b -> b.protect(ProcessRule.cgroup("/docker/**")), null));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.SKIPPED_PROTECTED);
        assertThat(e.pid()).isEqualTo(-1);
    }

    @Test
    void oomScoreAdjMinusThousandIsNeverChosen() throws Exception {
        GuardHost h = new GuardHost(dir.resolve("h3")).cgroup("/docker/c1", 256, 100)
                .process("/docker/c1", 1, "sshd", 180, -1000, 0)
                .process("/docker/c1", 2, "kthreadish", 0, 0, 0, 0x00200000L);
        GuardEvent e = only(run(h, b -> b, null));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.NOTHING_ELIGIBLE);
    }

    @Test
    void noSecondVictimWhileOneIsExiting() throws Exception {
        GuardHost h = host().process("/docker/c1", 5, "dying", 0, 0, 0, 4194560L | 0x4);
        GuardEvent e = only(run(h, b -> b, null));
        assertThat(e.kind()).isEqualTo(GuardEvent.Kind.NOTHING_ELIGIBLE);
        assertThat(e.reason()).contains("dying:" + (GuardHost.PID_BASE + 5) + " is already exiting");
    }

    @Test
    void reclaimablePageCacheIsNotAReasonToKill() throws Exception {
        // 140 MiB in 200 ms (700 MiB/s): by usage, 240 of 256 MiB is full in ~23 ms; without the 150 MiB of
        // inactive cache it is 90 MiB, far from the limit at that rate
        GuardHost h = host().inactiveFile("/docker/c1", 150);
        assertThat(run(h, b -> b, null, 200)).isEmpty();
        assertThat(run(host(), b -> b, null, 200)).as("the same fill without cache").hasSize(1);
    }

    @Test
    void steadyUsageAboveTheThresholdIsLeftAlone() throws Exception {
        GuardHost h = host().usage("/docker/c1", 240);
        GuardConfig c = GuardConfig.builder().enabled(true).cgroup("/docker/*").build();
        try (OomGuard g = new OomGuard(h.root(), c, null, null)) {
            for (int i = 0; i < 3; i++) {
                g.tickOnce();
                Thread.sleep(5);
            }
            assertThat(g.recent()).isEmpty();
        }
    }

    @Test
    void cgroupsOutsideThePatternsAndWithoutALimitAreIgnored() throws Exception {
        GuardHost h = host().cgroup("/other", 256, 100).process("/other", 6, "other", 180, 0, 0)
                .cgroup("/docker/nolimit", 1L << 43, 100).process("/docker/nolimit", 7, "free", 180, 0, 0);
        List<GuardEvent> events = run(h.usage("/other", 250), b -> b, null);
        assertThat(events).extracting(GuardEvent::cgroup).containsExactly("/docker/c1");
    }
}
