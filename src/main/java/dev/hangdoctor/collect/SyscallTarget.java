package dev.hangdoctor.collect;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.procfs.TaskSyscall;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What file a task blocked in a system call is working on, from /proc/PID/task/TID/syscall ("262 0xffffff9c
 * 0x7ffc40a4f9da ..."): the descriptor of an fd-based call (read, fstat, fsync, ...), or the path of a path-based one
 * (stat, openat, statx, ...) read out of the task's memory (/proc/PID/mem). A `stat` waiting on a FUSE daemon has no
 * open file and its cwd need not be on the mount: its path is what ties it to the connection. Numbers are those of
 * x86_64 and of the generic table (arm64, riscv64); other architectures, and 32-bit tasks on a 64-bit kernel, give
 * nothing.
 */
final class SyscallTarget {
    /** The call's target: a path argument (with its directory fd, AT_FDCWD or null) or an fd. */
    record Target(Integer fd, Integer dirFd, String path) {
    }

    static final int AT_FDCWD = -100;
    private static final int MAX_PATH = 4096;
    /** Reads of another task's memory run here, bounded: a task whose mm lock is held would block the read. */
    private static final int MAX_STUCK = 4;
    private static final java.util.concurrent.Semaphore READERS = new java.util.concurrent.Semaphore(MAX_STUCK);
    private static final ExecutorService MEM = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hangdoctor-mem");
        t.setDaemon(true);
        return t;
    });

    /** syscall number -> where its target is: "p0" path in arg 0, "dp" dirfd in arg 0 and path in arg 1, "f0" fd. */
    private static final Map<Integer, String> X86_64 = table(
            "p0", new int[] {2, 4, 6, 21, 59, 76, 80, 82, 83, 84, 85, 86, 87, 89, 90, 92, 94, 132, 133, 137, 188, 189,
                    191, 192, 194, 195, 197, 198},
            "dp", new int[] {257, 258, 259, 260, 261, 262, 263, 264, 265, 267, 268, 269, 280, 316, 322, 332, 437, 439,
                    452},
            "f0", new int[] {0, 1, 5, 8, 16, 17, 18, 19, 20, 73, 74, 75, 77, 78, 81, 138, 190, 193, 196, 217, 221, 285,
                    295, 296, 306, 326});
    /** include/uapi/asm-generic/unistd.h, the 64-bit numbering arm64 and riscv64 use. */
    private static final Map<Integer, String> GENERIC = table(
            "p0", new int[] {5, 6, 8, 9, 11, 12, 14, 15, 43, 45, 49, 51, 221},
            "dp", new int[] {33, 34, 35, 37, 38, 48, 53, 54, 56, 78, 79, 88, 276, 281, 291, 437, 439, 452},
            "f0", new int[] {7, 10, 13, 16, 25, 29, 32, 44, 46, 47, 50, 52, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70,
                    80, 82, 83, 84, 213, 223, 267, 285, 286, 287});
    /**
     * Kernel entry points of a 32-bit task's system call on a 64-bit kernel (x86_64 ia32 emulation, arm64 AArch32):
     * its /proc/PID/syscall number is from the 32-bit table (ia32 5 is open, x86_64 5 is fstat), so the 64-bit
     * table would read the wrong argument.
     */
    private static final Set<String> COMPAT_ENTRIES = Set.of("do_fast_syscall_32", "__do_fast_syscall_32",
            "do_int80_syscall_32", "int80_emulation", "el0_svc_compat", "do_el0_svc_compat", "el0t_32_sync_handler");

    private SyscallTarget() {
    }

    private static Map<Integer, String> table(Object... kindsAndNumbers) {
        Map<Integer, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kindsAndNumbers.length; i += 2) {
            for (int n : (int[]) kindsAndNumbers[i + 1]) {
                m.put(n, (String) kindsAndNumbers[i]);
            }
        }
        return Map.copyOf(m);
    }

    /** The x86_64 table, whatever the host (tests of captured x86_64 lines). */
    static Map<Integer, String> x86_64() {
        return X86_64;
    }

    /** The table of this JVM's architecture, which is the host's for a live scan; null when unknown. */
    static Map<Integer, String> hostTable() {
        return tableFor(System.getProperty("os.arch", ""));
    }

    /** The table of an architecture as Java names it (os.arch); null when unknown. */
    static Map<Integer, String> tableFor(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "riscv64" -> GENERIC;
            default -> null;
        };
    }

    /**
     * Whether the stack shows a 32-bit system call on a 64-bit kernel: its number is not from {@link #hostTable()},
     * so it says nothing this class can read.
     */
    static boolean compat(List<Frame> frames) {
        for (Frame f : frames) {
            String fn = f.function();
            int dot = fn.indexOf('.');
            if (COMPAT_ENTRIES.contains(dot > 0 ? fn.substring(0, dot) : fn)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The target of the call in a syscall file's text, reading a path argument through {@code mem} (null: paths
     * are not read) within {@code timeoutNanos}; null when the task is not in a call this knows.
     */
    static Target of(String syscallText, Map<Integer, String> table, Path mem, long timeoutNanos) {
        if (syscallText == null || table == null) {
            return null;
        }
        TaskSyscall call = TaskSyscall.parse(syscallText);
        String kind = call == null ? null : table.get(call.number());
        if (kind == null) {
            return null;
        }
        Long a0 = fdOrAddress(call.arg(0));
        Long a1 = fdOrAddress(call.arg(1));
        if (kind.equals("f0")) {
            return a0 == null ? null : new Target((int) (long) a0, null, null);
        }
        Long pathAddr = kind.equals("p0") ? a0 : a1;
        Integer dirFd = kind.equals("p0") ? Integer.valueOf(AT_FDCWD) : a0 == null ? null : (int) (long) a0;
        if (pathAddr == null || pathAddr == 0 || mem == null) {
            return null;
        }
        String path = readString(mem, pathAddr, timeoutNanos);
        return path == null || path.isEmpty() ? null : new Target(null, dirFd, path);
    }

    /** The NUL-terminated string at {@code addr} in the task's memory, or null when it cannot be read in time. */
    private static String readString(Path mem, long addr, long timeoutNanos) {
        // a read that blocks on a held mmap lock never returns and keeps its thread: at most MAX_STUCK such threads
        // for the life of the process (an agent on an mmap_sem hang scans again and again), then paths go unread and
        // the other ties (fds, cwd) do the work
        if (!READERS.tryAcquire()) {
            return null;
        }
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try (FileChannel ch = FileChannel.open(mem, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(MAX_PATH);
                int n = ch.read(b, addr);
                if (n <= 0) {
                    return null;
                }
                byte[] bytes = b.array();
                int end = 0;
                while (end < n && bytes[end] != 0) {
                    end++;
                }
                return end == n ? null : new String(bytes, 0, end, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                return null;
            } finally {
                READERS.release();
            }
        }, MEM);
        try {
            return f.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            f.cancel(true);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    /** An argument as the call saw it: AT_FDCWD (-100 as a 32- or 64-bit word) as such, else the value. */
    private static Long fdOrAddress(Long v) {
        if (v == null) {
            return null;
        }
        return v == 0xffffff9cL || v == 0xffffffffffffff9cL ? AT_FDCWD : v;
    }
}
