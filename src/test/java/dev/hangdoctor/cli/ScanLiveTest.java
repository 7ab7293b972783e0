package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangdoctor.live.FuseFlushPidns;
import dev.hangdoctor.live.HealthyFuseMount;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import dev.hangdoctor.live.LiveProc;
import dev.hangdoctor.live.LiveWait;
import dev.hangdoctor.live.MemcgOomStall;
import dev.hangdoctor.live.OrphanUffd;
import dev.hangdoctor.live.OwnedPid;
import dev.hangdoctor.live.SleepingBystander;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `hangdoctor scan --json` on real hangs this test makes (see {@link dev.hangdoctor.live}): the diagnosis of each
 * shape, its blocker, victims and kernel objects. Other tests may hang things on this host at the same time, so
 * every assertion is about the pids, mounts and cgroups made here; where the answer depends on there being only
 * one hung FUSE connection, the test checks that first.
 */
@Tag("live")
@Timeout(60) // a scan that cannot finish must fail the test, not hang the build; teardown still runs
class ScanLiveTest {

    private static JsonNode scan(String... extra) {
        // a generous deadline: the deadline guarantees the scan ends, it is not what these tests measure (a loaded
        // CI machine reading and saving every thread's files can need more than the default window + 5 s)
        List<String> args = new ArrayList<>(List.of("scan", "--json", "--window", "1s", "--deadline", "30s"));
        args.addAll(List.of(extra));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exit()).as("exit of scan; stderr: %s", r.err()).isEqualTo(ExitCodes.PROBLEM);
        return r.json();
    }

    /** The finding that names this pid as its blocker or a victim. */
    private static JsonNode findingOf(JsonNode doc, int pid) {
        for (JsonNode f : doc.get("findings")) {
            if (pids(f).contains(pid)) {
                return f;
            }
        }
        throw new AssertionError("no finding names pid " + pid + ": " + summary(doc));
    }

    private static Set<Integer> pids(JsonNode finding) {
        Set<Integer> out = new HashSet<>(victims(finding));
        if (finding.hasNonNull("rootCause")) {
            out.add(finding.get("rootCause").get("pid").asInt());
        }
        return out;
    }

    private static List<Integer> victims(JsonNode finding) {
        List<Integer> out = new ArrayList<>();
        finding.get("victims").forEach(v -> out.add(v.get("pid").asInt()));
        return out;
    }

    private static Integer rootPid(JsonNode finding) {
        return finding.hasNonNull("rootCause") ? finding.get("rootCause").get("pid").asInt() : null;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String summary(JsonNode doc) {
        StringBuilder b = new StringBuilder();
        for (JsonNode f : doc.get("findings")) {
            b.append("\n  ").append(f.get("signature").asText()).append(" root ").append(f.get("rootCause"))
                    .append(" victims ").append(victims(f)).append(" evidence ").append(f.get("evidence"));
        }
        return b.toString();
    }

    /** FUSE connections with requests waiting, by id: when ours is the only one, waits map to its daemon alone. */
    private static List<Integer> waitingConnections(JsonNode doc) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode c : doc.get("fuseConnections")) {
            if (c.path("waiting").asLong(0) > 0) {
                out.add(c.get("id").asInt());
            }
        }
        return out;
    }

    private static String fuseLinePrefix(int conn, Path mountPoint) {
        return "FUSE connection " + conn + " at " + mountPoint + " (fuse.";
    }

    // ---- 1. memory cgroup OOM with the OOM killer disabled

    @Test
    void memcgOomStallNamesTheCgroupTheStuckHogAndTheProcessTheKernelThenKills() throws Exception {
        LivePreconditions.assumeMemcgV1Hangs();
        // the 20 MiB hog fits and settles; the 16 MiB one crosses the 32 MiB limit and stalls, smaller than the first
        try (MemcgOomStall stall = MemcgOomStall.start(
                new MemcgOomStall.Spec().limitMiB(32).bystandersMiB(1).hogsMiB(20, 16))) {
            assertThat(stall.stalled()).hasSize(1);
            OwnedPid stuck = stall.stalled().get(0).pid();
            OwnedPid settled = stall.hogs().get(0).pid();
            OwnedPid bystander = stall.bystanders().get(0).pid();
            String cg = "/" + stall.cgroupDir().getFileName();
            // oom_badness() by hand from /proc: every member has oom_score_adj 0, so the most pages win
            OwnedPid expected = stall.ownPids().stream().max(Comparator.comparingLong(ScanLiveTest::badnessKb))
                    .orElseThrow();
            assertThat(expected).as("the settled 20 MiB hog outweighs the stalled one").isEqualTo(settled);

            JsonNode doc = scan();
            JsonNode f = findingOf(doc, stuck.pid());
            assertThat(f.get("category").asText()).isEqualTo("memcg-oom");
            assertThat(f.get("signature").asText()).isEqualTo("memcg-oom-kill-disabled");
            assertThat(victims(f)).contains(stuck.pid()).doesNotContain(bystander.pid(), settled.pid());
            // usage is rounded down to MiB: a cgroup at its limit can read 31.9 of 32
            assertThat(texts(f.get("evidence"))).anySatisfy(l -> assertThat(l)
                    .startsWith("memory cgroup " + cg + " (under_oom 1, oom_kill_disable 1, usage ")
                    .containsPattern("usage 3[12] of limit 32 MiB\\)")
                    .contains("its OOM killer would choose memhog:" + expected.pid() + " (rss "));
            assertThat(texts(f.get("remediation")))
                    .contains("Raise the limit: echo <bytes> > /sys/fs/cgroup/memory" + cg + "/memory.limit_in_bytes")
                    .anySatisfy(l -> assertThat(l).endsWith("kill -9 " + expected.pid()));
            assertThat(doc.get("memoryCgroups").findValuesAsText("path")).contains(cg);

            // the proof: let the kernel's OOM killer act in that cgroup; the first process it kills must be the one
            // named (it may go on to kill the stalled hog too, when the first victim's memory is not back in time)
            Files.writeString(stall.cgroupDir().resolve("memory.oom_control"), "0");
            assertThat(expected.awaitGone(LiveWait.SHAPE_TIMEOUT)).as("the OOM killer killed %s", expected).isTrue();
            assertThat(firstOomKillIn(cg)).as("the kernel's first OOM kill in %s", cg).isEqualTo(expected.pid());
        }
    }

    /** The pid of the kernel's first OOM kill in this memory cgroup, from its "oom-kill:...,oom_memcg=CG,...,pid=N" line. */
    private static int firstOomKillIn(String cg) throws Exception {
        Process p = new ProcessBuilder("dmesg").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : log.split("\n")) {
            int at = line.indexOf("oom-kill:");
            if (at >= 0 && line.contains("oom_memcg=" + cg + ",")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(",pid=(\\d+),").matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return -1;
    }

    /** VmRSS + VmSwap + VmPTE: the pages oom_badness() counts. */
    private static long badnessKb(OwnedPid p) {
        long sum = 0;
        for (String field : List.of("VmRSS", "VmSwap", "VmPTE")) {
            sum += LiveProc.status(p.pid(), field).map(v -> Long.parseLong(v.replace("kB", "").trim())).orElse(0L);
        }
        return sum;
    }

    // ---- 2. a FUSE daemon that answers INIT only

    @Test
    void hungFuseDaemonIsTheBlockerOfItsConnection() {
        LivePreconditions.assumeFuseHangs();
        try (HungFuseDaemon hang = HungFuseDaemon.start()) {
            int conn = hang.connectionId();
            OwnedPid daemon = hang.daemonPid();
            int waiter = hang.waiters().get(0).pid().pid();

            JsonNode doc = scan();
            JsonNode f = findingOf(doc, waiter);
            assertThat(f.get("category").asText()).isEqualTo("fuse");
            assertThat(victims(f)).contains(waiter);
            assertThat(texts(f.get("evidence"))).anySatisfy(l -> assertThat(l)
                    .startsWith(fuseLinePrefix(conn, hang.mountPoint()))
                    .contains("daemon fusefs:" + daemon.pid() + " reads /dev/fuse but never answers"));
            assertThat(texts(f.get("remediation"))).anySatisfy(l -> assertThat(l)
                    .contains("echo 1 > /sys/fs/fuse/connections/" + conn + "/abort"));
            if (waitingConnections(doc).equals(List.of(conn))) {
                assertThat(rootPid(f)).isEqualTo(daemon.pid());
                assertThat(f.get("rootCauseWaitsFor").isNull()).isTrue();
                assertThat(texts(f.get("chain"))).contains("fsop:" + waiter + " (S) waits for a reply from a FUSE"
                        + " daemon (connection " + conn + "); fusefs:" + daemon.pid() + " (S) is the FUSE daemon that"
                        + " must answer");
            }
        }
    }

    // ---- 5. a cluster of D tasks behind one stopped daemon

    @Test
    void stoppedDaemonClusterIsOneStackGroupBehindTheDaemon() {
        LivePreconditions.assumeFuseHangs();
        try (HungFuseDaemon hang = HungFuseDaemon.stoppedCluster(8)) {
            int conn = hang.connectionId();
            OwnedPid daemon = hang.daemonPid();
            List<Integer> waiters = hang.waiters().stream().map(w -> w.pid().pid()).toList();

            JsonNode doc = scan();
            JsonNode group = null;
            for (JsonNode g : doc.get("stackGroups")) {
                if (g.get("tasks").findValues("pid").stream().map(JsonNode::asInt).toList().containsAll(waiters)) {
                    group = g;
                }
            }
            assertThat(group).as("one stack group holds all 8 waiters: %s", doc.get("stackGroups")).isNotNull();
            assertThat(group.get("count").asInt()).isGreaterThanOrEqualTo(8);
            assertThat(group.get("state").asText()).isEqualTo("D");
            assertThat(group.get("headline").asText()).isEqualTo("request_wait_answer");
            assertThat(group.get("role").asText()).isEqualTo("victim");

            JsonNode f = findingOf(doc, waiters.get(0));
            assertThat(f.get("category").asText()).isEqualTo("fuse");
            assertThat(victims(f)).containsAll(waiters);
            assertThat(texts(f.get("evidence"))).anySatisfy(l -> assertThat(l)
                    .startsWith(fuseLinePrefix(conn, hang.mountPoint()))
                    .contains("daemon fusefs:" + daemon.pid() + " is stopped (T)"));
            assertThat(texts(f.get("remediation"))).anySatisfy(l -> assertThat(l)
                    .contains("/sys/fs/fuse/connections/" + conn + "/abort"));
            if (waitingConnections(doc).equals(List.of(conn))) {
                assertThat(rootPid(f)).isEqualTo(daemon.pid());
                assertThat(f.get("blocker").asText()).contains("fusefs:" + daemon.pid() + " is stopped (T)");
                JsonNode blockerGroup = null;
                for (JsonNode g : doc.get("stackGroups")) {
                    if (g.get("tasks").findValues("pid").stream().anyMatch(p -> p.asInt() == daemon.pid())) {
                        blockerGroup = g;
                    }
                }
                assertThat(blockerGroup).isNotNull();
                assertThat(blockerGroup.get("role").asText()).isEqualTo("blocker");
            }
        }
    }

    // ---- 3. seed 003: a FUSE flush during exit of a pid namespace

    @Test
    void fuseFlushInADyingPidNamespaceBlocksItsInit() {
        LivePreconditions.assumePidnsFuseHangs();
        try (FuseFlushPidns hang = FuseFlushPidns.start()) {
            int conn = hang.connectionId();
            int stuck = hang.stuckPid().pid();
            int init = hang.initPid().pid();

            JsonNode doc = scan();
            JsonNode f = findingOf(doc, stuck);
            assertThat(f.get("signature").asText()).isEqualTo("fuse-flush-exit-pidns");
            assertThat(f.get("category").asText()).isEqualTo("fuse");
            assertThat(rootPid(f)).isEqualTo(stuck);
            assertThat(victims(f)).contains(init).doesNotContain(stuck);
            assertThat(f.get("rootCauseWaitsFor").asText()).startsWith("a reply from a FUSE daemon");
            assertThat(texts(f.get("evidence")))
                    .contains("flushpidns:" + stuck + " D in request_wait_answer <- fuse_flush, SIGKILL pending",
                            "flushpidns:" + init + " S in zap_pid_ns_processes")
                    .anySatisfy(l -> assertThat(l).startsWith(fuseLinePrefix(conn, hang.mountPoint()))
                            .contains("daemon fusefs:" + hang.daemonPid().pid() + " reads /dev/fuse but never answers"));
            assertThat(texts(f.get("chain"))).anySatisfy(l -> assertThat(l)
                    .startsWith("flushpidns:" + init + " (S) waits for the other tasks of its pid namespace to exit")
                    .endsWith("flushpidns:" + stuck + " (D) is a task of that pid namespace that has not exited"));
            assertThat(texts(f.get("remediation"))).anySatisfy(l -> assertThat(l)
                    .contains("echo 1 > /sys/fs/fuse/connections/" + conn + "/abort"));
            if (waitingConnections(doc).equals(List.of(conn))) {
                assertThat(f.get("rootCauseWaitsFor").asText()).contains("(connection " + conn + ")");
            }
        }
    }

    // ---- 4. an orphaned userfaultfd, faulted from user mode (S) and from the kernel (D)

    @ParameterizedTest
    @EnumSource(OrphanUffd.Fault.class)
    void orphanedUffdNamesTheFaultingThreadAndTheUffdNobodyServes(OrphanUffd.Fault fault) {
        LivePreconditions.assumeUffdHangs();
        try (OrphanUffd hang = OrphanUffd.start(fault)) {
            int owner = hang.pid().pid();
            int tid = hang.faultingTid();
            String state = fault == OrphanUffd.Fault.KERNEL_GUP ? "D" : "S";

            JsonNode doc = scan();
            JsonNode f = findingOf(doc, tid);
            assertThat(f.get("category").asText()).isEqualTo("uffd");
            assertThat(victims(f)).contains(tid);
            assertThat(rootPid(f)).isEqualTo(owner);
            assertThat(texts(f.get("evidence"))).contains("uffdorphan:" + tid + " " + state + " in handle_userfault")
                    .anySatisfy(l -> assertThat(l)
                            .startsWith("userfaultfd fd " + hang.fd() + " of uffdorphan:" + owner + " (inode ")
                            .endsWith("): 1 fault(s) pending; no other live process holds it, so no handler will"
                                    + " serve the fault(s)"));
            assertThat(texts(f.get("chain"))).contains("uffdorphan:" + tid + " (" + state + ") waits for a"
                    + " userfaultfd handler to serve a page fault (userfaultfd of pid " + owner + "); uffdorphan:"
                    + owner + " (S) owns the userfaultfd nobody serves");
        }
    }

    // ---- 6. a saved bundle diagnoses like the live scan

    @Test
    void savedBundleGivesTheSameFindings(@TempDir Path tmp) {
        LivePreconditions.assumeMemcgV1Hangs();
        Path bundle = tmp.resolve("bundle");
        try (MemcgOomStall stall = MemcgOomStall.start()) {
            int stuck = stall.stalled().get(0).pid().pid();
            JsonNode live = scan("--save", bundle.toString());
            CliRun r = CliRun.of("analyze", "--json", bundle.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
            JsonNode saved = r.json();

            assertThat(saved.get("findings").size()).isEqualTo(live.get("findings").size());
            for (int i = 0; i < live.get("findings").size(); i++) {
                JsonNode a = live.get("findings").get(i);
                JsonNode b = saved.get("findings").get(i);
                for (String field : List.of("signature", "category", "rootCause", "victims", "evidence", "remediation",
                        "blocker", "chain")) {
                    assertThat(b.get(field)).as("%s of finding %s", field, a.get("signature")).isEqualTo(a.get(field));
                }
            }
            JsonNode f = findingOf(saved, stuck);
            assertThat(texts(f.get("evidence"))).anySatisfy(l -> assertThat(l)
                    .contains("its OOM killer would choose memhog:" + stuck + " (rss "));
            assertThat(bundle.resolve("proc").resolve(Integer.toString(stuck)).resolve("oom_score_adj")).exists();
        }
    }

    // ---- 7. a healthy host stays quiet about what is healthy

    @Test
    void healthyFuseMountAndSleepingProcessAreNotReported() {
        LivePreconditions.assumeFuseHangs();
        LivePreconditions.assumeMemcgV1Hangs();
        try (HealthyFuseMount mount = HealthyFuseMount.start(); SleepingBystander sleeper = SleepingBystander.start()) {
            Set<Integer> mine = Set.of(mount.daemonPid().pid(), sleeper.pid().pid());
            CliRun r = CliRun.of("scan", "--json", "--window", "1s");
            assertThat(r.exit()).as(r.err()).isIn(ExitCodes.OK, ExitCodes.PROBLEM); // other tests may hang things
            JsonNode doc = r.json();
            for (JsonNode f : doc.get("findings")) {
                assertThat(pids(f)).as("finding %s", f.get("signature")).doesNotContainAnyElementsOf(mine);
                assertThat(f.toString()).doesNotContain(mount.mountPoint().toString())
                        .doesNotContain("/sys/fs/fuse/connections/" + mount.connectionId() + "/");
            }
            Set<Integer> named = new HashSet<>();
            doc.get("findings").forEach(f -> named.addAll(pids(f)));
            for (JsonNode g : doc.get("stackGroups")) {
                Set<Integer> ps = g.get("tasks").findValues("pid").stream().map(JsonNode::asInt)
                        .collect(Collectors.toSet());
                if (ps.stream().anyMatch(mine::contains) && !g.get("role").isNull()) {
                    // identical stacks fold into one group: a role there must come from someone else's hang
                    assertThat(ps).as("group %s", g).containsAnyElementsOf(named);
                }
            }
            assertThat(mount.waiting()).contains(0L);
        }
    }
}
