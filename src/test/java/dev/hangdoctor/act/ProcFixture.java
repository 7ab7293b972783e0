package dev.hangdoctor.act;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * /proc/PID files of processes whose names are raw bytes, as the kernel prints them: the name unescaped between '('
 * and ')' in stat (it may hold ')', spaces and bytes that are not UTF-8), and in status's Name: line. Pids are above
 * the kernel's PID_MAX_LIMIT (4194304), so no real process can be touched by a test that goes wrong.
 */
final class ProcFixture {
    static final int PID_BASE = 4_194_400;
    /** Names that broke a strict decode or a first-')' parse: a lone 0xff, an invalid sequence, ") " and spaces. */
    static final byte[][] HOSTILE_NAMES = {
            {'h', 'o', 'g', (byte) 0xff},
            {(byte) 0xe2, 0x28, (byte) 0xa1, 'x'},
            bytes("a) S 1 (b"),
            {'m', ')', ' ', (byte) 0xc3, ' ', 'z'},
    };

    private final Path proc;

    ProcFixture(Path proc) {
        this.proc = proc;
    }

    Path proc() {
        return proc;
    }

    /** A process with this name, start time and RSS; its stat follows a real 6.18 line. */
    ProcFixture process(int pid, byte[] name, long startTime, long rssKb) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.write(dir.resolve("stat"), concat(bytes(pid + " ("), name, bytes(") S 1 " + pid + " " + pid
                + " 0 -1 4194560 131 0 0 0 0 0 0 0 20 0 1 0 " + startTime + " 10944512 " + rssKb / 4
                + " 18446744073709551615 94358313906176 94358313907281 140723902063776 0 0 0 0 6 0 0 0 0 17 1 0 0 0"
                + " 0 0 0 0 0 0 0 0 0 0\n")));
        Files.write(dir.resolve("status"), concat(bytes("Name:\t"), name, bytes("\nState:\tS (sleeping)\nTgid:\t" + pid
                + "\nPid:\t" + pid + "\nPPid:\t1\nUid:\t0\t0\t0\t0\nVmRSS:\t" + rssKb + " kB\nVmPTE:\t      48 kB\n"
                + "VmSwap:\t       0 kB\n")));
        Files.writeString(dir.resolve("oom_score_adj"), "0\n");
        return this;
    }

    static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    /** The name as hangdoctor shows it: the bytes decoded as UTF-8, anything else replaced by U+FFFD. */
    static String shown(byte[] name) {
        return new String(name, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
