package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of /proc/PID/mountinfo (proc(5)): `42 27 0:39 / /mnt rw,nosuid - fuse.sshfs host:/ rw,user_id=0`.
 * Mount points come unescaped (the kernel writes space, tab, newline and backslash as \040, \011, \012, \134).
 */
public record MountinfoEntry(int mountId, int major, int minor, String root, String mountPoint, String fsType,
                             String source) {

    /** The mountinfo of a process ("self" for the reader's own) under a proc root. */
    public static Path path(Path procRoot, String pid) {
        return procRoot.resolve(pid).resolve("mountinfo");
    }

    /** Every entry of a whole file, in order; lines that are not mountinfo lines are skipped. */
    public static List<MountinfoEntry> parseAll(String text) {
        List<MountinfoEntry> out = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                MountinfoEntry m = parse(line);
                if (m != null) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** The entry, or null when the line is not a mountinfo line. */
    public static MountinfoEntry parse(String line) {
        if (line == null || line.isEmpty() || !Character.isDigit(line.charAt(0))) {
            return null;
        }
        String[] f = line.trim().split(" ");
        if (f.length < 7) {
            return null;
        }
        Integer id = ProcNumbers.parseInt(f[0]);
        int colon = f[2].indexOf(':');
        if (id == null || colon <= 0) {
            return null;
        }
        Integer major = ProcNumbers.parseInt(f[2].substring(0, colon));
        Integer minor = ProcNumbers.parseInt(f[2].substring(colon + 1));
        if (major == null || minor == null) {
            return null;
        }
        int dash = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (dash < 0 || dash + 1 >= f.length) {
            return null;
        }
        String source = dash + 2 < f.length ? unescape(f[dash + 2]) : null;
        return new MountinfoEntry(id, major, minor, unescape(f[3]), unescape(f[4]), f[dash + 1], source);
    }

    /** FUSE mounts ("fuse", "fuse.sshfs", "fuseblk"): their minor number is the /sys/fs/fuse/connections id. */
    public boolean isFuse() {
        return fsType.startsWith("fuse") && !fsType.equals("fusectl");
    }

    /** The /sys/fs/fuse/connections directory name: the kernel's dev_t of the mount, (major << 20) | minor. */
    public long fuseConnectionId() {
        return ((long) major << 20) | minor;
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int at) {
        if (at + 3 > s.length()) {
            return false;
        }
        for (int i = at; i < at + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
