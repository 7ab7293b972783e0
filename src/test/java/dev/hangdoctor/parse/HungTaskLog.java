package dev.hangdoctor.parse;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A kernel log made on the fly: 5.9+-style hung-task reports (as in the parser fixtures), every one for a new pid
 * and name (the worst case: nothing folds by pid), each followed by a line of noise. Nothing is held but one
 * report, so a test can stream hundreds of MB through a reader or into a process without a file or a big array.
 */
public final class HungTaskLog extends InputStream {
    private final long maxTasks;
    private final long maxBytes;
    private long tasks;
    private long produced;
    private int pid = 1000;
    private byte[] chunk = new byte[0];
    private int pos;

    private HungTaskLog(long maxTasks, long maxBytes) {
        this.maxTasks = maxTasks;
        this.maxBytes = maxBytes;
    }

    /** Exactly {@code count} reports. */
    public static HungTaskLog ofTasks(long count) {
        return new HungTaskLog(count, Long.MAX_VALUE);
    }

    /** Reports until {@code bytes} bytes (the last one may be cut). */
    public static HungTaskLog ofBytes(long bytes) {
        return new HungTaskLog(Long.MAX_VALUE, bytes);
    }

    private boolean next() {
        if (tasks == maxTasks) {
            return false;
        }
        tasks++;
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
        return true;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        int n = 0;
        while (n < len && produced < maxBytes) {
            if (pos == chunk.length && !next()) {
                break;
            }
            int k = (int) Math.min(Math.min(len - n, chunk.length - pos), maxBytes - produced);
            System.arraycopy(chunk, pos, b, off + n, k);
            pos += k;
            n += k;
            produced += k;
        }
        return n == 0 && len > 0 ? -1 : n;
    }
}
