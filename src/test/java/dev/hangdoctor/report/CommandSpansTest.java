package dev.hangdoctor.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandSpansTest {

    private static List<String> code(String step) {
        return CommandSpans.split(step).stream().filter(CommandSpans.Span::code).map(CommandSpans.Span::text).toList();
    }

    @Test
    void findsTheCommandsOfTheBuiltInRemediations() {
        assertThat(code("Give the cgroup more memory: echo <bytes> > /sys/fs/cgroup/memory/<cgroup>/memory.limit_in_bytes"
                + " (the looping allocation then succeeds)"))
                .containsExactly("echo <bytes> > /sys/fs/cgroup/memory/<cgroup>/memory.limit_in_bytes");
        assertThat(code("Send SIGKILL to the faulting task (kill -9 <blocker pid>); a fatal signal lets it exit"))
                .containsExactly("kill -9 <blocker pid>");
        assertThat(code("Abort the FUSE connection: echo 1 > /sys/fs/fuse/connections/<N>/abort (N = minor device "
                + "number of the mount, field 3 '0:N' of /proc/<pid>/mountinfo); both end at once"))
                .containsExactly("echo 1 > /sys/fs/fuse/connections/<N>/abort", "/proc/<pid>/mountinfo");
        assertThat(code("Check the device: /sys/block/<dev>/inflight, iostat -x 1, multipath -ll, dmesg for I/O errors"))
                .containsExactly("/sys/block/<dev>/inflight", "iostat -x 1", "multipath -ll", "dmesg");
        assertThat(code("Until then: fewer quotas (echo -1 > /sys/fs/cgroup/cpu/<cgroup>/cpu.cfs_quota_us where a "
                + "quota is not needed)")).containsExactly("echo -1 > /sys/fs/cgroup/cpu/<cgroup>/cpu.cfs_quota_us");
        assertThat(code("kernel.softlockup_panic=1 turns it into a panic")).containsExactly("kernel.softlockup_panic=1");
        assertThat(code("Give up on the mount: umount -f -l <mountpoint>")).containsExactly("umount -f -l <mountpoint>");
    }

    @Test
    void backtickQuotesAreCode() {
        assertThat(code("Avoid tools that read it (`ps -o pid,stat,comm` instead of full command lines)"))
                .containsExactly("ps -o pid,stat,comm");
        assertThat(CommandSpans.backticks("`docker kill` hangs, an odd ` stays")).containsExactly(
                new CommandSpans.Span("docker kill", true), new CommandSpans.Span(" hangs, an odd ` stays", false));
    }

    @Test
    void proseStaysProseAndNothingIsLost() {
        String step = "Or kill a task of the cgroup by hand to free memory (facebookincubator/oomd, I/O)";
        assertThat(code(step)).isEmpty();
        String joined = String.join("", CommandSpans.split(step).stream().map(CommandSpans.Span::text).toList());
        assertThat(joined).isEqualTo(step);
        assertThat(CommandSpans.split("")).isEmpty();
    }
}
