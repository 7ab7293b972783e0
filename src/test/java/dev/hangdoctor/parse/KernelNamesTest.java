package dev.hangdoctor.parse;

import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the kernel put a task's name, found by its own words (lines from the corpus and kernel formats). */
class KernelNamesTest {
    private static String name(String m) {
        KernelNames.Span s = KernelNames.names(m, 0, m.length());
        return s == null ? null : m.substring(s.start(), s.end());
    }

    @Test
    void theNameOfEachFormat() {
        assertThat(name("INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.")).isEqualTo("jbd2/md127-8:587");
        assertThat(name("task:jbd2/nvme0n1p1- state:D stack:    0 pid:13937 ppid:     2 flags:0x00004080"))
                .isEqualTo("jbd2/nvme0n1p1-");
        assertThat(name("jbd2/dm-2-8     D ffff88062fd95e00     0 22274      2 0x00000080")).isEqualTo("jbd2/dm-2-8    ");
        assertThat(name("BUG: soft lockup - CPU#10 stuck for 23s! [migration/10:346]")).isEqualTo("migration/10");
        assertThat(name("java invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=-998")).isEqualTo("java");
        assertThat(name("CPU: 9 PID: 14881 Comm: java Tainted: G    B          ------------ T 3.10.0-327.4.5.el7.x86_64 #1"))
                .isEqualTo("java");
        assertThat(name("Killed process 28438 (java) total-vm:20255636kB, anon-rss:466160kB, file-rss:13684kB"))
                .isEqualTo("java");
        assertThat(name("oom_reaper: reaped process 15617 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"))
                .isEqualTo("python3");
        assertThat(name("[157294]     0 157294    21430      478      12       4        0             0 conmon"))
                .isEqualTo("conmon");
        // not a name's line, or one holding more than the row (a page that lost its line breaks)
        assertThat(name("EXT4-fs (vda): mounted filesystem with ordered data mode.")).isNull();
        assertThat(name("[157294]     0 157294    21430      478      12       4        0             0 conmon "
                + "[ 6690.590802] [157486]     0 157486      256        1")).isNull();
    }

    @Test
    void theNameOfOlderArchitecturesTaskLinesAndOfTheLinesANameStarts() {
        // x86 show_regs() and die(), powerpc show_regs(), s390 show_regs() (OldArchStacksTest's reports)
        assertThat(name("Pid: 208, comm: kswapd0 Not tainted 2.6.17-rc4-git2 #1")).isEqualTo("kswapd0");
        assertThat(name("Process kswapd0 (pid: 208, threadinfo ffff81003fe68000, task ffff81003ff31660)")).isEqualTo("kswapd0");
        assertThat(name("TASK = c00000000ff2b7f0[1899] 'nash' THREAD: c0000000017fc000 CPU: 1")).isEqualTo("nash");
        assertThat(name("Process blast (pid: 8067, task: 000000007a244640, ksp: 000000003dc8f678)")).isEqualTo("blast");
        // lockdep, crash ps (corpus r-022), and the lines the kernel starts with a name (HostileCommTest's sources)
        assertThat(name("1 lock held by rcu_tasks_kthre/10:")).isEqualTo("rcu_tasks_kthre");
        assertThat(name("  2104525  2104522  41  ffff9cf91d000000  UN   0.0   22732   3792  blkid")).isEqualTo("blkid");
        assertThat(name("usbip[5565]: segfault at 0 ip 00007f2a947bddfd sp 00007ffd1a8705e8 error 4 in libc-2.27.so[7f2a94703000+1e7000]"))
                .isEqualTo("usbip");
        assertThat(name("nbd0: page allocation failure: order:0, mode:0x20")).isEqualTo("nbd0");
        assertThat(name("blast cpuset=/ mems_allowed=0")).isEqualTo("blast");
        // a name holding the phrase: the last within a name's width is the kernel's
        assertThat(name("a cpuset=b cpuset=/ mems_allowed=0")).isEqualTo("a cpuset=b");
        // prose that quotes the words after more than a name's width
        assertThat(name("The machine logged this shortly before it hung: page allocation failure: order:0")).isNull();
        assertThat(name("Process accounting resumed")).isNull();
    }

    @Test
    void aNameInBracketsIsAKernelThreadsOnlyWithoutMemory() {
        // crash prints a kernel thread's name in brackets (corpus f-009); a user's task may be named "[x]" too
        Task kthread = CrashLineParser.parsePsRow("544      2   2  ffff95a25c44d230  UN   0.0       0      0  [jbd2/vda1-8]");
        assertThat(kthread.comm()).isEqualTo("jbd2/vda1-8");
        assertThat(kthread.isKernelThread()).isTrue();
        Task user = CrashLineParser.parsePsRow("2104525  2104522  41  ffff9cf91d000000  UN   0.0   22732   3792  [x:4242]");
        assertThat(user.comm()).isEqualTo("[x:4242]");
        assertThat(user.notes()).isEmpty();
    }

    @Test
    void theKernelsWordsAfterTheNameAreTheLastOnes() {
        // a name holding the kernel's delimiters: the kernel's own come last
        assertThat(name("task: state:R stack: state:D stack:    0 pid: 4242 ppid:     1 flags:0x00004000"))
                .isEqualTo(" state:R stack:");
        assertThat(name("Killed process 9 (a) total-vm:1kB) total-vm:2084120kB, anon-rss:1921912kB")).isEqualTo("a) total-vm:1kB");
        assertThat(name("watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [x:99]:346]")).isEqualTo("x:99]");
    }

    @Test
    void aLineStartingWithANameIsToldFromAPrefixByTheNamesWidth() {
        // "%-15.15s": the field is 15 bytes; a dmesg stamp and a name are wider
        String named = "[ 1.000] BUG:  D ffff88062fd95e00     0 22274      2 0x00000080";
        assertThat(KernelNames.nameFirstAt(named, 0, named.length()))
                .isTrue();
        String logged = "[63362.194164] jbd2/dm-2-8     D ffff88062fd95e00     0 22274      2 0x00000080";
        assertThat(KernelNames.nameFirstAt(logged, 0, logged.length())).isFalse();
        assertThat(KernelLogPrefix.strip(logged, 1).message()).startsWith("jbd2/dm-2-8");
        String hostile = "[63362.194164] kernel: x      D ffff88062fd95e00     0 22274      2 0x00000080";
        assertThat(KernelLogPrefix.strip(hostile, 1).message()).startsWith("kernel: x");
    }

    @Test
    void aTaskLinesStateIsTheKernels() {
        Task t = TaskLineParser.parseNew("task: state:R        state:D stack:    0 pid: 4242 ppid:     1 flags:0x00004000");
        assertThat(t.pid()).isEqualTo(4242);
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(t.comm()).isEqualTo("state:R");
        Task cpu = TaskLineParser.parseCpuHeader("CPU: 3 PID: 1234 Comm: a Not tainted 9 Not tainted 5.15.0-91-generic #101");
        assertThat(cpu.pid()).isEqualTo(1234);
        assertThat(cpu.comm()).isEqualTo("a Not tainted 9");
    }
}
