package dev.hangdoctor.collect;

import dev.hangdoctor.model.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
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

    /**
     * Numbers pinned from include/uapi/asm-generic/unistd.h (the table arm64 and riscv64 use; the 64-bit names
     * __NR3264_fstatat is newfstatat and __NR3264_fcntl is fcntl) and arch/x86/entry/syscalls/syscall_64.tbl.
     */
    @Test
    void eachArchitectureHasItsOwnNumbers() {
        for (String arch : new String[] {"aarch64", "riscv64"}) {
            Map<Integer, String> t = SyscallTarget.tableFor(arch);
            assertThat(t).as(arch).containsEntry(56, "dp")   // openat
                    .containsEntry(79, "dp")                 // newfstatat
                    .containsEntry(291, "dp")                // statx
                    .containsEntry(437, "dp")                // openat2
                    .containsEntry(63, "f0")                 // read
                    .containsEntry(82, "f0")                 // fsync
                    .containsEntry(25, "f0")                 // fcntl (F_SETLKW waits on a FUSE lock)
                    .containsEntry(49, "p0")                 // chdir
                    .containsEntry(221, "p0")                // execve
                    .doesNotContainKey(17)                   // getcwd: no file argument
                    .doesNotContainKey(57);                  // close
        }
        assertThat(SyscallTarget.tableFor("amd64")).containsEntry(0, "f0").containsEntry(4, "p0")
                .containsEntry(257, "dp").containsEntry(262, "dp").containsEntry(332, "dp")
                .doesNotContainKey(3);                       // close
        assertThat(SyscallTarget.tableFor("x86_64")).isSameAs(SyscallTarget.tableFor("amd64"));
        assertThat(SyscallTarget.tableFor("s390x")).isNull();
        // the same number means another call on each: 63 is read (fd) on arm64 and riscv64, uname on x86_64
        assertThat(SyscallTarget.tableFor("aarch64").get(63)).isEqualTo("f0");
        assertThat(SyscallTarget.tableFor("amd64").get(63)).isNull();
    }

    /**
     * A 32-bit task's call on a 64-bit kernel carries a number of the 32-bit table; its entry function (from
     * arch/arm64/kernel/entry-common.c and arch/x86/entry/common.c) marks it, and nothing is read from it.
     */
    @Test
    void a32BitTasksCallIsNotReadWithThe64BitTable() {
        List<Frame> arm32 = List.of(Frame.of("request_wait_answer"), Frame.of("fuse_simple_request"),
                Frame.of("invoke_syscall"), Frame.of("el0_svc_common.constprop.0"), Frame.of("do_el0_svc_compat"),
                Frame.of("el0_svc_compat"), Frame.of("el0t_32_sync_handler"), Frame.of("el0t_32_sync"));
        List<Frame> ia32 = List.of(Frame.of("request_wait_answer"), Frame.of("__do_fast_syscall_32"),
                Frame.of("do_fast_syscall_32"), Frame.of("entry_SYSENTER_compat_after_hwframe"));
        List<Frame> x64 = List.of(Frame.of("request_wait_answer"), Frame.of("__do_sys_newfstatat"),
                Frame.of("do_syscall_64"), Frame.of("entry_SYSCALL_64_after_hwframe"));
        assertThat(SyscallTarget.compat(arm32)).isTrue();
        assertThat(SyscallTarget.compat(ia32)).isTrue();
        assertThat(SyscallTarget.compat(List.of(Frame.of("int80_emulation")))).isTrue();
        assertThat(SyscallTarget.compat(x64)).isFalse();
        assertThat(SyscallTarget.compat(List.of())).isFalse();
    }
}
