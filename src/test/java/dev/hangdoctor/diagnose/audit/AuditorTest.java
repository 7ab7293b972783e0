package dev.hangdoctor.diagnose.audit;

import dev.hangdoctor.collect.ProcTreeReader;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditorTest {
    private static final KnowledgeBase KB = KnowledgeBase.load(List.of());
    private static final Auditor AUDITOR = new Auditor(KB, SettingsTable.builtIn());

    private static AuditResult audit(HostTree t) throws IOException {
        return AUDITOR.audit(new ProcTreeReader(t.root()).read());
    }

    private static List<String> ids(AuditResult r) {
        return r.exposures().stream().map(HostExposure::signature).toList();
    }

    private static HostExposure exposure(AuditResult r, String id) {
        return r.exposures().stream().filter(e -> e.signature().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not among " + ids(r)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // seed 001's range (862 .. every 1160.x); the generic memcg __getblk rule shares it and is superseded
        "3.10.0-862.el7.x86_64      | centos7-jbd2-oom-getblk-deadlock fuse-flush-exit-pidns",
        "3.10.0-1160.119.1.el7.x86_64 | centos7-jbd2-oom-getblk-deadlock fuse-flush-exit-pidns",
        // seed 004's kernel: CFS bandwidth before 585, and below 862 so not the jbd2 deadlock
        "3.10.0-514.16.1.el7.x86_64 | rhel7-cfs-bandwidth-hard-lockup fuse-flush-exit-pidns",
        // between the two: neither CentOS 7 bug
        "3.10.0-693.el7.x86_64      | fuse-flush-exit-pidns",
        "4.18.0-305.el8.x86_64      | fuse-flush-exit-pidns",
        "6.1.0-18-amd64             | fuse-flush-exit-pidns",
        "6.8.0-1015-aws             | fuse-flush-exit-pidns",
        "6.12.94+deb13-amd64        | fuse-flush-exit-pidns",
        "6.18.44                    | ''",
    })
    void exposuresByKernel(String release, String expected, @TempDir Path dir) throws IOException {
        AuditResult r = audit(HostTree.at(dir).kernel(release).safeSysctls());
        List<String> want = expected.isBlank() ? List.of() : List.of(expected.trim().split("\\s+"));
        assertThat(ids(r)).containsExactlyInAnyOrderElementsOf(want);
        assertThat(r.kernelRelease()).isEqualTo(release);
        assertThat(r.settings()).isEmpty();
        assertThat(r.problemFound()).isEqualTo(!want.isEmpty());
    }

    @Test
    void centos7Jbd2SaysWhyAndWhereItIsFixed(@TempDir Path dir) throws IOException {
        AuditResult r = audit(HostTree.at(dir).kernel("3.10.0-862.el7.x86_64").safeSysctls()
                .memCgroup("/kubepods/pod1", 512L << 20, false));
        HostExposure e = exposure(r, "centos7-jbd2-oom-getblk-deadlock");
        assertThat(e.verdict()).isEqualTo(ExposureVerdict.EXPOSED);
        assertThat(e.range()).isEqualTo("3.10.0-862.el7 <= v < 3.10.0-1161.el7");
        assertThat(e.why()).contains("3.10.0-862.el7.x86_64 is in 3.10.0-862.el7 <= v < 3.10.0-1161.el7");
        assertThat(e.note()).contains("not fixed in CentOS 7");
        assertThat(e.fix().commits()).anyMatch(c -> c.startsWith("94dc24c0c59a"));
        assertThat(e.factors()).containsExactly(
                "1 memory cgroup(s) have a limit (the deadlock needs an OOM under a memcg limit)");
        assertThat(ids(r)).doesNotContain("memcg-getblk-reclaim-loop");
    }

    @Test
    void cfsBandwidthNamesQuotasAndThrottlingAsRiskFactors(@TempDir Path dir) throws IOException {
        HostTree t = HostTree.at(dir).kernel("3.10.0-514.16.1.el7.x86_64").safeSysctls()
                .sysctl("kernel.hardlockup_panic", "1")
                .cpuCgroup("/docker/a", 50000, 1200, 9_000_000_000L)
                .cpuCgroup("/docker/b", 20000, 0, 0)
                .cpuCgroup("/system.slice", -1, 0, 0);
        AuditResult r = audit(t);
        HostExposure e = exposure(r, "rhel7-cfs-bandwidth-hard-lockup");
        assertThat(e.category().id()).isEqualTo("cfs-bandwidth-lockup");
        assertThat(e.range()).isEqualTo("3.10.0 <= v < 3.10.0-585.el7");
        assertThat(e.fix().kernels()).containsExactly("3.10.0-585.el7");
        assertThat(e.factors()).containsExactly(
                "2 cgroup(s) have a CPU quota (cpu.cfs_quota_us / cpu.max)",
                "1 cgroup(s) have been throttled (nr_throttled > 0 in cpu.stat)",
                "kernel.hardlockup_panic is 1: the lockup panics the host");
        assertThat(r.settings()).extracting(RiskySetting::key).containsExactly("kernel.hardlockup_panic");
        // the critical CentOS 7 bug is listed before the FUSE one
        assertThat(ids(r)).containsExactly("rhel7-cfs-bandwidth-hard-lockup", "fuse-flush-exit-pidns");
    }

    @Test
    void cfsWithoutQuotasIsStillExposedButNamesNoFactor(@TempDir Path dir) throws IOException {
        AuditResult r = audit(HostTree.at(dir).kernel("3.10.0-514.16.1.el7.x86_64").safeSysctls()
                .cpuCgroup("/system.slice", -1, 0, 0));
        assertThat(exposure(r, "rhel7-cfs-bandwidth-hard-lockup").factors()).isEmpty();
    }

    @Test
    void fuseBeforeSixThreeIsExposed(@TempDir Path dir) throws IOException {
        AuditResult r = audit(HostTree.at(dir).kernel("6.1.0-18-amd64").safeSysctls().fuseConnection(40));
        HostExposure e = exposure(r, "fuse-flush-exit-pidns");
        assertThat(e.verdict()).isEqualTo(ExposureVerdict.EXPOSED);
        assertThat(e.range()).isEqualTo("v < 6.3");
        assertThat(e.note()).isEqualTo("fixed upstream in 6.3; reports on 6.8 and 6.12");
        assertThat(e.factors()).containsExactly("1 FUSE connection(s) on this host");
    }

    @ParameterizedTest
    @CsvSource({"6.8.0-1015-aws", "6.12.0", "6.3.0"})
    void fuseAfterTheFixIsNotCalledSafeWhereReportsRemain(String release, @TempDir Path dir) throws IOException {
        AuditResult r = audit(HostTree.at(dir).kernel(release).safeSysctls());
        HostExposure e = exposure(r, "fuse-flush-exit-pidns");
        assertThat(e.verdict()).isEqualTo(ExposureVerdict.STILL_REPORTED);
        assertThat(e.why()).contains("past the upstream fix").contains("still reported");
        assertThat(e.note()).isEqualTo("fixed upstream in 6.3; reports on 6.8 and 6.12");
        assertThat(e.factors()).isEmpty();
    }

    @Test
    void riskySettingsWithWhyAndWhatInstead(@TempDir Path dir) throws IOException {
        HostTree t = HostTree.at(dir).kernel("6.18.44").safeSysctls()
                .sysctl("kernel.hung_task_panic", "1")
                .sysctl("kernel.hung_task_timeout_secs", "0")
                .sysctl("kernel.softlockup_panic", "1")
                .sysctl("kernel.hardlockup_panic", "1")
                .sysctl("kernel.watchdog_thresh", "0")
                .memCgroup("/docker/db", 1L << 30, true)
                .memCgroup("/docker/web", 1L << 30, false);
        AuditResult r = audit(t);
        assertThat(r.exposures()).isEmpty();
        assertThat(r.settings()).extracting(RiskySetting::key, RiskySetting::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("kernel.hung_task_panic", "1"),
                org.assertj.core.groups.Tuple.tuple("kernel.hung_task_timeout_secs", "0"),
                org.assertj.core.groups.Tuple.tuple("kernel.softlockup_panic", "1"),
                org.assertj.core.groups.Tuple.tuple("kernel.hardlockup_panic", "1"),
                org.assertj.core.groups.Tuple.tuple("kernel.watchdog_thresh", "0"),
                org.assertj.core.groups.Tuple.tuple("cgroup.memory.oom_kill_disable", "1"));
        RiskySetting panic = r.settings().get(0);
        assertThat(panic.risk()).contains("panics the host");
        assertThat(panic.recommended()).startsWith("0");
        assertThat(r.settings().get(5).where()).containsExactly("/docker/db");
        assertThat(r.problemFound()).isTrue();
    }

    @Test
    void capturedBundleHasOneCgroupWithTheOomKillerDisabled() throws Exception {
        Path bundle = Path.of(AuditorTest.class.getResource("/proc/bundle-6.18").toURI());
        AuditResult r = AUDITOR.audit(new ProcTreeReader(bundle).read());
        assertThat(r.kernelRelease()).isEqualTo("6.18.44-fc-v595");
        assertThat(r.exposures()).isEmpty();
        assertThat(r.settings()).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo("cgroup.memory.oom_kill_disable");
            assertThat(s.where()).containsExactly("/h5test");
        });
    }

    @Test
    void panicOnOomTwoIsWorseThanOneAndReportedOnce() {
        AuditResult two = AUDITOR.audit("6.18.44", AuditFacts.of(Map.of("vm.panic_on_oom", "2")), List.of());
        assertThat(two.settings()).singleElement().satisfies(s -> assertThat(s.risk()).contains("memory cgroup"));
        AuditResult one = AUDITOR.audit("6.18.44", AuditFacts.of(Map.of("vm.panic_on_oom", "1")), List.of());
        assertThat(one.settings()).singleElement().satisfies(s -> assertThat(s.risk()).contains("whole system"));
        AuditResult zero = AUDITOR.audit("6.18.44", AuditFacts.of(Map.of("vm.panic_on_oom", "0")), List.of());
        assertThat(zero.settings()).isEmpty();
    }

    @Test
    void unknownOrUnreadableKernelIsAWarningNotAnExposure() {
        AuditResult none = AUDITOR.audit(null, AuditFacts.of(Map.of("kernel.hung_task_panic", "1")), List.of());
        assertThat(none.exposures()).isEmpty();
        assertThat(none.settings()).hasSize(1);
        assertThat(none.warnings()).singleElement().asString().contains("kernel release unknown");
        AuditResult junk = AUDITOR.audit("linux", AuditFacts.of(Map.of()), List.of());
        assertThat(junk.warnings()).singleElement().asString().contains("'linux' is not a version");
        assertThat(junk.problemFound()).isFalse();
    }

    @Test
    void nonNumericSettingValuesAreNotGuessedAt() {
        AuditResult r = AUDITOR.audit("6.18.44", AuditFacts.of(Map.of("kernel.hung_task_panic", "yes",
                "kernel.watchdog_thresh", "")), List.of());
        assertThat(r.settings()).isEmpty();
    }

    @Test
    void userRuleWithoutExposureSectionIsExposedByItsKernelRange(@TempDir Path dir) throws IOException {
        java.nio.file.Files.writeString(dir.resolve("site-bug.yaml"), """
                id: site-bug
                title: A site's own known hang
                category: other
                kernel:
                  ranges: ["5.10 <= v < 5.10.200"]
                signals:
                  - id: s
                    required: true
                    frames: [some_function]
                explanation: x
                remediation: [y]
                """);
        Auditor a = new Auditor(KnowledgeBase.load(List.of(dir)), SettingsTable.builtIn());
        AuditResult r = a.audit("5.10.100-1-cloud", AuditFacts.of(Map.of()), List.of());
        assertThat(ids(r)).containsExactlyInAnyOrder("site-bug", "fuse-flush-exit-pidns");
        assertThat(exposure(r, "site-bug").range()).isEqualTo("5.10 <= v < 5.10.200");
        assertThat(a.audit("5.10.200", AuditFacts.of(Map.of()), List.of()).exposures())
                .extracting(HostExposure::signature).containsExactly("fuse-flush-exit-pidns");
    }
}
