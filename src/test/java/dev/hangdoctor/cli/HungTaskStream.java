package dev.hangdoctor.cli;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A kernel log made on the fly: {@code count} hung-task reports (the 5.9+ `task:... state:D` form, as in the
 * parser fixtures), each for a task of its own (pid and name), so nothing folds by pid. Nothing is held but one
 * report, so a test can stream hundreds of MB into a process without a file or a big array.
 */
final class HungTaskStream extends InputStream {
    private final int count;
    private int made;
    private byte[] chunk = new byte[0];
    private int pos;

    HungTaskStream(int count) {
        this.count = count;
    }

    private boolean next() {
        if (made == count) {
            return false;
        }
        int pid = 1000 + made++;
        String report = "[ 4080.123456] INFO: task worker" + pid + ":" + pid + " blocked for more than 122 seconds.\n"
                + "[ 4080.123700] task:worker" + pid + "     state:D stack:    0 pid:" + pid + " ppid:     2 flags:0x00004000\n"
                + "[ 4080.123800] Call Trace:\n"
                + "[ 4080.123801]  <TASK>\n"
                + "[ 4080.123802]  __schedule+0x2c6/0x7d0\n"
                + "[ 4080.123803]  schedule+0x4e/0xb0\n"
                + "[ 4080.123804]  io_schedule+0x46/0x70\n"
                + "[ 4080.123805]  wait_on_page_bit_common+0x10c/0x3d0\n"
                + "[ 4080.123809]  ext4_sync_file+0x1f5/0x3a0 [ext4]\n"
                + "[ 4080.123813]  </TASK>\n";
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
        while (n < len) {
            if (pos == chunk.length && !next()) {
                break;
            }
            int k = Math.min(len - n, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off + n, k);
            pos += k;
            n += k;
        }
        return n == 0 && len > 0 ? -1 : n;
    }
}
