package dev.hangdoctor.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** /proc/PID/task/TID/syscall in the three shapes fs/proc/base.c prints. */
class TaskSyscallTest {
    @Test
    void aCallHasItsNumberAndSixArguments() {
        // newfstatat(AT_FDCWD, path, buf, 0) of a task stuck on a FUSE mount, x86_64
        TaskSyscall c = TaskSyscall.parse("262 0xffffff9c 0x9da 0x7ffc40a4d3b0 0x0 0x0 0x64 0x7ffc40a4d388"
                + " 0x7f413e30386a\n");
        assertThat(c.number()).isEqualTo(262);
        assertThat(c.args()).containsExactly("0xffffff9c", "0x9da", "0x7ffc40a4d3b0", "0x0", "0x0", "0x64");
        assertThat(c.arg(0)).isEqualTo(0xffffff9cL);
        assertThat(c.arg(2)).isEqualTo(0x7ffc40a4d3b0L);
        assertThat(c.arg(6)).isNull();
    }

    @Test
    void outsideACallOrRunningIsNoCall() {
        assertThat(TaskSyscall.parse("-1 0x7ffd5c2f0f48 0x7f1e2a31b7e2\n")).isNull();
        assertThat(TaskSyscall.parse("running\n")).isNull();
        assertThat(TaskSyscall.parse("")).isNull();
        assertThat(TaskSyscall.parse(null)).isNull();
    }

    @Test
    void aWordThatIsNotHexIsNoValue() {
        assertThat(TaskSyscall.parse("0 0x3 zz 0x20000 0x0 0x0 0x0 0x7ffd5c2f0f48 0x7f1e2a31b7e2").arg(1)).isNull();
    }

    @Test
    void theFileOfOneThread() {
        assertThat(TaskSyscall.path(Path.of("r/proc"), 4892, 4893)).isEqualTo(Path.of("r/proc/4892/task/4893/syscall"));
    }
}
