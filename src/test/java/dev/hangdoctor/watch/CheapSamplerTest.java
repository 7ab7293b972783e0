package dev.hangdoctor.watch;

import dev.hangdoctor.collect.TimedReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The cheap sample on a copy of the 6.18 bundle: a task in D, a FUSE connection with waiters, a memcg under OOM. */
class CheapSamplerTest {
    @TempDir
    Path root;

    private void copyBundle() throws IOException {
        Path from = Path.of("src/test/resources/proc/bundle-6.18");
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path to = root.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        // the bundle keeps the memcg's files the full scan reads; the cheap sample also reads memory.oom_control
        Path memcg = root.resolve("sys/fs/cgroup/memory/h5test");
        if (!Files.exists(memcg.resolve("memory.oom_control"))) {
            Files.writeString(memcg.resolve("memory.oom_control"), "oom_kill_disable 1\nunder_oom 1\noom_kill 0\n");
        }
    }

    @Test
    void conditionsTriggerOnlyOnceTheyHaveHeldForTheThreshold() throws Exception {
        copyBundle();
        CheapSampler s = new CheapSampler(root, Duration.ofMillis(300), 1000, new TimedReader(4));
        CheapSampler.Sample first = s.sample();
        assertThat(first.triggers()).isEmpty();
        assertThat(first.byState()).containsEntry('D', 2);
        assertThat(first.fuseWaiting()).isEqualTo(2);
        assertThat(first.memcgsUnderOom()).isEqualTo(1);
        assertThat(first.load1()).isNotNull();
        Thread.sleep(350);
        CheapSampler.Sample second = s.sample();
        assertThat(second.triggers()).extracting(CheapSampler.Trigger::key)
                .contains("D:4892@43795", "fuse:40", "memcg:/h5test");
        assertThat(second.stuckTasks()).isEqualTo(2);
    }

    @Test
    void aTaskThatLeavesDStartsOver() throws Exception {
        copyBundle();
        CheapSampler s = new CheapSampler(root, Duration.ofMillis(300), 1000, new TimedReader(4));
        s.sample();
        Path stat = root.resolve("proc/4892/stat");
        String text = Files.readString(stat);
        Files.writeString(stat, text.replace(" D 4889", " S 4889"));
        Thread.sleep(350);
        s.sample();
        Files.writeString(stat, text);
        assertThat(s.sample().triggers()).extracting(CheapSampler.Trigger::key).doesNotContain("D:4892@43795");
    }

    @Test
    void aReusedPidIsANewTask() throws Exception {
        copyBundle();
        CheapSampler s = new CheapSampler(root, Duration.ofMillis(300), 1000, new TimedReader(4));
        s.sample();
        Thread.sleep(350);
        Path stat = root.resolve("proc/4892/stat");
        Files.writeString(stat, Files.readString(stat).replace(" 43795 ", " 99999 "));
        assertThat(s.sample().triggers()).extracting(CheapSampler.Trigger::key).doesNotContain("D:4892@99999");
    }

    @Test
    void anEmptyTreeGivesAnEmptySample() {
        CheapSampler s = new CheapSampler(root, Duration.ofSeconds(1), 1000, new TimedReader(4));
        CheapSampler.Sample x = s.sample();
        assertThat(x.tasks()).isZero();
        assertThat(x.triggers()).isEmpty();
    }
}
