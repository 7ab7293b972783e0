package dev.hangdoctor.parse;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.ReportLine;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's name (comm, at most 15 bytes) is set by any local user (prctl PR_SET_NAME, /proc/self/comm) and the kernel
 * prints it inside its own lines. Whatever the name holds, the report reads the same as with a plain name, but for
 * the name itself: no event, task, frame, kernel release or log format the kernel did not print, no other pid, state
 * or duration, no other diagnosis. Each format below is the kernel's (the format string cited, the lines from the
 * corpus or the parser fixtures) with the name put where the kernel puts it: {@code {N}} as {@code %s},
 * {@code {N15}} as {@code %-15.15s}, {@code {N13}} as {@code %-13.13s}.
 */
class HostileCommTest {
    private static final byte[] PLAIN = bytes("plainname");

    /** Names that look like the kernel's own words, fields and delimiters around a name, and what pastes undo. */
    static final List<byte[]> ADVERSARIAL = new ArrayList<>();

    static {
        for (String s : List.of(":1", "x:99", ":4242", "9", "1234", "x:1 blocked", "[x:4242]", "(99)", "a)", "(", ") S 1 (",
                "\"", "\"x\"", "{\"msg\":\"", "{\"log\":\"", "Call Trace:", "INFO: task", "INFO: task x:1", "] soft lockup",
                "BUG: soft lock", "Killed process", "Killed process ", "oom-kill:", "task=x,pid=9", "pid=9,uid=0",
                " state:R", "a state:R stack", " state:R stack:", "x D ffff 0 1 2", "R  running task", "running task",
                "x Not tainted 9", " Tainted: G 9.9", "Not tainted 9.9", "9.9.9 #1", "PID: 1 Comm: x", " Comm: x",
                "COMMAND: \"x\"", "\" COMMAND: \"x", "=3D", "=3D=41", "&lt;", "&#58;", "&amp;", "[ 1.000] BUG:",
                "[    1.000000]", "<TASK>", "</TASK>", " ? foo+0x1/0x2", "foo+0x1/0x2", " [<ffffffff>] x", "kernel: x",
                "kernel:", "> ", ">", "  ", " ", "x ", " x", "\t", "x\\x0a", "\\", "x\ny", "\n", "\r", "\u0000".substring(1)
                        + "a\u001b[0m", "kworker/0:1", "0x00000000", "#1 SMP", "RIP: 0010:x", "pid:1 ppid:2", "tgid:7",
                "task:x state:D", "-- Boot x --", "```", "~~~", "  12  ", "* ", "- ", "1. ", "$ cat /proc/1/",
                "# ", "CPU: 9 PID: 9", "total-vm:1kB,", "Out of memory:", "rcu_sched", "(NOTLB)", "x (L-TLB)",
                " blocked on a", "is blocked on a", " by task x:9", " <writer>", "Workqueue: x", "Hardware name:",
                "NMI backtrace", "sysrq: Show", "stack:0 pid:9", "ppid:9 flags:", "3,1,1,-;x", " SUBSYSTEM=x",
                "Dec  4 21:54:06", "2024-01-01T00:0", "Linux version 9", "x[1234]: y", "<6>[ 1.0] x", "\u00e9t\u00e9", "\u00a0x\u200b")) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            ADVERSARIAL.add(b.length > 15 ? Arrays.copyOf(b, 15) : b);
        }
        ADVERSARIAL.add(new byte[] {'h', 'o', 'g', (byte) 0xff});
        ADVERSARIAL.add(new byte[] {(byte) 0xe2, 0x28, (byte) 0xa1, 'x'});
        ADVERSARIAL.add(new byte[] {'x', (byte) 0xe2, (byte) 0x80});
        ADVERSARIAL.add(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'x'}); // a byte-order mark
        ADVERSARIAL.add(new byte[] {(byte) 0xc2, (byte) 0xa0, ':', '9'}); // a no-break space
    }

    /** How the kernel's lines reached the paste. */
    enum Style {
        /** dmesg (util-linux): "[    T] msg", control bytes shown as \xNN as dmesg does, other bytes as they are. */
        DMESG,
        /** /dev/kmsg: "LEVEL,SEQ,USEC,-;msg", bytes below ' ', from 127 on and '\' escaped as \xNN. */
        KMSG,
        /** syslog: "Mon DD HH:MM:SS host kernel: [    T] msg". */
        SYSLOG,
        /** the messages alone, as a paste without prefixes. */
        BARE
    }

    record Format(String name, List<String> lines) {
    }

    /** The formats, each a short real report (see the class comment for the name slots). */
    static final List<Format> FORMATS = List.of(
            // kernel/hung_task.c "INFO: task %s:%d blocked for more than %ld seconds." and 5.9+ sched_show_task
            // "task:%-15.15s state:%c stack:%5lu pid:%5d ppid:%6d flags:0x%08lx" (the parser fixtures' 5.15 report)
            new Format("hung-task 5.15", List.of(
                    "INFO: task {N}:4242 blocked for more than 122 seconds.",
                    "      Not tainted 5.15.0-91-generic #101-Ubuntu",
                    "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                    "task:{N15} state:D stack:    0 pid: 4242 ppid:     1 flags:0x00004000",
                    "Call Trace:",
                    " <TASK>",
                    " __schedule+0x2c6/0x7d0",
                    " schedule+0x4e/0xb0",
                    " io_schedule+0x46/0x70",
                    " wait_on_page_bit_common+0x10c/0x3d0",
                    " wait_on_page_writeback+0x43/0x90",
                    " __filemap_fdatawait_range+0x8f/0x120",
                    " filemap_write_and_wait_range+0x72/0xd0",
                    " ext4_sync_file+0x1f5/0x3a0 [ext4]",
                    " __x64_sys_fsync+0x34/0x60",
                    " do_syscall_64+0x59/0xc0",
                    " entry_SYSCALL_64_after_hwframe+0x61/0xcb",
                    " </TASK>")),
            // 6.13+: "task:%-15.15s state:%c stack:%-5lu pid:%-5d tgid:%-5d ppid:%-6d task_flags:0x%04x flags:0x%08lx"
            new Format("hung-task 6.13", List.of(
                    "INFO: task {N}:6656 blocked for more than 143 seconds.",
                    "      Not tainted 6.15.0-rc5-syzkaller #0",
                    "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                    "task:{N15} state:D stack:0     pid:6656  tgid:6656  ppid:1      task_flags:0x400140 flags:0x00000019",
                    "Call Trace:",
                    " <TASK>",
                    " __schedule+0x116f/0x5de0",
                    " schedule+0xe7/0x3a0",
                    " schedule_preempt_disabled+0x13/0x30",
                    " __mutex_lock+0x6c7/0xb90",
                    " rtnl_lock+0x15/0x20",
                    " do_syscall_64+0xcd/0x260",
                    " entry_SYSCALL_64_after_hwframe+0x77/0x7f",
                    " </TASK>",
                    "INFO: task {N}:6656 is blocked on a mutex likely owned by task {N}:5939.")),
            // 4.x: "%-15.15s %c" then "%5lu %5d %6d 0x%08lx" (corpus a-004); 3.10 with the saved PC " %016lx "
            new Format("hung-task 4.5", List.of(
                    "INFO: task {N}:22274 blocked for more than 120 seconds.",
                    "      Tainted: P           OE   4.5.0-0.bpo.2-amd64 #1",
                    "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                    "{N15} D ffff88062fd95e00     0 22274      2 0x00000080",
                    " ffff88037247ee40 ffff880613f4ef80 ffff88008bdd8000 ffff88008bdd7bc0",
                    "Call Trace:",
                    " [<ffffffff815b6cd0>] ? bit_wait+0x50/0x50",
                    " [<ffffffff815b6451>] schedule+0x31/0x80",
                    " [<ffffffff815b943f>] schedule_timeout+0x21f/0x2c0",
                    " [<ffffffff815b5a8a>] io_schedule_timeout+0x9a/0x110",
                    " [<ffffffffc0351a38>] jbd2_journal_commit_transaction+0x258/0x19a0 [jbd2]",
                    " [<ffffffff8109b31b>] kthread+0xdb/0x100",
                    " [<ffffffff815bac9f>] ret_from_fork+0x3f/0x70")),
            // 2.6.18: "%-13.13s %c" ... "(L-TLB)" / "(NOTLB)"
            new Format("hung-task 2.6.18", List.of(
                    "INFO: task {N}:1168 blocked for more than 120 seconds.",
                    "{N13} D ffff810001004420     0  1168   1150                     (NOTLB)",
                    " ffff81003f2fdd48 0000000000000086 ffff81003f2fdd98 ffffffff80063ff8",
                    "Call Trace:",
                    " [<ffffffff80063ff8>] __mutex_lock_slowpath+0x60/0x9b",
                    " [<ffffffff80064042>] .text.lock.mutex+0xf/0x14",
                    " [<ffffffff8000d9c9>] do_sync+0x1a/0x4a",
                    " [<ffffffff8005d116>] system_call+0x7e/0x83")),
            // kernel/watchdog.c "BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]" and lib/dump_stack.c
            // "CPU: %d PID: %d Comm: %.20s %s%s %s %.*s"
            new Format("soft lockup", List.of(
                    "watchdog: BUG: soft lockup - CPU#10 stuck for 23s! [{N}:346]",
                    "Modules linked in: xfs libcrc32c ixgbe tg3",
                    "CPU: 10 PID: 346 Comm: {N} Tainted: G             L    5.15.0-91-generic #101-Ubuntu",
                    "Hardware name: HP ProLiant DL380 Gen9/ProLiant DL380 Gen9, BIOS P89 10/21/2019",
                    "RIP: 0010:native_queued_spin_lock_slowpath+0x1b5/0x200",
                    "Call Trace:",
                    " <TASK>",
                    " _raw_spin_lock_bh+0x2c/0x30",
                    " mptcp_sub_close+0x12f/0x1a0",
                    " tcp_close+0x31/0x60",
                    " </TASK>")),
            // mm/oom_kill.c: "%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%d, oom_score_adj=%hd", the task dump
            // "[%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %5hd %s", "oom-kill:...,task=%s,pid=%d,uid=%d",
            // "%s: Killed process %d (%s) total-vm:%lukB, ...", "oom_reaper: reaped process %d (%s), now anon-rss:..."
            new Format("global oom", List.of(
                    "{N} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
                    "CPU: 1 PID: 15617 Comm: {N} Not tainted 5.15.0-91-generic #101-Ubuntu",
                    "Hardware name: DigitalOcean Droplet, BIOS 20171212 12/12/2017",
                    "Call Trace:",
                    " <TASK>",
                    " dump_stack_lvl+0x4a/0x63",
                    " dump_header+0x4a/0x1f4",
                    " oom_kill_process.cold+0xb/0x10",
                    " out_of_memory+0x1be/0x4f0",
                    " __alloc_pages_slowpath.constprop.0+0xc2e/0xd40",
                    " </TASK>",
                    "Tasks state (memory values in pages):",
                    "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
                    "[  15617]     0 15617   521030   480478  3944448        0             0 {N}",
                    "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
                            + "task_memcg=/user.slice/user-0.slice/session-1.scope,task={N},pid=15617,uid=0",
                    "Out of memory: Killed process 15617 ({N}) total-vm:2084120kB, anon-rss:1921912kB, file-rss:0kB, "
                            + "shmem-rss:0kB, UID:0 pgtables:3852kB oom_score_adj:0",
                    "oom_reaper: reaped process 15617 ({N}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB")),
            new Format("memcg oom", List.of(
                    "{N} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
                    "CPU: 0 PID: 4404 Comm: {N} Not tainted 6.1.0-13-amd64 #1 Debian 6.1.55-1",
                    "memory: usage 102400kB, limit 102400kB, failcnt 38",
                    "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=test,mems_allowed=0,oom_memcg=/test,"
                            + "task_memcg=/test,task={N},pid=4404,uid=0",
                    "Memory cgroup out of memory: Killed process 4404 ({N}) total-vm:10512kB, anon-rss:101376kB, "
                            + "file-rss:1664kB, shmem-rss:0kB, UID:0 pgtables:244kB oom_score_adj:0")),
            // kernel/rcu/tree_stall.h self-detected stall, then the dump_stack header of the CPU's task
            new Format("rcu stall", List.of(
                    "rcu: INFO: rcu_sched self-detected stall on CPU",
                    "rcu: \t6-....: (194955 ticks this GP) idle=595c/1/0x4000000000000000 softirq=44771/44771 fqs=83882",
                    "rcu: \t(t=195023 jiffies g=237549 q=203648 ncpus=8)",
                    "CPU: 6 PID: 1321 Comm: {N} Not tainted 6.7.7-WSL2-STABLE+ #1",
                    "RIP: 0010:queued_spin_lock_slowpath+0x43/0x2c0",
                    "Call Trace:",
                    " <IRQ>",
                    " rcu_sched_clock_irq+0x8d0/0x10f0",
                    " </IRQ>",
                    " <TASK>",
                    " _raw_spin_lock+0x2d/0x40",
                    " do_wp_page+0x1a4/0xd90",
                    " </TASK>")),
            // sysrq-w on 3.10: "SysRq : Show Blocked State", show_state_filter's header, "%-15.15s %c %016lx ..."
            new Format("sysrq-w 3.10", List.of(
                    "SysRq : Show Blocked State",
                    "  task                        PC stack   pid father",
                    "{N15} D ffff88041e292000 14496   262      2 0x00000000",
                    " ffff880405f2bd60 0000000000000046 ffff880405e8c500 ffff880405f2bfd8",
                    "Call Trace:",
                    " [<ffffffff8163ae49>] schedule+0x29/0x70",
                    " [<ffffffff816388b9>] schedule_timeout+0x239/0x2d0",
                    " [<ffffffff811f0e26>] khugepaged+0x36/0x430",
                    " [<ffffffff810a5b8f>] kthread+0xcf/0xe0")),
            // x86_64 2.6.x show_regs() "Pid: %d, comm: %.20s %s %s %.*s", die() "Process %s (pid: %d, threadinfo %p,
            // task %p)", printk_address() "<%016lx>{%s+%ld}" several to a line
            // (https://lore.kernel.org/r/20060515082508.GA6950@asalmela.iki.fi)
            new Format("oops 2.6.17", List.of(
                    "Kernel BUG at mm/vmscan.c:428",
                    "invalid opcode: 0000 [1] PREEMPT SMP ",
                    "CPU 0 ",
                    "Modules linked in: button ac battery ipv6 af_packet it87 hwmon_vid",
                    "Pid: 208, comm: {N} Not tainted 2.6.17-rc4-git2 #1",
                    "RIP: 0010:[shrink_zone+1672/3087] <ffffffff80211dc2>{shrink_zone+1672}",
                    "RSP: 0018:ffff81003fe69ca8  EFLAGS: 00010202",
                    "Process {N} (pid: 208, threadinfo ffff81003fe68000, task ffff81003ff31660)",
                    "Stack: 000000000000001d 0000000000000050 0000000000000000 0000000000000018 ",
                    "Call Trace: <ffffffff80296ab8>{balance_pgdat+536} <ffffffff80255f68>{kswapd+257}",
                    "       <ffffffff8028a4a7>{autoremove_wake_function+0} <ffffffff802261d5>{schedule_tail+67}",
                    "       <ffffffff8025b61e>{child_rip+8}",
                    "Code: 0f 0b 68 dc 35 45 80 c2 ac 01 49 8b 16 41 83 7e 18 00 48 8d ")),
            // the old NMI watchdog's lockup and its task (https://lore.kernel.org/r/44BBD6E2.6020309@mbligh.org)
            new Format("hard lockup 2.6.17", List.of(
                    "NMI Watchdog detected LOCKUP on CPU 10",
                    "CPU 10",
                    "Pid: 8106, comm: {N} Not tainted 2.6.17.6 #1",
                    "RIP: 0010:[<ffffffff80309579>] <ffffffff80309579>{__read_lock_failed+5}",
                    "Process {N} (pid: 8106, threadinfo ffff8103f8646000, task ffff8103f8645820)",
                    "Stack: ffffffff8044802a ffffffff802569b5 ffff8103f271bd70 ffff810bff67f678",
                    "Call Trace: <ffffffff8044802a>{.text.lock.spinlock+83}",
                    "        <ffffffff802569b5>{find_get_page+21} <ffffffff80256f7d>{do_generic_mapping_read+397}",
                    "        <ffffffff88202aba>{:nfs:nfs_file_read+170} <ffffffff8027d490>{do_sync_read+208}")),
            // powerpc show_regs() "TASK = %p[%d] '%s' THREAD: %p" " CPU: %d"
            // (https://lore.kernel.org/r/17735.4830.610969.866898@cse.unsw.edu.au)
            new Format("ppc64 oops 2.6.19", List.of(
                    "Oops: Kernel access of bad area, sig: 11 [#1]",
                    "NIP: C0000000001A31B8 LR: C00000000018E5DC CTR: C0000000001A3404",
                    "REGS: c0000000017ff4a0 TRAP: 0300   Not tainted  (2.6.19-rc4-mm1)",
                    "TASK = c00000000ff2b7f0[1899] '{N}' THREAD: c0000000017fc000 CPU: 1",
                    "GPR00: 0000000000000008 C0000000017FF720 C0000000006B26D0 6B6B6B6B6B6B6B7B ",
                    "NIP [C0000000001A31B8] .kobject_uevent+0xac/0x55c",
                    "Call Trace:",
                    "[C0000000017FF720] [C000000000562508] read_pipe_fops+0xd0/0xd8 (unreliable)",
                    "[C0000000017FF840] [C00000000018E5DC] .__elv_unregister_queue+0x20/0x44",
                    "[C0000000017FF8D0] [C000000000195548] .blk_unregister_queue+0x58/0x9c")),
            // s390 2.6.36 OOM: "%s cpuset=%s mems_allowed=%s", show_regs() "Process %s (pid: %d, task: %p, ksp: %p)",
            // lockdep's "%d lock%s held by %s/%d:", the task table of its time, "Kill process %d (%s) score %d or
            // sacrifice child" (https://lore.kernel.org/r/20101029121456.GA6896@osiris.boeblingen.de.ibm.com)
            new Format("s390 oom 2.6.36", List.of(
                    "{N} invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0",
                    "CPU: 7 Not tainted 2.6.36-45.x.20101028-s390xdefault #1",
                    "Process {N} (pid: 8064, task: 000000007a244640, ksp: 000000003dc8f678)",
                    "000000003dc8f888 000000003dc8f808 0000000000000002 0000000000000000 ",
                    "Call Trace:",
                    "([<0000000000100a02>] show_trace+0xee/0x144)",
                    " [<00000000001d73d0>] dump_header+0x98/0x298",
                    " [<00000000001d7a26>] oom_kill_process+0xb6/0x224",
                    " [<00000000001d7f26>] out_of_memory+0x10e/0x23c",
                    "2 locks held by {N}/8064:",
                    "[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name",
                    "[  588]     0   588    56133      151   6       0             0 rsyslogd",
                    "[ 8064]     0  8064   113629      186   7       0             0 {N}",
                    "Out of memory: Kill process 8064 ({N}) score 1 or sacrifice child",
                    "Killed process 8064 ({N}) total-vm:224532kB, anon-rss:0kB, file-rss:604kB")),
            // kernel/cgroup/cpuset.c cpuset_print_current_mems_allowed() "%s cpuset=%s mems_allowed=%*pbl" under the
            // OOM killer's first line (the same message, lines 1-2)
            new Format("oom cpuset line", List.of(
                    "{N} invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0",
                    "{N} cpuset=/ mems_allowed=0",
                    "Out of memory: Kill process 8064 ({N}) score 1 or sacrifice child")),
            // arch/x86/mm/fault.c show_signal_msg "%s%s[%d]: segfault at %lx ip %px sp %px error %lx" and " in
            // %s[%lx+%lx]" (https://lore.kernel.org/r/20190505091356.GB25646@kroah.com), 6.x's " likely on CPU %d
            // (core %d, socket %d)" and "Code:" after it; then a hung task of another name, which must read the same
            new Format("segfault then hung task", List.of(
                    "{N}[5565]: segfault at 0 ip 00007f2a947bddfd sp 00007ffd1a8705e8 error 4 in libc-2.27.so[7f2a94703000+1e7000]",
                    "{N}[2955]: segfault at 0 ip 00007fd0eaf929a6 sp 00007fd0dfdfd370 error 6 in libcef.so[7fd0e6aef000+7770000] likely on CPU 1 (core 1, socket 0)",
                    "Code: 89 de e8 0d ef 6e ff 80 7d cf 00 79 09 48 8b 7d b8 e8 4e 66 2c 03 41 8b 84 24 e0 00 00 00",
                    "INFO: task jbd2/sda1-8:587 blocked for more than 120 seconds.",
                    "      Not tainted 5.15.0-91-generic #101-Ubuntu",
                    "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                    "task:jbd2/sda1-8     state:D stack:    0 pid:  587 ppid:     2 flags:0x00004000",
                    "Call Trace:",
                    " <TASK>",
                    " __schedule+0x2c6/0x7d0",
                    " schedule+0x4e/0xb0",
                    " jbd2_journal_commit_transaction+0x2f8/0x1a80",
                    " kjournald2+0xb6/0x280",
                    " </TASK>")),
            // mm/page_alloc.c warn_alloc_failed() "%s: page allocation failure: order:%d, mode:0x%x" and x86's
            // show_regs() "Pid: %d, comm: %.20s ..." (https://lore.kernel.org/r/20120620133656.GH4011@suse.de)
            new Format("page allocation failure 3.5", List.of(
                    "{N}: page allocation failure: order:0, mode:0x20",
                    "Pid: 2714, comm: {N} Not tainted 3.5.0-rc2-swapnbd-v12r2-slab #3",
                    "Call Trace:",
                    " [<ffffffff811042d3>] warn_alloc_failed+0xf3/0x160",
                    " [<ffffffff81107c92>] __alloc_pages_nodemask+0x6e2/0x930")),
            // warn_alloc() "%s: %pV, mode:%#x(%pGg), nodemask=%*pbl" with the cpuset after it, then dump_stack's
            // header (kernel commit 281dd25c1a01, "mm/page_alloc: let GFP_ATOMIC order-0 allocs access highatomic
            // reserves", the kernel's one line rejoined)
            new Format("page allocation failure 6.6", List.of(
                    "{N}: page allocation failure: order:0, mode:0x820(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0-7",
                    "CPU: 10 PID: 696 Comm: {N} Kdump: loaded Tainted: G           O 6.6.43-CUSTOM #1",
                    "Hardware name: MACHINE",
                    "Call Trace:",
                    " <IRQ>",
                    " dump_stack_lvl+0x3c/0x50",
                    " warn_alloc+0x13a/0x1c0",
                    " __alloc_pages_slowpath.constprop.0+0xc9d/0xd10",
                    " __alloc_pages+0x327/0x340",
                    " __napi_alloc_skb+0x16d/0x1f0",
                    " </IRQ>")),
            // crash's ps: "%7ld %7ld %3s %s %3s %4.1f %7ld %6ld %s", a kernel thread's name in brackets (corpus r-022,
            // f-009 rows)
            new Format("crash ps", List.of(
                    "   PID    PPID  CPU       TASK        ST  %MEM     VSZ    RSS  COMM",
                    "  2104525  2104522  41  ffff9cf91d000000  UN   0.0   22732   3792  {N}",
                    "    544      2   2  ffff95a25c44d230  UN   0.0       0      0  [jbd2/vda1-8]")),
            // kernel/rcu/tasks.h check_holdout_task(): "INFO: rcu_tasks detected stalls on tasks:", "%p: %c%c nvcsw:
            // %lu/%lu holdout: %d idle_cpu: %d/%d", then sched_show_task
            // (https://lore.kernel.org/r/8f16ef64-b06e-b3bf-4b6f-8fc4a15b2801@redhat.com, quoting the report)
            new Format("rcu-tasks stall", List.of(
                    "INFO: rcu_tasks detected stalls on tasks:",
                    "00000000b92b832d: .. nvcsw: 1/1 holdout: 1 idle_cpu: -1/7",
                    "task:{N15} state:R  running task     stack:    0 pid: 2133 ppid:     2 flags:0x00004000",
                    "Call Trace:",
                    " ? asm_sysvec_apic_timer_interrupt+0x12/0x20",
                    " ? trace_clock_local+0xc/0x20",
                    " ? osnoise_main+0x10e/0x450",
                    " ? kthread+0x153/0x170",
                    " ? ret_from_fork+0x22/0x30")),
            // crash: "PID: %-7ld  TASK: %s  CPU: %-3s  COMMAND: \"%s\"" and bt's frames
            new Format("crash bt", List.of(
                    "PID: 587    TASK: ffff8817f8d42280  CPU: 5   COMMAND: \"{N}\"",
                    " #0 [ffff8817f8d9bc88] __schedule at ffffffff8163ae49",
                    " #1 [ffff8817f8d9bcf0] schedule at ffffffff8163b4a9",
                    " #2 [ffff8817f8d9bd00] jbd2_log_wait_commit at ffffffffa01f4e95 [jbd2]",
                    " #3 [ffff8817f8d9bd80] jbd2_journal_commit_transaction at ffffffffa01f0a3c [jbd2]",
                    " #4 [ffff8817f8d9bec8] kthread at ffffffff810a5b8f")));

    @Test
    void thePlainNameIsReadAtAll() throws IOException {
        // guards the guard: every format gives a task or an event with the plain name, in every style
        for (Format f : FORMATS) {
            for (Style s : Style.values()) {
                Evidence e = (Evidence) read(render(f, PLAIN, s));
                assertThat(e.allEvents().size() + e.tasks().size()).as(f.name() + " " + s).isPositive();
            }
        }
    }

    @Test
    void adversarialNamesChangeNothingButTheName() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Format f : FORMATS) {
            for (Style s : Style.values()) {
                String plain = normalised(f, PLAIN, s);
                for (byte[] name : ADVERSARIAL) {
                    check(f, s, plain, name, failures);
                }
            }
        }
        report("adversarial", failures);
    }

    @Test
    void randomNamesChangeNothingButTheName() throws IOException {
        Random r = new Random(20261204);
        List<String> failures = new ArrayList<>();
        for (Format f : FORMATS) {
            for (Style s : Style.values()) {
                String plain = normalised(f, PLAIN, s);
                for (int k = 0; k < 60; k++) {
                    byte[] name = new byte[1 + r.nextInt(15)];
                    for (int i = 0; i < name.length; i++) {
                        // mostly the bytes a name is made of, with the kernel's punctuation and any byte now and then
                        int pick = r.nextInt(4);
                        name[i] = (byte) (pick == 0 ? 1 + r.nextInt(255)
                                : pick == 1 ? PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length()))
                                : 0x20 + r.nextInt(95));
                    }
                    check(f, s, plain, name, failures);
                }
            }
        }
        report("random", failures);
    }

    private static void report(String what, List<String> failures) throws IOException {
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("target/hostile-comm-" + what + ".txt"));
        if (!failures.isEmpty()) {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target/hostile-comm-" + what + ".txt"),
                    String.join("\n", failures));
        }
        assertThat(failures).as(failures.size() + " failures, first: " + (failures.isEmpty() ? "" : failures.get(0)))
                .isEmpty();
    }

    private static final String PUNCTUATION = ":[]()\"{} #=&<>/.-0123456789";

    /**
     * A paste with no log prefix at all, whose line the kernel starts with a name that is itself a paste's mark (a
     * mail's "> ", a markdown fence) or a whole /dev/kmsg record prefix: nothing in that line tells the two apart,
     * and the paste's reading wins (the line is still read; its name, and what the fence joins, may not be).
     */
    private static boolean ambiguousWithoutPrefix(Style s, byte[] name) {
        String n = new String(name, StandardCharsets.UTF_8);
        return s == Style.BARE && (n.startsWith(">") || n.startsWith("```") || n.startsWith("~~~")
                || n.matches("[0-7],[0-9]+,[0-9]+,[-c+];.*"));
    }

    /**
     * The lines the kernel starts with a name that is read as no record ("%s[%d]: segfault at", "%s: page allocation
     * failure", "%s cpuset="), in a paste with no log prefix of its own, under a name that starts with a log prefix
     * ("[    1.000000]", "<6>[ 1.0] x", " SUBSYSTEM=x"): nothing tells the name from that prefix but the words after it,
     * which the prefix reader does not look for on every line of a big log (the OOM killer's line it does look for);
     * the line is no record either way, only its prefix and its words as the report's text may differ.
     */
    private static final java.util.Set<String> NAME_FIRST_NO_RECORD = java.util.Set.of("oom cpuset line",
            "segfault then hung task", "page allocation failure 3.5", "page allocation failure 6.6");

    private static boolean prefixLikeNameFirst(Format f, Style s, byte[] name) {
        if (s != Style.BARE || !NAME_FIRST_NO_RECORD.contains(f.name())) {
            return false;
        }
        String n = new String(name, StandardCharsets.UTF_8);
        // the name and a name's first characters, or the name and the next word, read as a prefix and a message
        return !"none".equals(KernelLogPrefix.strip(n + "x: y", 1).prefix())
                || !"none".equals(KernelLogPrefix.strip(n + " x: y", 1).prefix());
    }

    private static void check(Format f, Style s, String plain, byte[] name, List<String> failures) throws IOException {
        if (ambiguousWithoutPrefix(s, name) || prefixLikeNameFirst(f, s, name)) {
            return;
        }
        boolean kthread = new Task(99).comm(new String(name, StandardCharsets.UTF_8).strip()).isKernelThread();
        if (kthread) {
            plain = normalised(f, PLAIN, s, true);
        }
        String hostile = normalised(f, name, s, kthread);
        if (!hostile.equals(plain)) {
            failures.add(f.name() + " / " + s + " / name " + shownName(name) + ":\n" + firstDifference(plain, hostile));
        }
    }

    static String shownName(byte[] name) {
        StringBuilder b = new StringBuilder("\"");
        for (byte x : name) {
            int c = x & 0xff;
            b.append(c < 0x20 || c >= 0x7f || c == '"' || c == '\\' ? String.format("\\x%02x", c) : String.valueOf((char) c));
        }
        return b.append('"').toString();
    }

    private static String firstDifference(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.max(x.length, y.length) && out.length() < 2000; i++) {
            String l = i < x.length ? x[i] : "<none>";
            String r = i < y.length ? y[i] : "<none>";
            if (!l.equals(r)) {
                int at = 0;
                while (at < Math.min(l.length(), r.length()) && l.charAt(at) == r.charAt(at)) {
                    at++;
                }
                int from = Math.max(0, Math.min(l.lastIndexOf(' ', Math.max(0, at - 1)), at - 40));
                from = Math.max(0, from);
                int head = Math.min(l.length(), 60);
                out.append("   plain:   ").append(l, 0, Math.min(head, from)).append(" ... ")
                        .append(l, Math.min(from, l.length()), Math.min(l.length(), at + 200))
                        .append("\n   hostile: ").append(r, 0, Math.min(r.length(), Math.min(head, from))).append(" ... ")
                        .append(r, Math.min(from, r.length()), Math.min(r.length(), at + 200)).append('\n');
            }
        }
        return out.toString();
    }

    // ---- rendering

    static byte[] render(Format f, byte[] name, Style style) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int k = 0;
        for (String line : f.lines()) {
            byte[] msg = message(line, name);
            String ts = String.format("%5d.%06d", 4080, 123400 + k);
            switch (style) {
                case DMESG -> {
                    out.writeBytes(bytes("[" + ts + "] "));
                    out.writeBytes(escaped(msg, false));
                }
                case KMSG -> {
                    out.writeBytes(bytes("6," + (1000 + k) + ",4080" + (123400 + k) + ",-;"));
                    out.writeBytes(escaped(msg, true));
                }
                case SYSLOG -> {
                    out.writeBytes(bytes("Dec  4 21:54:06 node-7 kernel: [" + ts + "] "));
                    out.writeBytes(escaped(msg, false));
                }
                case BARE -> out.writeBytes(escaped(msg, false));
            }
            out.write('\n');
            k++;
        }
        return out.toByteArray();
    }

    /** The template with the name in its slots, as the kernel's vsprintf writes it. */
    static byte[] message(String template, byte[] name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < template.length()) {
            int slot = template.indexOf("{N", i);
            if (slot < 0) {
                slot = template.length();
            }
            out.writeBytes(template.substring(i, slot).getBytes(StandardCharsets.UTF_8));
            if (slot == template.length()) {
                break;
            }
            int close = template.indexOf('}', slot);
            String width = template.substring(slot + 2, close);
            byte[] n = name;
            if (!width.isEmpty()) {
                int w = Integer.parseInt(width);
                n = Arrays.copyOf(name, w); // %-W.Ws: cut to W, padded with spaces to W
                for (int j = Math.min(name.length, w); j < w; j++) {
                    n[j] = ' ';
                }
            }
            out.writeBytes(n);
            i = close + 1;
        }
        return out.toByteArray();
    }

    /** /dev/kmsg escapes bytes below ' ', from 127 and '\'; dmesg shows control bytes so too. */
    private static byte[] escaped(byte[] msg, boolean kmsg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte x : msg) {
            int c = x & 0xff;
            if (c < 0x20 && c != '\t' || c == 0x7f || kmsg && (c >= 0x7f || c == '\\' || c == '\t')) {
                out.writeBytes(bytes(String.format("\\x%02x", c)));
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.UTF_8);
    }

    // ---- reading and comparing

    static Object read(byte[] b) throws IOException {
        Object fast = NoiseSkipEquivalenceTest.read(new ByteArrayInputStream(b), "t", true);
        return fast;
    }

    /**
     * Everything read and diagnosed, with the name's own text masked: each line's text (as the reader decodes it)
     * becomes its line's number, a field or name that is the name becomes {@code <N>}.
     */
    static String normalised(Format f, byte[] name, Style style) throws IOException {
        return normalised(f, name, style, false);
    }

    static String normalised(Format f, byte[] name, Style style, boolean kthread) throws IOException {
        Object o = read(render(f, name, style));
        if (!(o instanceof Evidence e)) {
            return "error: " + o;
        }
        Map<String, String> texts = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < f.lines().size(); k++) {
            String shown = shown(message(f.lines().get(k), name), style);
            // the paste's own clean-up (no-break spaces made plain, a byte-order mark dropped) changes the name only
            for (String v : List.of(shown, PastedText.plainSpaces(shown), PastedText.unquote(shown))) {
                texts.put(v, "<line " + k + ">");
                texts.put(v.strip(), "<line " + k + ">");
            }
        }
        for (String w : new String[] {"", "13", "15"}) {
            String n = shown(message("{N" + w + "}", name), style);
            for (String v : List.of(n, PastedText.plainSpaces(n), PastedText.unquote(n))) {
                names.add(v);
                names.add(v.strip());
            }
        }
        if (style == Style.BARE && name.length > 0 && "> `~".indexOf(name[0]) >= 0) {
            // a paste's quote mark or fence at a line's start: without a log prefix nothing tells a name that starts
            // the line from one, and it may come off (the line is still read, its name is lost)
            for (int k = 0; k < f.lines().size(); k++) {
                String shown = shown(message(f.lines().get(k), new byte[0]), style);
                texts.put(shown, "<line " + k + ">");
                texts.put(shown.strip(), "<line " + k + ">");
            }
            names.add("");
        }
        Masker mask = new Masker(texts, names, kthread);
        StringBuilder b = new StringBuilder();
        List<Task> tasks = new ArrayList<>(e.tasks());
        tasks.sort(Comparator.comparingInt(Task::pid));
        for (Task t : tasks) {
            b.append("task ").append(getters(t, mask)).append('\n');
        }
        for (KernelEvent v : e.allEvents()) {
            Map<String, String> fields = new TreeMap<>();
            v.fields().forEach((key, val) -> fields.put(key, mask.field(key, val)));
            b.append("event ").append(v.kind()).append(" ts=").append(v.timestamp()).append(" pid=").append(v.pid())
                    .append(" comm=").append(mask.apply(v.comm())).append(" cpu=").append(v.cpu()).append(' ')
                    .append(fields).append(" msg=").append(mask.apply(v.message())).append('\n');
        }
        for (ReportLine l : e.reportLines()) {
            b.append("words ").append(mask.apply(l.text()) + " @" + l.lineNo()).append('\n');
        }
        b.append("host ").append(getters(e.host(), mask)).append('\n');
        b.append("formats ").append(e.formats()).append('\n');
        b.append("warnings ").append(mask.apply(String.valueOf(e.warnings()))).append('\n');
        Diagnosis d = DiagnosisPipeline.withRules(List.of()).diagnose(e);
        for (Finding x : mask.kernelThreadName() ? List.<Finding>of() : d.findings()) {
            b.append("finding ").append(x.signature()).append(' ').append(x.category()).append(" root=")
                    .append(x.rootCause() == null ? null : x.rootCause().pid()).append(" victims=")
                    .append(x.victims().stream().map(TaskRef::pid).toList()).append(" resource=")
                    .append(mask.apply(x.rootCauseResource())).append('\n');
        }
        return b.toString();
    }

    /** The text the reader sees for these message bytes in this style. */
    private static String shown(byte[] msg, Style style) {
        return new String(escaped(msg, style == Style.KMSG), StandardCharsets.UTF_8);
    }

    /** Masks a line's text and the name in values. */
    /**
     * {@code kernelThreadName}: the name is one kernels give their threads ("kworker/0:1", "rcu_sched"): where the
     * kernel printed neither the task's flags nor its parent, the name is all there is to tell a kernel thread by
     * (Task#isKernelThread), so that guess, and what the diagnosis makes of it, goes with the name.
     */
    record Masker(Map<String, String> texts, List<String> names, boolean kernelThreadName) {
        String field(String key, String v) {
            return key.contains("comm") || key.equals("task") ? apply(v) : texts.getOrDefault(v, v);
        }

        String apply(String v) {
            if (v == null) {
                return null;
            }
            for (String n : names) {
                // a name of blanks reads as no name
                if (v.equals(n) && (!n.isEmpty() || names.get(0).isBlank() || names.get(names.size() - 1).isEmpty())) {
                    return "<N>";
                }
            }
            return texts.getOrDefault(v, v);
        }
    }

    private static String getters(Object o, Masker mask) {
        StringBuilder b = new StringBuilder();
        Method[] methods = o.getClass().getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getReturnType() == void.class
                    || m.getDeclaringClass() == Object.class || m.getName().equals("hashCode")
                    || m.getName().equals("toString") || m.getName().equals("comm")
                    || m.getName().equals("isKernelThread") && mask.kernelThreadName()) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof dev.hangdoctor.model.LockOwnerHint) {
                    v = l.stream().map(h -> (dev.hangdoctor.model.LockOwnerHint) h).map(h -> "hint(" + h.lockKind() + ","
                            + h.lockAddress() + "," + h.ownerPid() + "," + mask.apply(h.ownerComm()) + ")").toList();
                }
                b.append(m.getName()).append('=').append(v instanceof String s ? mask.apply(s) : v).append(' ');
            } catch (ReflectiveOperationException ex) {
                b.append(m.getName()).append("=!").append(ex.getCause()).append(' ');
            }
        }
        return b.toString();
    }
}
