package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangdoctor.live.LivePreconditions;
import dev.hangdoctor.live.MemcgOomStall;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memcg ladder on a real stall whose hog wants far more than a bounded raise gives (32 MiB limit, a 512 MiB hog,
 * oom_kill_disable): the plan shows both rungs; --yes raises, verifies the hang is still there and only then kills
 * the process the cgroup's OOM killer would choose, and verifies again; --no-kill stops after the raise. The quiet
 * member of the cgroup lives either way.
 */
@Tag("live")
class MemcgLadderLiveTest {
    @TempDir
    Path state;

    private CliRun fix(String... extra) {
        String[] base = {"fix", "--json", "--window", "500ms", "--verify-timeout", "3s", "--state-dir", state.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    private static MemcgOomStall greedyStall() {
        return MemcgOomStall.start(new MemcgOomStall.Spec().limitMiB(32).bystandersMiB(2).hogsMiB(512));
    }

    @Test
    void stillStuckAfterTheRaiseTheOomKillersChoiceGoesAndNobodyElse() throws Exception {
        LivePreconditions.assumeMemcgV1Hangs();
        try (MemcgOomStall hang = greedyStall()) {
            String hog = Integer.toString(hang.stalled().get(0).pid().pid());
            JsonNode dry = fix("--pid", hog).json();
            assertThat(dry.get("ladder").get(0).get("ifStillStuck").asText()).contains(hog);

            CliRun r = fix("--yes", "--pid", hog);
            JsonNode doc = r.json();
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
            assertThat(doc.get("results").get(0).get("action").asText()).isEqualTo("memcg-raise-limit");
            assertThat(doc.get("climbed").get(0).get("action").asText()).isEqualTo("memcg-kill-oom-victim");
            assertThat(doc.get("climbed").get(0).get("result").asText()).isEqualTo("done");
            assertThat(hang.stalled().get(0).pid().awaitGone(Duration.ofSeconds(10))).isTrue();
            hang.bystanders().forEach(b -> assertThat(b.pid().exists()).isTrue());
        }
    }

    @Test
    void noKillStopsAfterTheRaise() throws Exception {
        LivePreconditions.assumeMemcgV1Hangs();
        try (MemcgOomStall hang = greedyStall()) {
            String hog = Integer.toString(hang.stalled().get(0).pid().pid());
            CliRun r = fix("--yes", "--no-kill", "--pid", hog);
            JsonNode doc = r.json();
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.PROBLEM);
            assertThat(doc.get("ladder").get(0).get("ifStillStuck").asText()).startsWith("stop: --no-kill");
            assertThat(doc.has("climbed")).isFalse();
            assertThat(hang.stalled().get(0).pid().exists()).isTrue();
            hang.bystanders().forEach(b -> assertThat(b.pid().exists()).isTrue());
        }
    }
}
