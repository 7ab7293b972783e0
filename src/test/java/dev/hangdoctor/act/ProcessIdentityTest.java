package dev.hangdoctor.act;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessIdentityTest {
    @TempDir
    Path proc;

    @Test
    void aNameThatIsNotUtf8StillIdentifiesTheProcess() throws Exception {
        ProcFixture f = new ProcFixture(proc);
        int pid = ProcFixture.PID_BASE;
        for (byte[] name : ProcFixture.HOSTILE_NAMES) {
            f.process(++pid, name, 43_000 + pid, 1024);
            ProcessIdentity.Lookup l = ProcessIdentity.lookup(proc, pid);
            assertThat(l.failure()).isNull();
            assertThat(l.identity()).as("pid %d", pid).isNotNull();
            assertThat(l.identity().startTime()).isEqualTo(43_000 + pid);
            assertThat(l.identity().ppid()).isEqualTo(1);
            assertThat(l.identity().comm()).isEqualTo(ProcFixture.shown(name));
            assertThat(l.identity().stillAlive(proc)).isTrue();
        }
    }

    @Test
    void anExitedProcessIsToldApartFromAFailedRead() throws Exception {
        int pid = ProcFixture.PID_BASE + 1;
        assertThat(ProcessIdentity.lookup(proc, pid).gone()).as("no /proc entry").isTrue();
        Files.createDirectories(proc.resolve(pid + "/stat")); // a read error (EISDIR) on a process that is there
        ProcessIdentity.Lookup l = ProcessIdentity.lookup(proc, pid);
        assertThat(l.gone()).isFalse();
        assertThat(l.failure()).contains("cannot read");
        Files.delete(proc.resolve(pid + "/stat"));
        Files.writeString(proc.resolve(pid + "/stat"), "not a stat line\n");
        assertThat(ProcessIdentity.lookup(proc, pid).failure()).contains("not a stat line");
    }

    @Test
    void theStartTimeTheScanSawMustMatch() throws Exception {
        int pid = ProcFixture.PID_BASE + 1;
        new ProcFixture(proc).process(pid, ProcFixture.bytes("worker"), 9000, 1024);
        ProcessIdentity id = ProcessIdentity.read(proc, pid).orElseThrow();
        assertThat(id.differsFrom(9000L)).isNull();
        assertThat(id.differsFrom(8000L)).contains("now belongs to another process");
        assertThat(id.differsFrom(null)).contains("did not record its start time");
    }
}
