package dev.hangdoctor.collect;

import dev.hangdoctor.procfs.PidCgroup;
import dev.hangdoctor.procfs.ProcSource;
import dev.hangdoctor.procfs.PidStat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LiveSourceTest {

    @Test
    void readsUnderTheInjectedRoot(@TempDir Path root) throws Exception {
        ProcFixtures.write(root, "proc/42/cgroup", "4:memory:/kubepods/x\n0::/\n");
        ProcSource host = LiveSource.at(root);
        assertThat(host.live()).isTrue();
        assertThat(host.proc()).isEqualTo(root.resolve("proc"));
        ProcSource.Read r = host.read(PidCgroup.path(host.proc(), 42));
        assertThat(PidCgroup.memoryPath(r.text()).path()).isEqualTo("/kubepods/x");
        ProcSource.Read gone = host.read(PidStat.path(host.proc(), 43));
        assertThat(gone.ok()).isFalse();
        assertThat(gone.missing()).isTrue();
    }

    @Test
    void aFileThatNeverAnswersTimesOut(@TempDir Path root) throws Exception {
        ProcFixtures.write(root, "proc/42/stat", "");
        Path fifo = ProcFixtures.fifo(root.resolve("proc/42/stat"));
        TimedReader reader = new TimedReader(2);
        try {
            ProcSource.Read r = new LiveSource(root, reader, Duration.ofMillis(100)).read(fifo);
            assertThat(r.ok()).isFalse();
            assertThat(r.missing()).isFalse();
            assertThat(r.failure()).startsWith("timeout");
        } finally {
            ProcFixtures.release(fifo);
        }
    }

    @Test
    @Tag("live")
    void theRealHostReadsItsOwnStat() {
        ProcSource host = LiveSource.at(Path.of("/"));
        int self = (int) ProcessHandle.current().pid();
        assertThat(PidStat.parse(host.read(PidStat.path(host.proc(), self)).text()).pid()).isEqualTo(self);
    }
}
