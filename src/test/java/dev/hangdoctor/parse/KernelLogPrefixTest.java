package dev.hangdoctor.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Sample lines are real: seeds 001 (vmcore-dmesg) and 004, util-linux dmesg output formats, systemd journalctl
 * output modes, Documentation/ABI/testing/dev-kmsg, and public bug reports (noted per test).
 */
class KernelLogPrefixTest {

    @Test
    void dmesgMonotonicFromVmcoreDmesg() {
        LogLine l = KernelLogPrefix.strip("[ 3891.873807] Memory cgroup out of memory: Kill process 27158 "
                + "(ext4-repro-with-write) score 511 or sacrifice child", 7);
        assertThat(l.prefix()).isEqualTo("dmesg");
        assertThat(l.message()).startsWith("Memory cgroup out of memory: Kill process 27158");
        assertThat(l.timestamp()).isCloseTo(3891.873807, within(1e-9));
        assertThat(l.lineNo()).isEqualTo(7);
    }

    @Test
    void androidWallClockInsideTheStamp() {
        // corpus za-013 (TWRP on an msm8960 phone: SysRq-W with level, seconds and the vendor kernel's wall clock)
        LogLine l = KernelLogPrefix.strip("<6>[   79.822916 / 05-03 18:11:50.340] kworker/u:0     D c0b3d38c     0"
                + "     6      2 0x00000000", 2);
        assertThat(l.message()).isEqualTo("kworker/u:0     D c0b3d38c     0     6      2 0x00000000");
        assertThat(l.timestamp()).isCloseTo(79.822916, within(1e-9));
        assertThat(KernelLogPrefix.strip("[   79.822940 / 05-03 18:11:50.340] [<c0b3d38c>] (__schedule+0x3e0/0x5ec)", 3)
                .message()).isEqualTo("[<c0b3d38c>] (__schedule+0x3e0/0x5ec)");
        // a slash after the seconds with no clock behind it is no stamp
        assertThat(KernelLogPrefix.strip("[   79.822940 / total] x", 4).prefix()).isEqualTo("none");
        assertThat(KernelLogPrefix.strip("[   79.822940 / 05-03] x", 5).prefix()).isEqualTo("none");
    }

    @Test
    void aDmesgStampWhoseOpeningBracketWasLost() {
        // corpus w-008 (a mail whose "[ 6616.650482] task:..." line lost its '[' and space to a no-break space)
        LogLine l = KernelLogPrefix.strip("6616.650482] task:ThreadPoolForeg state:D stack:0     pid:262026", 3);
        assertThat(l.prefix()).isEqualTo("dmesg");
        assertThat(l.message()).isEqualTo("task:ThreadPoolForeg state:D stack:0     pid:262026");
        // a number with microseconds but no ']' after them, or another shape, is no stamp
        assertThat(KernelLogPrefix.strip("3.141592 is pi", 4).prefix()).isEqualTo("none");
        assertThat(KernelLogPrefix.strip("6616.6504] task:x", 5).prefix()).isEqualTo("none");
        assertThat(KernelLogPrefix.strip("6616.650482]task:x", 6).prefix()).isEqualTo("none");
    }

    @Test
    void talosctlDmesgWithAndWithoutItsNode() {
        // machined writes "%s: %7s: [%s]: %s" (facility, priority, RFC 3339 time); talosctl puts the node first
        LogLine l = KernelLogPrefix.strip("10.1.10.21: kern: warning: [2021-01-28T16:39:42.656956804Z]:  "
                + "rcu_sched_clock_irq.cold+0x1ff/0x3d6", 1);
        assertThat(l.prefix()).isEqualTo("talosctl dmesg");
        assertThat(l.message()).isEqualTo(" rcu_sched_clock_irq.cold+0x1ff/0x3d6");
        assertThat(l.timestamp()).isNull();
        LogLine padded = KernelLogPrefix.strip("kern:    info: [2024-03-01T10:00:00.000000001Z]: Memory cgroup out of memory:"
                + " Killed process 4242 (java)", 2);
        assertThat(padded.prefix()).isEqualTo("talosctl dmesg");
        assertThat(padded.message()).startsWith("Memory cgroup out of memory");
        LogLine named = KernelLogPrefix.strip("cp-1: kern:     err: [2024-03-01T10:00:00Z]: INFO: task kworker/0:1:12 "
                + "blocked for more than 122 seconds.", 3);
        assertThat(named.message()).startsWith("INFO: task kworker/0:1:12");
        // prose with colons is no such record
        assertThat(KernelLogPrefix.strip("note: this is not: a [record]: at all", 4).prefix()).isEqualTo("none");
    }

    @Test
    void busyboxSyslogWithFacilityAndLevelBeforeTheTag() {
        // corpus s-010 (Victron Venus OS, BusyBox syslogd on armv7)
        LogLine l = KernelLogPrefix.strip("Sep 13 14:34:10 ccgx user.err kernel: [43500.179242] INFO: task vedirect-dbus:1339"
                + " blocked for more than 120 seconds.", 1);
        assertThat(l.message()).startsWith("INFO: task vedirect-dbus:1339 blocked");
        assertThat(l.timestamp()).isEqualTo(43500.179242);
        assertThat(KernelLogPrefix.strip("Sep 13 14:34:10 ccgx kern.warning kernel: usb 1-1: reset", 2).message())
                .isEqualTo("usb 1-1: reset");
        // a word with a dot that is no facility.level stays the message's
        assertThat(KernelLogPrefix.strip("Sep 13 14:34:10 ccgx app.v2 started", 3).message()).isEqualTo("app.v2 started");
    }

    @Test
    void syslogWithTheHostGluedToTheKernelTag() {
        // a template that lost the space between host and tag (netdata issue, Ubuntu 5.15)
        LogLine l = KernelLogPrefix.strip("Jan 30 17:22:07 netdata-parent-1kernel: [615514.855011] INFO: task "
                + "UV_WORKER[6]:193338 blocked for more than 120 seconds.", 1);
        assertThat(l.prefix()).isEqualTo("syslog");
        assertThat(l.message()).startsWith("INFO: task UV_WORKER[6]:193338");
        assertThat(l.timestamp()).isCloseTo(615514.855011, within(1e-9));
    }

    @Test
    void dmesgWithLargeUptime() {
        LogLine l = KernelLogPrefix.strip("[4474426.249700] NMI watchdog: Watchdog detected hard LOCKUP on cpu 50", 1);
        assertThat(l.prefix()).isEqualTo("dmesg");
        assertThat(l.message()).isEqualTo("NMI watchdog: Watchdog detected hard LOCKUP on cpu 50");
        assertThat(l.timestamp()).isCloseTo(4474426.2497, within(1e-6));
    }

    @Test
    void dmesgStackLinesKeepTheirOwnIndentation() {
        // lxd issue 5014 (4.x dmesg): two spaces after the stamp, the first is the separator
        LogLine l = KernelLogPrefix.strip("[ 2417.810188]  [<ffffffff8780fe79>] ? __schedule+0x239/0x6f0", 1);
        assertThat(l.message()).isEqualTo(" [<ffffffff8780fe79>] ? __schedule+0x239/0x6f0");
        LogLine q = KernelLogPrefix.strip("[ 3073.953150]  ? __wake_up_common_lock+0x89/0xc0", 2);
        assertThat(q.message()).isEqualTo(" ? __wake_up_common_lock+0x89/0xc0");
        LogLine t = KernelLogPrefix.strip("[10450.900130]       Tainted: GF          O 3.13.0-32-generic #57-Ubuntu", 3);
        assertThat(t.message()).isEqualTo("      Tainted: GF          O 3.13.0-32-generic #57-Ubuntu");
    }

    @Test
    void dmesgRawWithLevelAndCallerId() {
        // dmesg -r / console with CONFIG_PRINTK_CALLER (hung-task blocker report on a 6.15 kernel)
        LogLine l = KernelLogPrefix.strip("<3>[  125.362363][  T140] INFO: task zsh:470 is blocked on a mutex likely "
                + "owned by task zsh:470.", 1);
        assertThat(l.prefix()).isEqualTo("dmesg");
        assertThat(l.message()).startsWith("INFO: task zsh:470 is blocked");
        assertThat(l.timestamp()).isCloseTo(125.362363, within(1e-9));
        LogLine s = KernelLogPrefix.strip("<6>[  125.369180][  T140]  <TASK>", 2);
        assertThat(s.message()).isEqualTo(" <TASK>");
        LogLine c = KernelLogPrefix.strip("[  129.338433][    C1] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! "
                + "[002-logging:310]", 3);
        assertThat(c.message()).startsWith("watchdog: BUG: soft lockup");
    }

    @Test
    void preemptRtCpuNumberAfterTheTime() {
        // corpus zg-024 (linux-rt-users, i.MX6DL on 5.4.23-rt13): the RT printk prints the CPU as "%03u: "
        LogLine l = KernelLogPrefix.strip("[  205.253023] 001: rcu: INFO: rcu_preempt self-detected stall on CPU", 1);
        assertThat(l.prefix()).isEqualTo("dmesg");
        assertThat(l.message()).isEqualTo("rcu: INFO: rcu_preempt self-detected stall on CPU");
        assertThat(l.timestamp()).isCloseTo(205.253023, within(1e-9));
        LogLine f = KernelLogPrefix.strip("[  180.283591] 001: [<c010d498>] (show_stack) from [<c0c95ee4>]", 2);
        assertThat(f.message()).isEqualTo("[<c010d498>] (show_stack) from [<c0c95ee4>]");
        // an exception stack's offset has four hex digits and stays the message's own
        LogLine x = KernelLogPrefix.strip("[  180.283890] 3fe0: 00000000 00000000 00000000 00000013 00000000", 3);
        assertThat(x.message()).startsWith("3fe0: ");
        // two digits or no space after the colon: not the RT field
        assertThat(KernelLogPrefix.strip("[  180.283890] 01: x", 4).message()).isEqualTo("01: x");
        assertThat(KernelLogPrefix.strip("[  180.283890] 001:x", 5).message()).isEqualTo("001:x");
    }

    @Test
    void aSecondStampThatLostItsBracketIsSkipped() {
        // corpus zd-019 (home-assistant, a Raspberry Pi console retyped from a screen): two records run together
        LogLine l = KernelLogPrefix.strip("[ 363.490265] 363.490244] INFO: task usb-storage: 93 blocked for more than "
                + "120 seconds. Tainted: G C 6.6.31-haos-raspi #1 ", 1);
        assertThat(l.message()).startsWith("INFO: task usb-storage: 93 blocked");
        assertThat(l.timestamp()).isCloseTo(363.490265, within(1e-9));
        // a message that starts with digits is its own: stack words (corpus, a 3.x x86_64 soft lockup), code words
        assertThat(KernelLogPrefix.strip("[130080.775250] 00000000ffffffff 00014aef7c132530 0000000000190490", 2)
                .message()).isEqualTo("00000000ffffffff 00014aef7c132530 0000000000190490");
        assertThat(KernelLogPrefix.strip("[  252.708810] 60000000 60000000 60420000 7c210b78 <e92d0000>", 3)
                .message()).startsWith("60000000 ");
    }

    @Test
    void dmesgWithAnEmptyFraction() {
        // MIPS/CI20_linux issue 8
        LogLine l = KernelLogPrefix.strip("[  240.] INFO: task kinteractiveup:64 blocked for more than 120 seconds.", 1);
        assertThat(l.prefix()).isEqualTo("dmesg");
        assertThat(l.message()).startsWith("INFO: task kinteractiveup:64");
        assertThat(l.timestamp()).isEqualTo(240.0);
    }

    @Test
    void dmesgDelta() {
        // util-linux dmesg -d: "[%5ld.%06ld <%12.06f>] "
        LogLine l = KernelLogPrefix.strip("[ 3891.875313 <    0.001506>] Killed process 27153 (x)", 1);
        assertThat(l.prefix()).isEqualTo("dmesg");
        assertThat(l.message()).isEqualTo("Killed process 27153 (x)");
        assertThat(l.timestamp()).isCloseTo(3891.875313, within(1e-9));
    }

    @Test
    void dmesgCtime() {
        // kubernetes issue 56891 (dmesg -T, day space-padded)
        LogLine l = KernelLogPrefix.strip("[Thu Dec  7 00:05:15 2017] Killed process 28438 (java) total-vm:20255636kB, "
                + "anon-rss:466160kB, file-rss:13684kB", 1);
        assertThat(l.prefix()).isEqualTo("dmesg -T");
        assertThat(l.message()).startsWith("Killed process 28438 (java)");
        assertThat(l.timestamp()).isNull();
        LogLine s = KernelLogPrefix.strip("[Wed Dec 19 03:36:07 2018]  __schedule+0x293/0x8a0", 2);
        assertThat(s.message()).isEqualTo(" __schedule+0x293/0x8a0");
    }

    @Test
    void dmesgDecodedWithSeveralTimeFormats() {
        // longhorn issue 12470: dmesg -x -H -T with caller ids
        LogLine l = KernelLogPrefix.strip("kern  :info  : [Jan13 04:31] [Tue Jan 13 04:31:07 2026] [T10489]  "
                + "connection7:0: detected conn error (1021)", 1);
        assertThat(l.prefix()).isEqualTo("dmesg -x");
        assertThat(l.message()).isEqualTo(" connection7:0: detected conn error (1021)");
        LogLine d = KernelLogPrefix.strip("kern  :info  : [  +0.000042] [Tue Jan 13 04:33:10 2026] [T88870] sd 2:0:0:1: "
                + "Device offlined - not ready after error recovery", 2);
        assertThat(d.prefix()).isEqualTo("dmesg -x");
        assertThat(d.message()).isEqualTo("sd 2:0:0:1: Device offlined - not ready after error recovery");
        LogLine m = KernelLogPrefix.strip("kern  :err   : [ 3891.873807] Memory cgroup out of memory: Kill process 1 (x)", 3);
        assertThat(m.prefix()).isEqualTo("dmesg -x");
        assertThat(m.message()).startsWith("Memory cgroup out of memory");
        assertThat(m.timestamp()).isCloseTo(3891.873807, within(1e-9));
    }

    @Test
    void dmesgHuman() {
        LogLine l = KernelLogPrefix.strip("[Aug29 06:32] INFO: task x:1 blocked for more than 120 seconds.", 1);
        assertThat(l.prefix()).isEqualTo("dmesg -H");
        assertThat(l.message()).startsWith("INFO: task x:1");
        assertThat(KernelLogPrefix.strip("[Aug 9 06:32] x", 1).prefix()).isEqualTo("dmesg -H");
        LogLine d = KernelLogPrefix.strip("[  +0.000123] sysrq: Show Blocked State", 2);
        assertThat(d.prefix()).isEqualTo("dmesg -H");
        assertThat(d.message()).isEqualTo("sysrq: Show Blocked State");
    }

    @Test
    void aCollectorsTimeComesOffAndThePrefixAfterItToo() {
        // `kubectl logs --timestamps`, `docker logs -t`, a log collector's export: RFC 3339 (nano) time, then the
        // line as read (corpus b-003's and b-001's records, a-001's syslog record)
        LogLine d = KernelLogPrefix.strip("2026-12-03T22:53:01.123456789Z [2870707.887079] BUG: soft lockup - CPU#10"
                + " stuck for 23s! [migration/10:346]", 1);
        assertThat(d.prefix()).isEqualTo("dmesg");
        assertThat(d.message()).startsWith("BUG: soft lockup");
        assertThat(d.timestamp()).isEqualTo(2870707.887079);
        LogLine s = KernelLogPrefix.strip("2026-12-03T22:53:01.123Z Mar 25 16:49:08 dws07 kernel: Call Trace:", 2);
        assertThat(s.prefix()).isEqualTo("syslog");
        assertThat(s.message()).isEqualTo("Call Trace:");
        LogLine k = KernelLogPrefix.strip("2026-12-03T22:53:01.123456789Z  kernel:[405108.698255] watchdog: x", 3);
        assertThat(k.message()).isEqualTo("watchdog: x");
        LogLine m = KernelLogPrefix.strip("2026-12-03T22:53:01Z INFO: task a:1 blocked for more than 120 seconds.", 4);
        assertThat(m.message()).startsWith("INFO: task a:1");
    }

    @Test
    void aCollectorsTimeComesOffATalosRecordAndAHeadingsMark() {
        // corpus n-002's talosctl dmesg record (the node first) under a collector's time: machined's prefix comes off
        // too, though "10.1.10.21: kern:" has the shape of a host and a tag
        assertStripped("2026-12-03T22:53:01.123456789Z 10.1.10.21: kern: warning: [2021-01-28T16:39:42.656944804Z]:  "
                + "rcu_dump_cpu_stacks+0x92/0xc0", "talosctl dmesg", " rcu_dump_cpu_stacks+0x92/0xc0");
        // corpus zf-021's markdown heading: "#" is no host, "BUG:" no tag
        assertStripped("2026-12-03T22:53:01.123456789Z # BUG: soft lockup - CPU stuck for 23s! [nautilus-search: 4883]",
                "journalctl", "# BUG: soft lockup - CPU stuck for 23s! [nautilus-search: 4883]");
        // a host and a tag stay a syslog record
        assertStripped("2021-03-25T16:49:08.123456+01:00 dws07 kernel: Call Trace:", "syslog", "Call Trace:");
    }

    private static void assertStripped(String line, String prefix, String message) {
        LogLine l = KernelLogPrefix.strip(line, 1);
        assertThat(l.message()).isEqualTo(message);
        assertThat(l.prefix()).isEqualTo(prefix);
    }

    @Test
    void aLevelNameAfterTheStampIsNoPartOfTheMessage() {
        // seibert.media's XenServer post (corpus k-002): dom0's log names the level after the stamp
        LogLine l = KernelLogPrefix.strip("[41819967.871466]  EMERG: BUG: soft lockup - CPU#3 stuck for 23s! [tapdisk:23395]", 1);
        assertThat(l.message()).startsWith("BUG: soft lockup");
        // the kernel's own words that start like a level stay whole
        assertThat(KernelLogPrefix.strip("[  12.345678] INFO: task a:1 blocked for more than 120 seconds.", 2).message())
                .startsWith("INFO: task");
        assertThat(KernelLogPrefix.strip("[  12.345678] WARNING: CPU: 3 PID: 1 at x", 3).message()).startsWith("WARNING:");
    }

    @Test
    void dmesgIsoTimeFormat() {
        // util-linux dmesg --time-format iso: ISO_TIMESTAMP_COMMA_T
        LogLine l = KernelLogPrefix.strip("2020-08-29T06:32:19,123456+08:00 sysrq: Show State", 1);
        assertThat(l.prefix()).isEqualTo("dmesg -T");
        assertThat(l.message()).isEqualTo("sysrq: Show State");
    }

    @Test
    void syslogKernelLineWithAndWithoutDmesgStamp() {
        // raspberrypi/firmware issue 1056 (rsyslog with a dmesg stamp after "kernel: ")
        LogLine l = KernelLogPrefix.strip("Sep  5 18:59:49 raspberrypi kernel: [ 4175.853799] INFO: task kworker/0:1:3293 "
                + "blocked for more than 120 seconds.", 1);
        assertThat(l.prefix()).isEqualTo("syslog");
        assertThat(l.message()).startsWith("INFO: task kworker/0:1:3293 blocked");
        assertThat(l.timestamp()).isCloseTo(4175.853799, within(1e-9));
        LogLine t = KernelLogPrefix.strip("Sep  5 18:59:49 raspberrypi kernel: [ 4175.853811]       Not tainted "
                + "4.9.28-v7+ #998", 2);
        assertThat(t.message()).isEqualTo("      Not tainted 4.9.28-v7+ #998");
        // ltp issue 1080 (CentOS 7 /var/log/messages): a 3.10 stack frame is not a stamp
        LogLine f = KernelLogPrefix.strip("Aug 17 06:27:33 hgzmm3cs239 kernel: [<ffffffffa2640cdc>] "
                + "mem_cgroup_oom_synchronize+0x55c/0x590", 3);
        assertThat(f.prefix()).isEqualTo("syslog");
        assertThat(f.message()).isEqualTo("[<ffffffffa2640cdc>] mem_cgroup_oom_synchronize+0x55c/0x590");
        assertThat(f.timestamp()).isNull();
        // fedora-coreos-tracker issue 1600 (journalctl -k default output: syslog-like)
        LogLine j = KernelLogPrefix.strip("Oct 24 01:36:33 sn01 kernel:  ? smp_call_function_many_cond+0x121/0x4f0", 4);
        assertThat(j.prefix()).isEqualTo("syslog");
        assertThat(j.message()).isEqualTo(" ? smp_call_function_many_cond+0x121/0x4f0");
    }

    @Test
    void remoteSyslogWithoutTagKeepsTheDmesgStampOff() {
        // ppp-project/ppp issue 166: a remote syslog server got the console lines with their stamp and caller id
        LogLine l = KernelLogPrefix.strip("Aug 30 05:34:55 10.20.22.1 [139221.203949][  T817] INFO: task pppd:6009"
                + " blocked for more than 122 seconds.", 1);
        assertThat(l.prefix()).isEqualTo("syslog");
        assertThat(l.message()).isEqualTo("INFO: task pppd:6009 blocked for more than 122 seconds.");
        assertThat(l.timestamp()).isCloseTo(139221.203949, within(1e-9));
        LogLine f = KernelLogPrefix.strip("Aug 30 05:34:55 10.20.22.1 [139221.386660][  T817]  __schedule+0x374/0x750", 2);
        assertThat(f.message()).isEqualTo(" __schedule+0x374/0x750");
        // a bracketed word that is no stamp stays in the message
        LogLine o = KernelLogPrefix.strip("Aug 30 05:34:55 gw [warn] link down", 3);
        assertThat(o.message()).isEqualTo("[warn] link down");
    }

    @Test
    void syslogOtherPrograms() {
        // oomd issue 125
        LogLine l = KernelLogPrefix.strip("Apr 12 20:40:03 seireitei oomd[14628]: [../src/oomd/engine/Ruleset.cpp:112] "
                + "Running Action=kill_by_memory_size_or_growth", 1);
        assertThat(l.prefix()).isEqualTo("syslog");
        assertThat(l.message()).startsWith("[../src/oomd/engine/Ruleset.cpp:112] Running");
    }

    @Test
    void syslogWhoseDayPaddingAWebPageCollapsed() {
        // a Red Hat knowledge-base article (corpus f-002): HTML rendering made "Nov  1" into "Nov 1"
        LogLine l = KernelLogPrefix.strip("Nov 1 16:11:42 lab kernel: s1-agent invoked oom-killer: gfp_mask=0xd0, "
                + "order=0, oom_score_adj=0", 1);
        assertThat(l.prefix()).isEqualTo("syslog");
        assertThat(l.message()).startsWith("s1-agent invoked oom-killer");
        assertThat(KernelLogPrefix.strip("Nov 1 16:11:42.123456 lab kernel: x", 2).prefix()).isEqualTo("journalctl");
        assertThat(KernelLogPrefix.strip("Nov 1 a:11:42 lab kernel: x", 3).prefix()).isEqualTo("none");
    }

    @Test
    void syslogRfc3339() {
        LogLine l = KernelLogPrefix.strip("2020-08-29T06:32:19.123456+08:00 node1 kernel: nfs: server nfs1 OK", 1);
        assertThat(l.prefix()).isEqualTo("syslog");
        assertThat(l.message()).isEqualTo("nfs: server nfs1 OK");
    }

    @Test
    void journalctlOutputModes() {
        // -o short-monotonic
        LogLine m = KernelLogPrefix.strip("[ 3891.873807] node1 kernel: INFO: task jbd2/md127-8:587 blocked for more "
                + "than 120 seconds.", 1);
        assertThat(m.prefix()).isEqualTo("journalctl");
        assertThat(m.message()).startsWith("INFO: task jbd2/md127-8:587");
        assertThat(m.timestamp()).isCloseTo(3891.873807, within(1e-9));
        // -o short-monotonic --no-hostname (thesofproject/linux issue 3387)
        LogLine nh = KernelLogPrefix.strip("[ 3318.829227] kernel:       Not tainted 5.16.0-rc1-daily-default-20220111-0 "
                + "#55744127", 1);
        assertThat(nh.prefix()).isEqualTo("journalctl");
        assertThat(nh.message()).isEqualTo("      Not tainted 5.16.0-rc1-daily-default-20220111-0 #55744127");
        // -o short-precise (longhorn issue 9878)
        LogLine p = KernelLogPrefix.strip("Feb 20 13:46:53.159291 dev-r7515-c kernel: sd 15:0:0:1: rejecting I/O to "
                + "offline device", 2);
        assertThat(p.prefix()).isEqualTo("journalctl");
        assertThat(p.message()).isEqualTo("sd 15:0:0:1: rejecting I/O to offline device");
        // -o short-iso, older systemd (%z) and newer ("+08:00")
        LogLine i = KernelLogPrefix.strip("2020-08-29T06:32:19+0800 node1 kernel: sysrq: Show Blocked State", 3);
        assertThat(i.prefix()).isEqualTo("journalctl");
        assertThat(i.message()).isEqualTo("sysrq: Show Blocked State");
        LogLine i2 = KernelLogPrefix.strip("2020-08-29T06:32:19+08:00 node1 kernel: sysrq: Show Blocked State", 4);
        assertThat(i2.prefix()).isEqualTo("journalctl");
        // -o short-iso-precise, older systemd
        LogLine ip = KernelLogPrefix.strip("2020-08-29T06:32:19.123456+0800 node1 kernel: x", 5);
        assertThat(ip.prefix()).isEqualTo("journalctl");
        // -o short-full
        LogLine f = KernelLogPrefix.strip("Sat 2020-08-29 06:32:19 CST node1 kernel: sysrq: Show State", 6);
        assertThat(f.prefix()).isEqualTo("journalctl");
        assertThat(f.message()).isEqualTo("sysrq: Show State");
        // -o short-unix
        LogLine u = KernelLogPrefix.strip("1598653939.123456 node1 kernel: sysrq: Show State", 7);
        assertThat(u.prefix()).isEqualTo("journalctl");
        assertThat(u.message()).isEqualTo("sysrq: Show State");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-- Logs begin at Wed 2015-12-02 22:53:58 IST, end at Tue 2016-09-20 17:46:04 IST. --",
            "-- Boot 2f0e6b6b8b0f4a2e9c4c1b7f7f0e1d2c --",
            "-- No entries --",
            "-- Reboot --"})
    void journalctlMarkers(String raw) {
        LogLine l = KernelLogPrefix.strip(raw, 1);
        assertThat(l.prefix()).isEqualTo("journalctl");
        assertThat(l.message()).isEmpty();
    }

    @Test
    void kmsgRecordsAndDictionary() {
        // Documentation/ABI/testing/dev-kmsg example
        LogLine r = KernelLogPrefix.strip("7,160,424069,-;pci_root PNP0A03:00: host bridge window [io  0x0000-0x0cf7] "
                + "(ignored)", 1);
        assertThat(r.prefix()).isEqualTo("kmsg");
        assertThat(r.message()).startsWith("pci_root PNP0A03:00: host bridge window");
        assertThat(r.timestamp()).isCloseTo(0.424069, within(1e-9));
        LogLine d1 = KernelLogPrefix.strip(" SUBSYSTEM=acpi", 2);
        LogLine d2 = KernelLogPrefix.strip(" DEVICE=+acpi:PNP0A03:00", 3);
        assertThat(d1.prefix()).isEqualTo("kmsg-dict");
        assertThat(d1.message()).isEmpty();
        assertThat(d2.prefix()).isEqualTo("kmsg-dict");
        assertThat(d2.message()).isEmpty();
        LogLine old = KernelLogPrefix.strip("6,339,5140900;NET: Registered protocol family 10", 4);
        assertThat(old.prefix()).isEqualTo("kmsg");
        assertThat(old.message()).isEqualTo("NET: Registered protocol family 10");
        assertThat(old.timestamp()).isCloseTo(5.1409, within(1e-9));
        LogLine caller = KernelLogPrefix.strip("4,1234,3891873807,-,caller=T587;INFO: task x:1 blocked for more than 1 "
                + "seconds.", 5);
        assertThat(caller.message()).startsWith("INFO: task x:1");
    }

    @Test
    void unprefixedLinesComeBackWhole() {
        for (String raw : new String[] {
                "PID: 587 TASK: ffff9f53f8c31070 CPU: 5 COMMAND: \"jbd2/md127-8\"",
                "#2 [ffff9f53ff35bc98] jbd2_journal_commit_transaction at ffffffffc01fe8b0 [jbd2]",
                "[<ffffffffba3da5f5>] wait_iff_congested+0x135/0x150",
                "[<0>] request_wait_answer+0x12f/0x210",
                "  ? __schedule+0x1755/0x4f50",
                ":Sat Aug 29 06:32:19 2020,runc:[2:INIT],call handle_mm_fault tid=112272,address=cd3468",
                "goroutine 146 [select, 8817 minutes]:",
                "27153      1   5  ffff9f53fc35a0e0  UN   0.4  848900 499188  ext4-repro-with-write",
                "INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.",
                "[drm] Initialized",
                "[exception RIP: tg_unthrottle_up+24]"}) {
            LogLine l = KernelLogPrefix.strip(raw, 1);
            assertThat(l.prefix()).as(raw).isEqualTo("none");
            assertThat(l.message()).as(raw).isEqualTo(raw);
            assertThat(l.timestamp()).as(raw).isNull();
        }
    }

    @Test
    void crlfEmptyAndPrefixOnlyLines() {
        LogLine crlf = KernelLogPrefix.strip("[ 3891.873807] Killed process 27153 (x)\r", 1);
        assertThat(crlf.message()).isEqualTo("Killed process 27153 (x)");
        LogLine bare = KernelLogPrefix.strip("plain text\r", 1);
        assertThat(bare.message()).isEqualTo("plain text");
        assertThat(KernelLogPrefix.strip("", 1).message()).isEmpty();
        assertThat(KernelLogPrefix.strip("\r", 1).message()).isEmpty();
        LogLine onlyStamp = KernelLogPrefix.strip("[ 3891.873807]", 1);
        assertThat(onlyStamp.prefix()).isEqualTo("dmesg");
        assertThat(onlyStamp.message()).isEmpty();
        LogLine onlyStampSpace = KernelLogPrefix.strip("[ 3891.873807] ", 1);
        assertThat(onlyStampSpace.message()).isEmpty();
        LogLine onlySyslog = KernelLogPrefix.strip("Aug 29 06:32:19 host kernel:", 1);
        assertThat(onlySyslog.prefix()).isEqualTo("syslog");
        assertThat(onlySyslog.message()).isEmpty();
        LogLine onlyKmsg = KernelLogPrefix.strip("6,1,2,-;", 1);
        assertThat(onlyKmsg.prefix()).isEqualTo("kmsg");
        assertThat(onlyKmsg.message()).isEmpty();
    }

    @Test
    void brokenBytesAndTruncatedPrefixesNeverThrow() {
        LogLine l = KernelLogPrefix.strip("[ 3891.873807] Killed process 1 (\uFFFD\uFFFDx)", 1);
        assertThat(l.message()).isEqualTo("Killed process 1 (\uFFFD\uFFFDx)");
        String[] odd = {"[", "[ ", "[ 1", "[ 1.", "[ 1.2", "[ 1.2 <", "<", "<6", "<6>", "<6>[", "6,", "6,1", "6,1,",
                "6,1,2", "6,1,2,", "2020-", "2020-08-29T06:32:19", "Aug", "Aug 29 06:32:19", "Aug 29 06:32:19 host",
                "kern  :info  :", "kern  :info  : [", "-- ", "--", " ", "\t", "\uFFFD[ 1.0] x", "[\uFFFD] x",
                "[Sat Aug 29 06:32:19 2020", "[Aug29 06:32", "[  +0.0", "Sat 2020-08-29 06:32:19"};
        for (String s : odd) {
            LogLine r = KernelLogPrefix.strip(s, 1);
            assertThat(r.message()).as(s).isNotNull();
        }
    }

    @Test
    void dmesgTInAnyLocale() {
        // nfs-ganesha issue 1096 (zh_CN: weekday 三, month 3月), a Russian paste (Пт май), and a French locale's
        // abbreviations with their dot; util-linux formats the time with strftime "%a %b %e %H:%M:%S %Y"
        LogLine zh = KernelLogPrefix.strip("[三 3月 13 03:20:55 2024] RPC:       xs_tcp_send_req", 1);
        assertThat(zh.prefix()).isEqualTo("dmesg -T");
        assertThat(zh.message()).isEqualTo("RPC:       xs_tcp_send_req");
        assertThat(zh.timestamp()).isNull();
        LogLine ru = KernelLogPrefix.strip("[Пт май 11 19:03:39 2018]  [<ffffffff92b12f79>] schedule+0x29/0x70", 2);
        assertThat(ru.prefix()).isEqualTo("dmesg -T");
        assertThat(ru.message()).isEqualTo(" [<ffffffff92b12f79>] schedule+0x29/0x70");
        LogLine fr = KernelLogPrefix.strip("[mer. mars 13 03:20:55 2024] INFO: task mount:4242 blocked for more than"
                + " 120 seconds.", 3);
        assertThat(fr.prefix()).isEqualTo("dmesg -T");
        assertThat(fr.message()).startsWith("INFO: task mount:4242");
        // a padded day (%e) in a locale whose month is a number and a sign
        LogLine ja = KernelLogPrefix.strip("[水  3月  6 03:20:55 2024] NFS: MNTPATH: '/ns-centos85-1'", 4);
        assertThat(ja.prefix()).isEqualTo("dmesg -T");
        assertThat(ja.message()).isEqualTo("NFS: MNTPATH: '/ns-centos85-1'");
    }

    @Test
    void dmesgTWhoseOpeningBracketWasLost() {
        // rclone issue 7049: the selection began one character late, so only the first line lost its '['
        LogLine l = KernelLogPrefix.strip("Wed May 31 00:03:20 2023] INFO: task rclone:61704 blocked for more than 120"
                + " seconds.", 1);
        assertThat(l.prefix()).isEqualTo("dmesg -T");
        assertThat(l.message()).isEqualTo("INFO: task rclone:61704 blocked for more than 120 seconds.");
        LogLine zh = KernelLogPrefix.strip("三 3月 13 03:20:55 2024] NFS:   parsing nfs mount option 'source'", 2);
        assertThat(zh.prefix()).isEqualTo("dmesg -T");
        assertThat(zh.message()).isEqualTo("NFS:   parsing nfs mount option 'source'");
    }

    @Test
    void bracketedTextIsNoHumanTime() {
        String[] notStamps = {
            "[sda] Attached SCSI removable disk",
            "[drm] Initialized i915 1.6.0 20201103 for 0000:00:02.0 on minor 0",
            "[ext4 fs] note 12:30:00 2024]",
            "[main thread 12:30:00 2024] started",
            "[Mon Tue Wed 3 12:30:00 24] x",
            "[mer. mars 13 03:20 2024] no seconds",
            "Wed May 31 00:03:20 2023 no bracket after the year",
            "at Wed May 31 00:03:20 2023] prose first",
        };
        for (String s : notStamps) {
            assertThat(KernelLogPrefix.strip(s, 1).prefix()).as(s).isEqualTo("none");
        }
        // the English stamp and syslog keep their own readings
        assertThat(KernelLogPrefix.strip("[Sat Aug 29 06:32:19 2020] msg", 1).prefix()).isEqualTo("dmesg -T");
        assertThat(KernelLogPrefix.strip("May 31 00:03:20 host kernel: msg", 1).prefix()).isEqualTo("syslog");
    }
}
