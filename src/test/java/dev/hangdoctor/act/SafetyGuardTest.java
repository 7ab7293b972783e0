package dev.hangdoctor.act;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SafetyGuardTest {
    @TempDir
    Path proc;

    /** A /proc/PID/stat in the kernel's format: comm in parentheses, then state, ppid, ..., flags (9th), starttime (22nd). */
    private ProcessIdentity fake(int pid, String comm, int ppid, long flags, long start) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(dir.resolve("stat"), pid + " (" + comm + ") S " + ppid + " " + pid + " " + pid
                + " 0 -1 " + flags + " 100 0 0 0 1 2 0 0 20 0 1 0 " + start + " 10000 100 18446744073709551615"
                + " 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
        return ProcessIdentity.read(proc, pid).orElseThrow();
    }

    @Test
    void refusesInitKernelThreadsSelfAndStrangers() throws IOException {
        SafetyGuard g = new SafetyGuard(proc);
        ProcessIdentity init = fake(1, "systemd", 0, 0x400100, 1);
        ProcessIdentity kworker = fake(57, "kworker/0:1", 2, 0x04208060, 80);
        ProcessIdentity hog = fake(4242, "memhog", 1, 0x400000, 9000);
        int self = (int) ProcessHandle.current().pid();
        ProcessIdentity me = fake(self, "java", 1, 0x400000, 50);
        assertThat(g.refuseKill(init, Set.of(1, 57, 4242, self))).contains("init");
        assertThat(g.refuseKill(kworker, Set.of(57))).contains("kernel thread");
        assertThat(g.refuseKill(me, Set.of(self))).contains("hangdoctor itself");
        assertThat(g.refuseKill(hog, Set.of(1000))).contains("not one of the processes");
        assertThat(g.refuseKill(hog, Set.of(4242))).isNull();
    }

    @Test
    void refusesAReusedPid() throws IOException {
        SafetyGuard g = new SafetyGuard(proc);
        ProcessIdentity before = fake(4242, "memhog", 1, 0x400000, 9000);
        fake(4242, "bash", 1, 0x400000, 9500); // the hog exited and a new process got its pid
        assertThat(g.refuseKill(before, Set.of(4242))).contains("another process");
        Files.delete(proc.resolve("4242/stat"));
        assertThat(g.refuseKill(before, Set.of(4242))).contains("gone");
    }
}
