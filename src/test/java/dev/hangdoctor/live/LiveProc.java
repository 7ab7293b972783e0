package dev.hangdoctor.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few /proc reads the live harness needs, all safe on a hung task: stat, status, stack, comm,
 * children and mountinfo never take the target's mmap lock (cmdline and environ can, so they are absent).
 */
public final class LiveProc {

    /** Fields of /proc/PID/stat the harness uses; {@code startTime} is field 22 (clock ticks after boot). */
    public record Stat(int pid, String comm, char state, int ppid, long startTime) {
    }

    /** One line of /proc/self/mountinfo: {@code minor} of {@code 0:N} is the FUSE connection id. */
    public record Mount(int mountId, int major, int minor, String mountPoint, String fsType, String source) {
    }

    private LiveProc() {
    }

    /** The process (or thread-group leader) stat, empty when the pid does not exist. */
    public static Optional<Stat> stat(int pid) {
        return read(Path.of("/proc", Integer.toString(pid), "stat")).flatMap(LiveProc::parseStat);
    }

    /** One thread's stat, empty when it does not exist. */
    public static Optional<Stat> stat(int pid, int tid) {
        return read(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "stat"))
                .flatMap(LiveProc::parseStat);
    }

    static Optional<Stat> parseStat(String text) {
        // comm may itself contain ')' and spaces: it ends at the LAST ')'
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= text.length()) {
            return Optional.empty();
        }
        try {
            int pid = Integer.parseInt(text.substring(0, open).trim());
            String[] rest = text.substring(close + 2).trim().split(" ");
            // rest[0] is field 3 (state), so field N is rest[N - 3]
            if (rest.length < 20) {
                return Optional.empty();
            }
            return Optional.of(new Stat(pid, text.substring(open + 1, close), rest[0].charAt(0),
                    Integer.parseInt(rest[1]), Long.parseLong(rest[19])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** /proc/PID/task/TID/stack as the kernel prints it, "" when the thread is gone. */
    public static String stack(int pid, int tid) {
        return read(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "stack")).orElse("");
    }

    /** /proc/PID/stack, "" when the process is gone. */
    public static String stack(int pid) {
        return read(Path.of("/proc", Integer.toString(pid), "stack")).orElse("");
    }

    /** Function names of a stack text, top first: {@code [<0>] fuse_flush+0x155/0x190} gives {@code fuse_flush}. */
    public static List<String> functions(String stack) {
        List<String> names = new ArrayList<>();
        for (String line : stack.split("\n")) {
            int start = line.indexOf("] ");
            if (start < 0) {
                continue;
            }
            String sym = line.substring(start + 2).trim();
            int end = sym.indexOf('+');
            if (end < 0) {
                end = sym.indexOf(' ');
            }
            names.add(end < 0 ? sym : sym.substring(0, end));
        }
        return names;
    }

    /** The value of one {@code Name:\tvalue} line of /proc/PID/status (or of a thread with tid == pid). */
    public static Optional<String> status(int pid, String field) {
        return read(Path.of("/proc", Integer.toString(pid), "status")).flatMap(text -> {
            for (String line : text.split("\n")) {
                if (line.startsWith(field + ":")) {
                    return Optional.of(line.substring(field.length() + 1).trim());
                }
            }
            return Optional.empty();
        });
    }

    /** Children of a process's main thread (/proc/PID/task/PID/children). */
    public static List<Integer> children(int pid) {
        String text = read(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(pid), "children"))
                .orElse("");
        List<Integer> pids = new ArrayList<>();
        for (String s : text.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                pids.add(Integer.parseInt(s));
            }
        }
        return pids;
    }

    /** Our own mount table. */
    public static List<Mount> mounts() {
        List<Mount> mounts = new ArrayList<>();
        for (String line : read(Path.of("/proc/self/mountinfo")).orElse("").split("\n")) {
            parseMount(line).ifPresent(mounts::add);
        }
        return mounts;
    }

    static Optional<Mount> parseMount(String line) {
        String[] f = line.split(" ");
        int dash = List.of(f).indexOf("-");
        if (f.length < 7 || dash < 6 || dash + 2 >= f.length) {
            return Optional.empty();
        }
        try {
            String[] dev = f[2].split(":");
            return Optional.of(new Mount(Integer.parseInt(f[0]), Integer.parseInt(dev[0]), Integer.parseInt(dev[1]),
                    unescape(f[4]), f[dash + 1], f[dash + 2]));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
