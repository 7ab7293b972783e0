package dev.hangdoctor.act;

import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OomFactsTest {
    @TempDir
    Path proc;

    @Test
    void everyMemberIsReadWhateverBytesItsNameHolds() throws Exception {
        ProcFixture f = new ProcFixture(proc);
        List<Integer> pids = new ArrayList<>();
        int pid = ProcFixture.PID_BASE;
        for (byte[] name : ProcFixture.HOSTILE_NAMES) {
            f.process(++pid, name, 43_000 + pid, 240 * 1024);
            pids.add(pid);
        }
        OomFacts.Members m = OomFacts.read(proc, pids);
        assertThat(m.unreadable()).isEmpty();
        assertThat(m.evidence().tasks()).hasSize(ProcFixture.HOSTILE_NAMES.length);
        for (int i = 0; i < pids.size(); i++) {
            Task t = m.evidence().taskOrNull(pids.get(i));
            assertThat(t.comm()).isEqualTo(ProcFixture.shown(ProcFixture.HOSTILE_NAMES[i]));
            assertThat(t.rssKb()).isEqualTo(240L * 1024);
            assertThat(t.startTime()).isEqualTo(43_000L + pids.get(i));
            assertThat(t.oomScoreAdj()).isZero();
        }
    }

    @Test
    void aMemberThatExitedIsLeftOutButOneThatCannotBeReadIsSaid() throws Exception {
        int present = ProcFixture.PID_BASE + 1;
        int unreadable = ProcFixture.PID_BASE + 2;
        int exited = ProcFixture.PID_BASE + 3;
        ProcFixture f = new ProcFixture(proc).process(present, ProcFixture.bytes("sh"), 1, 8 * 1024)
                .process(unreadable, ProcFixture.bytes("hog"), 2, 240 * 1024);
        Files.delete(proc.resolve(unreadable + "/status"));
        Files.createDirectories(proc.resolve(unreadable + "/status"));
        OomFacts.Members m = OomFacts.read(f.proc(), List.of(present, unreadable, exited));
        assertThat(m.evidence().tasks()).extracting(Task::pid).containsExactly(present);
        assertThat(m.unreadable()).singleElement().asString().contains("pid " + unreadable).contains("status");
    }
}
