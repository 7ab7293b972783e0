package dev.hangdoctor.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /proc/PID/syscall lines as a 6.18 x86_64 host printed them for tasks waiting on a hung FUSE daemon; a file stands
 * in for /proc/PID/mem with the path at the call's address.
 */
class SyscallTargetTest {
    @TempDir
    Path dir;

    private static final long TIMEOUT = Duration.ofSeconds(1).toNanos();

    private Map<Integer, String> x86() {
        // the x86_64 table whatever this JVM runs on
        return SyscallTarget.x86_64();
    }

    @Test
    void aStatWaitingOnFuseGivesItsPathFromMemory() throws Exception {
        Path mem = dir.resolve("mem");
        try (FileChannel ch = FileChannel.open(mem, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("/tmp/tmp.BDH2HiztYC/mnt/w0\0junk".getBytes(StandardCharsets.UTF_8)), 0x9da);
        }
        SyscallTarget.Target t = SyscallTarget.of("262 0xffffff9c 0x9da 0x7ffc40a4d3b0 0x0 0x0 0x64 0x7ffc40a4d388"
                + " 0x7f413e30386a\n", x86(), mem, TIMEOUT);
        assertThat(t).isEqualTo(new SyscallTarget.Target(null, SyscallTarget.AT_FDCWD, "/tmp/tmp.BDH2HiztYC/mnt/w0"));
    }

    @Test
    void anFdCallGivesItsFdAndOtherLinesGiveNothing() {
        assertThat(SyscallTarget.of("0 0x3 0x7ffd5c2f1000 0x20000 0x0 0x0 0x0 0x7ffd5c2f0f48 0x7f1e2a31b7e2", x86(),
                null, TIMEOUT)).isEqualTo(new SyscallTarget.Target(3, null, null));
        assertThat(SyscallTarget.of("running", x86(), null, TIMEOUT)).isNull();
        assertThat(SyscallTarget.of("-1 0x7ffd5c2f0f48 0x7f1e2a31b7e2", x86(), null, TIMEOUT)).isNull();
        // a path call whose memory cannot be read (a bundle) says nothing rather than guess
        assertThat(SyscallTarget.of("262 0xffffff9c 0x9da 0x0 0x0 0x0 0x0 0x0 0x0", x86(), null, TIMEOUT)).isNull();
        assertThat(SyscallTarget.of("262 0xffffff9c 0x9da 0x0 0x0 0x0 0x0 0x0 0x0", x86(), dir.resolve("none"),
                TIMEOUT)).isNull();
    }
}
