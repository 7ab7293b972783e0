package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEventKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays bounded however much evidence streams through: a generated 400 MB log of 5.9.x-style hung-task reports,
 * every one for a new pid (the worst case: nothing folds by pid), read with the test JVM's heap. The caps keep the
 * tasks and events; identical stacks are shared.
 */
class StreamingMemoryTest {

    /** Endless-looking input made on the fly: no file, no big array. */
    private static final class HungReports extends InputStream {
        private final long limit;
        private long produced;
        private int pid = 1000;
        private byte[] chunk = new byte[0];
        private int pos;

        HungReports(long limit) {
            this.limit = limit;
        }

        private void next() {
            pid++;
            String report = "[ 4080.123456] INFO: task kworker/u8:" + pid + ":" + pid + " blocked for more than 122 seconds.\n"
                    + "[ 4080.123500]       Not tainted 5.15.0-91-generic #101-Ubuntu\n"
                    + "[ 4080.123600] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n"
                    + "[ 4080.123700] task:kworker/u8:" + pid + " state:D stack:    0 pid:" + pid + " ppid:     2 flags:0x00004000\n"
                    + "[ 4080.123800] Call Trace:\n"
                    + "[ 4080.123801]  <TASK>\n"
                    + "[ 4080.123802]  __schedule+0x2c6/0x7d0\n"
                    + "[ 4080.123803]  schedule+0x4e/0xb0\n"
                    + "[ 4080.123804]  io_schedule+0x46/0x70\n"
                    + "[ 4080.123805]  wait_on_page_bit_common+0x10c/0x3d0\n"
                    + "[ 4080.123806]  wait_on_page_writeback+0x43/0x90\n"
                    + "[ 4080.123807]  __filemap_fdatawait_range+0x8f/0x120\n"
                    + "[ 4080.123808]  filemap_write_and_wait_range+0x72/0xd0\n"
                    + "[ 4080.123809]  ext4_sync_file+0x1f5/0x3a0 [ext4]\n"
                    + "[ 4080.123810]  __x64_sys_fsync+0x34/0x60\n"
                    + "[ 4080.123811]  do_syscall_64+0x59/0xc0\n"
                    + "[ 4080.123812]  entry_SYSCALL_64_after_hwframe+0x61/0xcb\n"
                    + "[ 4080.123813]  </TASK>\n"
                    + "[ 4080.200000] EXT4-fs (vda): mounted filesystem with ordered data mode. Quota mode: none.\n";
            chunk = report.getBytes(StandardCharsets.US_ASCII);
            pos = 0;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced >= limit) {
                return -1;
            }
            int n = 0;
            while (n < len && produced < limit) {
                if (pos == chunk.length) {
                    next();
                }
                int k = Math.min(len - n, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off + n, k);
                pos += k;
                n += k;
                produced += k;
            }
            return n;
        }
    }

    @Test
    void fourHundredMegabytesOfDistinctHungTasksStayWithinTheCaps() throws IOException {
        Evidence e = EvidenceReader.read(new HungReports(400L << 20), "generated");
        assertThat(e.tasks()).hasSize(Evidence.MAX_TASKS);
        assertThat(e.tasksDropped()).isPositive();
        assertThat(e.events(KernelEventKind.HUNG_TASK)).hasSize(Evidence.EVENTS_PER_KIND);
        assertThat(e.eventCount(KernelEventKind.HUNG_TASK)).isGreaterThan(Evidence.MAX_TASKS);
        // every task's stack is the one shared list (the stream may end inside a last, shorter one)
        assertThat(e.tasks().stream().map(t -> System.identityHashCode(t.frames())).distinct().count()).isLessThanOrEqualTo(2);
        System.gc();
        long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(used).as("heap in use after reading 400 MB").isLessThan(200L << 20);
    }
}
