package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The five seed investigations, end to end through the CLI: category, blocker and victims from their own evidence. */
class SeedExamplesTest {

    private static JsonNode analyze(String folder) {
        CliRun r = CliRun.of("analyze", "--json", "examples/" + folder);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
        assertThat(r.err()).as("no file of the example may be skipped").doesNotContain("skipped");
        return r.json();
    }

    private static List<Integer> pids(JsonNode refs) {
        List<Integer> out = new ArrayList<>();
        refs.forEach(r -> out.add(r.get("pid").asInt()));
        return out;
    }

    @Test
    void seed000RuncLoopsInMemcgReclaim() {
        JsonNode top = analyze("seed000-runc-memcg-reclaim").get("findings").get(0);
        assertThat(top.get("category").asText()).isEqualTo("memcg-oom");
        assertThat(top.get("rootCause").get("pid").asInt()).isEqualTo(112272);
        assertThat(top.get("rootCause").get("comm").asText()).isEqualTo("runc:[2:INIT]");
        assertThat(top.get("evidence").toString()).contains("address=cd3468");
    }

    @Test
    void seed001HandleHolderIsTheBlockerOfTheJbd2OomCycle() {
        JsonNode doc = analyze("seed001-centos7-jbd2-oom");
        JsonNode top = doc.get("findings").get(0);
        assertThat(top.get("signature").asText()).isEqualTo("centos7-jbd2-oom-getblk-deadlock");
        assertThat(top.get("category").asText()).isEqualTo("jbd2");
        assertThat(top.get("rootCause").get("pid").asInt()).isEqualTo(27225);
        assertThat(pids(top.get("victims"))).containsExactlyInAnyOrder(587, 906, 27153);
        assertThat(top.get("chain").toString()).contains("a cycle: deadlock");
        assertThat(doc.get("findings")).hasSize(1);
    }

    @Test
    void seed002OrphanedUserfaultfdOwnerBlocksItsFaultingThread() {
        JsonNode top = analyze("seed002-firecracker-uffd").get("findings").get(0);
        assertThat(top.get("category").asText()).isEqualTo("uffd");
        assertThat(top.get("rootCause").get("pid").asInt()).isEqualTo(17063);
        assertThat(pids(top.get("victims"))).containsExactly(17066);
        assertThat(top.get("evidence").toString()).contains("1 fault(s) pending");
    }

    @Test
    void seed003FlushingThreadBlocksThePidNamespaceInit() {
        JsonNode doc = analyze("seed003-fuse-flush-pidns");
        JsonNode top = doc.get("findings").get(0);
        assertThat(top.get("category").asText()).isEqualTo("fuse");
        assertThat(top.get("rootCause").get("pid").asInt()).isEqualTo(1544574);
        assertThat(pids(top.get("victims"))).containsExactly(1528591);
        assertThat(top.get("remediation").toString()).contains("/sys/fs/fuse/connections/");
        assertThat(doc.get("goroutines").get(0).asText()).contains("8817 minutes").contains("DockerRuntime).Kill");
    }

    @Test
    void seed004LockupHasNoTaskToBlameButNamesTheCpu() {
        JsonNode top = analyze("seed004-cfs-bandwidth-lockup").get("findings").get(0);
        assertThat(top.get("category").asText()).isEqualTo("cfs-bandwidth-lockup");
        assertThat(top.get("rootCause").isNull()).isTrue();
        assertThat(top.get("blocker").asText()).contains("CPU 50").contains("interrupt");
        assertThat(top.get("fix").get("kernels").toString()).contains("3.10.0-585.el7");
    }
}
