package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A /proc/PID/stack pasted into a hang report carries no state, and on 4.x and later no scheduler frame either: the
 * wait on top of it (a workqueue flush, a completion, a sleeping lock) is what says the task sleeps.
 */
class SnapshotSleepTest {

    private static Diagnosis diagnose(String report) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
        e.savedReport(true);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    @Test
    void aProcStackWithAWorkqueueFlushOnTopIsAStuckTask() throws Exception {
        // lore.kernel.org/r/20200402001522.GA21885@dread.disaster.area (fsfreeze on XFS, 4.19.75)
        Diagnosis d = diagnose("""
                > The fsfreeze stack shows:
                > # cat /proc/33256/stack
                > [<0>] __flush_work+0x177/0x1b0
                > [<0>] __cancel_work_timer+0x12b/0x1b0
                > [<0>] xfs_stop_block_reaping+0x15/0x30 [xfs]
                > [<0>] xfs_fs_freeze+0x15/0x40 [xfs]
                > [<0>] freeze_super+0xc8/0x190
                > [<0>] do_vfs_ioctl+0x510/0x630
                > [<0>] ksys_ioctl+0x70/0x80
                > [<0>] __x64_sys_ioctl+0x16/0x20
                > [<0>] do_syscall_64+0x4e/0x100
                > [<0>] entry_SYSCALL_64_after_hwframe+0x44/0xa9
                """);
        assertThat(d.findings()).isNotEmpty();
        Finding f = d.findings().get(0);
        assertThat(f.rootCause().pid()).isEqualTo(33256);
        assertThat(f.confidence()).isLessThan(0.3); // a bare snapshot: lowered
    }

    @Test
    void aProcStackIdleInASyscallIsNoHang() throws Exception {
        // examples/seed002-firecracker-uffd: the main thread of the process waits in pause(2)
        Diagnosis d = diagnose("""
                # cat /proc/17063/task/17063/stack
                [<0>] __do_sys_pause+0x2a/0x50
                [<0>] do_syscall_64+0x71/0x280
                [<0>] entry_SYSCALL_64_after_hwframe+0x76/0x7e
                """);
        assertThat(d.findings()).isEmpty();
    }
}
