package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.List;

/**
 * /proc/PID/task/TID/syscall: the system call a blocked thread is in, as fs/proc/base.c prints it: the number, six
 * arguments, the stack pointer and the program counter in hex ("262 0xffffff9c 0x9da ... 0x7f413e30386a"); "-1 SP PC"
 * when the thread is blocked outside a call, "running" when it runs.
 *
 * @param number the call's number in the table of the thread's architecture
 * @param args   the arguments as printed (hex words), at most six
 */
public record TaskSyscall(int number, List<String> args) {
    public TaskSyscall {
        args = List.copyOf(args);
    }

    /** The syscall file of one thread of a process under a proc root. */
    public static Path path(Path procRoot, int pid, int tid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid)).resolve("syscall");
    }

    /** The call, or null when the thread is in none ("running", "-1 SP PC") or the text is not a syscall line. */
    public static TaskSyscall parse(String text) {
        if (text == null) {
            return null;
        }
        String[] f = text.strip().split("\\s+");
        if (f.length < 4) {
            return null;
        }
        int nr;
        try {
            nr = Integer.parseInt(f[0]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (nr < 0) {
            return null;
        }
        // the last two words are the stack pointer and the program counter
        return new TaskSyscall(nr, List.of(f).subList(1, Math.min(f.length - 2, 7)));
    }

    /** Argument {@code i} as the unsigned value printed, or null when it is missing or not hex. */
    public Long arg(int i) {
        if (i >= args.size() || !args.get(i).startsWith("0x")) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(args.get(i).substring(2), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
