package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The normalising stage: what mail, trackers and consoles do to kernel output is undone before the parsers. */
class PastedTextTest {

    private static Evidence read(String text) throws IOException {
        return EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t");
    }

    private static Evidence fixture(String name) throws IOException {
        return EvidenceReader.read(new ByteArrayInputStream(Files.readAllBytes(Path.of("src/test/resources/pasted", name))),
                name);
    }

    private static List<String> clean(String... lines) {
        List<String> out = new ArrayList<>();
        PastedText p = new PastedText((l, n) -> out.add(l), l -> true);
        p.scanBuffer(String.join("\n", lines));
        for (int i = 0; i < lines.length; i++) {
            p.accept(lines[i], i + 1);
        }
        p.finish();
        return out;
    }

    @Test
    void quotedPrintableNoBreakSpacesWithoutAnyEqualsSignAreDecodedToSpaces() throws IOException {
        // corpus w-008 (lore.kernel.org/r/09df0911-9421-40af-8296-de1383be1c58@kylinos.cn): no mail header, no =3D,
        // "=C2=A0" after every stamp, the 6.15+ task line soft-broken inside an escape and its '[' lost
        Evidence e = read("""
                 =C2=A06616.650482] task:ThreadPoolForeg state:D stack:0=C2=A0 =C2=A0 =C2=
                =A0pid:262026=20
                tgid:4065=C2=A0 ppid:2490=C2=A0 =C2=A0task_flags:0x400040 flags:0x0000400=
                4
                [ 6616.650485] Call Trace:
                [ 6616.650486]=C2=A0 <TASK>
                [ 6616.650489]=C2=A0 __schedule+0x532/0xea0
                [ 6616.650494]=C2=A0 schedule+0x27/0x80
                [ 6616.650496]=C2=A0 jbd2_log_wait_commit+0xa6/0x120
                [ 6616.650502]=C2=A0 ext4_sync_file+0x1ba/0x380
                """);
        Task t = e.taskOrNull(262026);
        assertThat(t).isNotNull();
        assertThat(t.comm()).isEqualTo("ThreadPoolForeg");
        assertThat(t.frames()).extracting(f -> f.function())
                .containsSubsequence("__schedule", "jbd2_log_wait_commit", "ext4_sync_file");
        // the same frame lines without quoted-printable keep their no-break spaces' meaning only as spaces
        assertThat(clean("[ 6616.650486]=C2=A0 <TASK>", "[ 6616.650489]=C2=A0 __schedule+0x532/0xea0"))
                .containsExactly("[ 6616.650486]  <TASK>", "[ 6616.650489]  __schedule+0x532/0xea0");
        // "timeout=C2" is no escape pair and nothing else marks the text: it stays as written
        assertThat(clean("mount option timeout=C2 retrans=2")).containsExactly("mount option timeout=C2 retrans=2");
    }

    @Test
    void anOomHeaderWrappedRightAfterItsTriggerIsJoined() throws IOException {
        // corpus w-018 (github.com/cgeo/cgeo issue 5963) under a mailer's wrap at 72: the header breaks after
        // "invoked oom-killer:", and a frame line whose symbol went to the next line is short (under 40 columns)
        Evidence e = read("""
                [  487.012644] emulator64-x86 invoked oom-killer:
                gfp_mask=0x2400040(GFP_NOFS), order=0, oom_score_adj=0
                [  487.012652] CPU: 11 PID: 2778 Comm: emulator64-x86 Tainted: G           O    4.7.2-1-ARCH #1
                [  487.012659] Call Trace:
                [  487.012664]  [<ffffffff812eb132>] dump_stack+0x63/0x81
                [  487.012668]  [<ffffffff811f6e5c>] dump_header+0x60/0x1e8
                [  487.012674]  [<ffffffff811762fa>] oom_kill_process+0x22a/0x440
                [  487.012677]  [<ffffffff811ec148>]
                mem_cgroup_out_of_memory+0x308/0x350
                [  487.012679]  [<ffffffff811ecd60>]
                mem_cgroup_oom_synchronize+0x360/0x370
                """);
        assertThat(e.events(KernelEventKind.OOM_INVOKED)).singleElement().satisfies(ev -> {
            assertThat(ev.comm()).isEqualTo("emulator64-x86");
            assertThat(ev.fields()).containsEntry("gfp_mask", "0x2400040").containsEntry("order", "0");
        });
        assertThat(e.taskOrNull(2778).frames()).extracting(f -> f.function())
                .contains("mem_cgroup_out_of_memory", "mem_cgroup_oom_synchronize");
        // cut there with no rest: still the killer's invocation, by the task the line names
        Evidence cut = read("""
                [  487.012644] emulator64-x86 invoked oom-killer:
                [  487.012652] CPU: 11 PID: 2778 Comm: emulator64-x86 Tainted: G           O    4.7.2-1-ARCH #1
                """);
        assertThat(cut.events(KernelEventKind.OOM_INVOKED)).singleElement()
                .satisfies(ev -> assertThat(ev.comm()).isEqualTo("emulator64-x86"));
    }

    @Test
    void aReportsFirstWordsCutAtALinesEndAfterOtherTextJoinTheirRest() throws IOException {
        // corpus t-002 (node-problem-detector's event row in `kubectl describe node`) and t-021 (a GKE report's
        // prose), wrapped by a mailer at 72: the message's first words end one line, its rest starts the next
        Evidence e = read("""
                  Warning  TaskHung                 51m                 kernel-monitor,
                gke-kubeflow-testing-temp-cpu-pool-3b385d9f-6rg7  INFO: task
                dockerd:1422 blocked for more than 300 seconds.
                  Normal   Starting                 47m                 kubelet,
                """);
        assertThat(e.taskOrNull(1422)).satisfies(t -> assertThat(t.blockedSeconds()).isEqualTo(300L));
        Evidence prose = read("""
                Nodes on the GKE cluster are restarting with error `watchdog: BUG: soft
                lockup - CPU#2 stuck for XXs`.
                """);
        assertThat(prose.events(KernelEventKind.SOFT_LOCKUP)).hasSize(1);
    }

    @Test
    void wordsThatOnlyBeginAReportsFirstWordsAtALinesEndStayApart() {
        // the next line does not complete the opener: the two lines stay as they were
        assertThat(clean("we looked at the output of Kernel panic - not", "much else happened that day"))
                .containsExactly("we looked at the output of Kernel panic - not", "much else happened that day");
        // too few characters of an opener to say ("INFO: t"), or not at a word's start ("xINFO: task")
        assertThat(EventTriggers.cutOpenerAtEnd("see INFO: t", 0, 11)).isNegative();
        assertThat(EventTriggers.cutOpenerAtEnd("see xINFO: task", 0, 15)).isNegative();
        assertThat(EventTriggers.cutOpenerAtEnd("see `INFO: task ", 0, 16)).isEqualTo(5);
        // a whole opener is no cut one: the line reads as it is
        assertThat(EventTriggers.cutOpenerAtEnd("see BUG: soft lockup", 0, 20)).isNegative();
    }

    @Test
    void quotedPrintableTwiceQuotedHardLockupIsRead() throws IOException {
        Evidence e = fixture("qp-quoted-hard-lockup.txt");
        assertThat(e.events(KernelEventKind.HARD_LOCKUP)).extracting(ev -> ev.cpu()).contains(1);
        // "cpus=3D1" decoded, the soft break after "BIOS V8.030 03/30=" joined
        assertThat(e.host().kernelRelease()).isNotNull();
    }

    @Test
    void quoteMarksAtAnyDepthAndEntitiesComeOff() {
        assertThat(clean("> > [  187.564685] NMI watchdog: Watchdog detected hard LOCKUP on cpu 14"))
                .containsExactly("[  187.564685] NMI watchdog: Watchdog detected hard LOCKUP on cpu 14");
        assertThat(clean(">>>>> NMI watchdog: Watchdog detected hard LOCKUP on cpu 1"))
                .containsExactly("NMI watchdog: Watchdog detected hard LOCKUP on cpu 1");
        assertThat(clean("&gt; &gt; some text", "INFO: task a:1 blocked for more than 120 seconds."))
                .containsExactly("some text", "INFO: task a:1 blocked for more than 120 seconds.");
    }

    @Test
    void aReplyToAReplyWithIndentedMarksAndWrappedTaskLinesIsRead() throws IOException {
        Evidence e = fixture("sysrq-w-reply-to-reply.txt");
        assertThat(PastedText.unquote(">  >  schedule+0x5a/0xd0")).isEqualTo(" schedule+0x5a/0xd0");
        // each "task:... ppid:1905" line lost its "flags:0x00000002" to the next line: the stack stays the task's
        assertThat(e.taskOrNull(2064).frames()).extracting(f -> f.function())
                .contains("rwsem_down_read_slowpath", "proc_pid_cmdline_read");
        assertThat(e.taskOrNull(12249).frames()).extracting(f -> f.function()).contains("do_user_addr_fault");
        assertThat(e.taskOrNull(12251).frames()).extracting(f -> f.function()).contains("rwsem_down_write_slowpath");
    }

    @Test
    void aPowerpcStackRunsOnAcrossItsInterruptFrame() throws IOException {
        // github.com/open-power/skiboot issue 138: one stack, the RCU stall detector's timer interrupt on top
        Evidence e = read(String.join("\n",
                "[ 1000.536710] Call Trace:",
                "[ 1000.536800] [c000003fce317400] [c000000000b5f9d0] rcu_dump_cpu_stacks+0xd0/0x134",
                "[ 1000.537324] [c000003fce3177e0] [c000000000008f84] decrementer_common+0x114/0x120",
                "[ 1000.537383] --- interrupt: 901 at smp_call_function_single+0x180/0x2a0",
                "[ 1000.537383]     LR = smp_call_function_single+0x208/0x2a0",
                "[ 1000.537467] [c000003fce317b30] [c000000000296920] perf_reboot+0x100/0x1a0",
                "[ 1000.537573] [c000003fce317c10] [c000000000140f6c] kernel_power_off+0x2c/0x150"));
        assertThat(e.tasks()).hasSize(1);
        assertThat(e.tasks().iterator().next().frames()).extracting(f -> f.function())
                .containsExactly("rcu_dump_cpu_stacks", "decrementer_common", "smp_call_function_single",
                        "perf_reboot", "kernel_power_off"); // the interrupt line's function: what the CPU ran
    }

    @Test
    void rfc3339UtcTimesWithNoHostOrTagPrefixTheKernelsOwnLines() throws IOException {
        // github.com/oracle/linux-uek issue 32 (a log collector's export of a hung-task report)
        Evidence e = read(String.join("\n",
                "2025-01-16T17:24:58.365Z INFO: task khugepaged:931 blocked for more than 1228 seconds.",
                "2025-01-16T17:24:58.384Z task:khugepaged state:D stack:0 pid:931 tgid:931 ppid:2 flags:0x00004002",
                "2025-01-16T17:24:58.387Z Call Trace:",
                "2025-01-16T17:24:58.390Z <TASK>",
                "2025-01-16T17:24:58.408Z rwsem_down_write_slowpath+0x1d3/0x4e0",
                "2025-01-16T17:24:58.412Z down_write+0x6a/0x70",
                "2025-01-16T17:24:58.417Z collapse_huge_page+0x26d/0x7d0"));
        assertThat(e.events(KernelEventKind.HUNG_TASK)).extracting(ev -> ev.pid()).containsExactly(931);
        assertThat(e.taskOrNull(931).frames()).extracting(f -> f.function())
                .containsExactly("rwsem_down_write_slowpath", "down_write", "collapse_huge_page");
        // a syslog line of the same shape keeps its host and tag
        Evidence s = read("2025-01-16T17:24:58.365Z node1 kernel: INFO: task a:7 blocked for more than 120 seconds.");
        assertThat(s.events(KernelEventKind.HUNG_TASK)).extracting(ev -> ev.pid()).containsExactly(7);
    }

    @Test
    void aQuotedLineWrappedInsideTheSoftLockupWordsIsJoined() throws IOException {
        // github.com/moby/moby issue 3744 (aufs soft lockup, a kern.log quoted and wrapped by the mailer)
        Evidence e = read(String.join("\n",
                "> Jan 21 22:52:40 ourserver kernel: [109294.459832] BUG: soft",
                "> lockup - CPU#4 stuck for 22s! [docker:2374]",
                "> Jan 21 22:52:40 ourserver kernel: [109294.460022] Modules"));
        assertThat(e.events(KernelEventKind.SOFT_LOCKUP)).extracting(ev -> ev.pid()).containsExactly(2374);
        assertThat(EventTriggers.cutOpener("BUG: soft", 0, 9)).isTrue();
        assertThat(EventTriggers.cutOpener("BUG: so", 0, 7)).isFalse();
        assertThat(EventTriggers.cutOpener("BUG: something else", 0, 19)).isFalse();
    }

    @Test
    void entitiesEscapedTwiceAreDecoded() {
        // lkml ext4 fast-commit report (its HTML part already held &nbsp;) put once more into a web page
        assertThat(clean("task:syz.8.17184 &amp;nbsp; &amp;nbsp; state:D stack:27568 pid:127686",
                "&amp;nbsp;&lt;TASK&amp;gt;", "&amp;nbsp;jbd2_log_wait_commit+0x2cc/0x430 fs/jbd2/journal.c:673"))
                .containsExactly("task:syz.8.17184" + " ".repeat(5) + "state:D stack:27568 pid:127686", " <TASK>",
                        " jbd2_log_wait_commit+0x2cc/0x430 fs/jbd2/journal.c:673");
        assertThat(PastedText.decodeEntities("a &amp; b &amp;c; &amp;")).isEqualTo("a & b &c; &");
    }

    @Test
    void crashPsActiveMarkIsNotAQuote() {
        String row = ">  1234      2   1  ffff88003a6c0000  RU   0.0       0      0  [kworker/1:1]";
        assertThat(PastedText.unquote(row)).isEqualTo(row);
    }

    @Test
    void anotherToolsPrefixBeforeTheKernelsIsDropped() throws IOException {
        // github.com/openzfs/zfs issue 531 (a syslog with facility prefixes) and a syslogd broadcast
        Evidence e = read(String.join("\n",
                "kern: kern.err: Jan 13 02:49:23 kernel: INFO: task kswapd0:549 blocked for more than 3600 seconds.",
                "Message from syslogd@plot-071 at Jun 17 13:06:42 ...",
                " kernel:[405108.698255] watchdog: BUG: soft lockup - CPU#2 stuck for 22s! [chia_plot:29632]"));
        assertThat(e.events(KernelEventKind.HUNG_TASK)).extracting(ev -> ev.pid()).containsExactly(549);
        assertThat(e.events(KernelEventKind.SOFT_LOCKUP)).extracting(ev -> ev.pid()).containsExactly(29632);
    }

    @Test
    void aReportCollapsedIntoOneLineIsSplit() throws IOException {
        // a web page that lost the line breaks of an LTP run's hung-task reports
        Evidence e = read("INFO: task ftest07:1247 blocked for more than 120 seconds.\"echo  0 > "
                + "/proc/sys/kernel/hung_task_timeout_secs\" disables this message.INFO: task ftest07:1248 blocked for"
                + " more than 120 seconds.\"echo  0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.");
        assertThat(e.events(KernelEventKind.HUNG_TASK)).extracting(ev -> ev.pid()).containsExactly(1247, 1248);
    }

    @Test
    void theReportsWordsBeforeACollapsedSyslogAreALineOfTheirOwn() {
        // corpus c-021 (github.com/moby/moby issue 29751) joined into one line: the words before the first syslog
        // record are the report's (they name the soft lockup), not another tool's prefix before "kernel:"
        List<String> lines = clean("here is a stack trace when soft lockup appear: ``` Aug  6 22:37:33 atom kernel: "
                + "[  640.067013] CPU: 0 PID: 2708 Comm: nacl_helper_boo Not tainted 3.15.7-200.fc20.i686+PAE #1 "
                + "Aug  6 22:37:33 atom kernel: [  640.067013] task: f166f480 ti: e8a9e000 task.ti: e8a9e000");
        assertThat(lines.get(0)).startsWith("here is a stack trace when soft lockup appear:");
        assertThat(lines).contains("Aug  6 22:37:33 atom kernel: [  640.067013] task: f166f480 ti: e8a9e000 task.ti: e8a9e000");
        // another tool's prefix before the tag, on a line of its own, still comes off
        assertThat(clean("<4>kern.warn host1 kernel: [  640.067013] task: f166f480 ti: e8a9e000 task.ti: e8a9e000"))
                .containsExactly("[  640.067013] task: f166f480 ti: e8a9e000 task.ti: e8a9e000");
    }

    @Test
    void aRecordSplitOffAtSyslogsBareTagKeepsItsStamp() {
        // corpus q-023 (github.com/google/android-emulator-container-scripts issue 80) joined into one line:
        // "kernel: [ stamp] msg" records with no time or host; each record is the tag's, stamp and all
        List<String> lines = clean("Im stuck with an endles out put of the following log messages: `0000000002 "
                + "kernel: [  330.052439] R13: ffff89d07a5e5800 R14: ffff9a59c11df201 R15: 0000000000000002 "
                + "kernel: [  330.152733] CR2: 00000000fff7b0fc CR3: 0000000133008000 CR4: 00000000000006a0 "
                + "kernel: [  330.213259] Call Trace:");
        assertThat(lines).contains("[  330.152733] CR2: 00000000fff7b0fc CR3: 0000000133008000 CR4: 00000000000006a0",
                "[  330.213259] Call Trace:").doesNotContain("kernel:");
    }

    @Test
    void aRipLineInACollapsedLineStartsARecord() {
        // x86's "RIP: %04x:%pS"; crash's "[exception RIP: update_curr+15] RIP: ffffffff810ce3cf" names no segment
        String line = "the spinning thread: ``` RIP: 0010:nvWriteGpEntry+0xf0/0x370 [nvidia_modeset]";
        assertThat(PastedText.ripLineAfter(line, 0, line.length())).isEqualTo(line.indexOf("RIP:"));
        String crash = "#11 [ffff88103fbc5ef0] end_repeat_nmi at ffffffff8168f5d3 [exception RIP: update_curr+15] "
                + "RIP: ffffffff810ce3cf RSP: ffff88103fbc3db8 RFLAGS: 00000002";
        assertThat(PastedText.ripLineAfter(crash, 0, crash.length())).isEqualTo(-1);
    }

    @Test
    void aCollapsedTraceKeepsItsModuleFramesWhole() throws IOException {
        // corpus f-001 (a Red Hat article: a RHEL 5 hung task in one line): 2.6.18's x86_64 ":jbd:" frames
        Evidence e = read("INFO: task kjournald:911 blocked for more than 120 seconds. \"echo 0 > /proc/sys/kernel/"
                + "hung_task_timeout_secs\" disables this message. kjournald D ffff81000901d7a0 0 911 279 936 873 (L-TLB)"
                + " ffff81083de83cf0 0000000000000046 Call Trace: [<ffffffff800647ea>] io_schedule+0x3f/0x67 "
                + "[<ffffffff880339a5>] :jbd:journal_commit_transaction+0x543/0x1066 [<ffffffff8003ddd5>] "
                + "lock_timer_base+0x1b/0x3c [<ffffffff880375d3>] :jbd:kjournald+0xc1/0x213");
        assertThat(e.tasks()).hasSize(1);
        assertThat(e.taskOrNull(911).frames()).extracting(f -> f.function())
                .containsExactly("io_schedule", "journal_commit_transaction", "lock_timer_base", "kjournald");
    }

    @Test
    void aMailerWrapInsideARunOfSpacesKeepsTheRestsSpaces() {
        // corpus zd-005's (github.com/lkrg-org/lkrg issue 54) taint flags wrapped at 72 inside their padding: the
        // run's other spaces start the rest
        List<String> lines = clean("[   96.586062] CPU: 19 PID: 2978 Comm: kworker/u69:1 Tainted: G      D W",
                " OEL    5.4.62-std-debug-alt1 #1",
                "[   96.595361] Hardware name: Supermicro Super Server/H11DSi, BIOS 1.2");
        assertThat(lines).containsExactly(
                "[   96.586062] CPU: 19 PID: 2978 Comm: kworker/u69:1 Tainted: G      D W OEL    5.4.62-std-debug-alt1 #1",
                "[   96.595361] Hardware name: Supermicro Super Server/H11DSi, BIOS 1.2");
        // an indented frame after a long record is a frame of its own
        assertThat(clean("[   96.586062] CPU: 19 PID: 2978 Comm: kworker/u69:1 Tainted: G      D W",
                " __schedule+0x2c7/0x740", "[   96.595361] Hardware name: Supermicro")).hasSize(3);
        assertThat(clean("[   96.586062] CPU: 19 PID: 2978 Comm: kworker/u69:1 Tainted: G      D W",
                "  <TASK>", "[   96.595361] Hardware name: Supermicro")).hasSize(3);
    }

    @Test
    void anArm64RegisterLabelWrappedFromItsValueIsJoined() {
        // corpus j-010 (github.com/multipath-tcp/mptcp issue 513) wrapped at 72: "pc :" and its function apart
        List<String> lines = clean("May  6 16:08:04 arter97-ampere kernel: [1950261.733382] pc :",
                "__kmalloc_track_caller+0xc4/0x280",
                "May  6 16:08:04 arter97-ampere kernel: [1950261.733383] lr :",
                "__kmalloc_track_caller+0x4c/0x280");
        assertThat(lines).containsExactly(
                "May  6 16:08:04 arter97-ampere kernel: [1950261.733382] pc : __kmalloc_track_caller+0xc4/0x280",
                "May  6 16:08:04 arter97-ampere kernel: [1950261.733383] lr : __kmalloc_track_caller+0x4c/0x280");
        assertThat(PastedText.endsInRegisterLabel("[1950261.733384] x9 :")).isTrue();
        assertThat(PastedText.endsInRegisterLabel("[  330.213259] Call Trace:")).isFalse();
        assertThat(PastedText.endsInRegisterLabel("[  330.213259] note the value of a :")).isFalse();
    }

    @Test
    void quoteMarksOfAReplyWhoseLineBreaksWereLostComeOff() {
        // corpus b-103 (github.com/moby/moby issue 3744): a kern.log quoted in a reply, wrapped, then joined
        String line = "Here is the relevant kern.log: (in this case from 12.04) Jan 21 22:52:12 ourserver kernel: "
                + "[109267.001138] aufs > test_add:261:docker[16740]: uid/gid/perm > "
                + "/var/lib/docker/aufs/diff/539c0211cd76cdeaedbecf9f023ef774612e331137ce7ebe4ae1b61088e7edbe > 0/0/0555, "
                + "0/0/0755 > Jan 21 22:52:40 ourserver kernel: [109294.459832] BUG: soft > lockup - CPU#4 stuck for 22s!"
                + " [docker:2374] > Jan 21 22:52:40 ourserver kernel: [109294.460022] Modules > linked in: veth(F)";
        assertThat(PastedText.unquoteInside(line)).contains(" [109294.459832] BUG: soft lockup - CPU#4 stuck for 22s! "
                + "[docker:2374] Jan 21 22:52:40 ").doesNotContain(" > ");
        // the hung-task message's own "echo 0 >" once a report stays
        String hung = "[  240.112233] INFO: task ftest07:1247 blocked for more than 120 seconds. [  240.112240] \"echo 0 > "
                + "/proc/sys/kernel/hung_task_timeout_secs\" disables this message. [  240.112250] task:ftest07 "
                + "state:D stack:0 pid:1247 ppid:1 flags:0x00000000 [  240.112260] Call Trace:";
        assertThat(PastedText.unquoteInside(hung)).isSameAs(hung);
        // a /dev/kmsg record is one message: its text stays as written
        String kmsg = "4,1234,5678,-;" + line;
        assertThat(String.join(" ", clean(kmsg))).contains("BUG: soft > lockup - CPU#4");
    }

    @Test
    void aSoftBreakKeepsItsRestAcrossADoubleSpacingsBlankLine() {
        // corpus e-012 (lore.kernel.org, a quoted-printable reply) copied off a page with a blank line after each line
        List<String> lines = clean("On Nov 25, 2024 / 13:10, Bart Van Assche wrote:", "",
                "> Test concurrent requeuing of zoned writes and request queue freezing. Whi=", "", "le", "",
                "> test test passes with kernel 6.9, it triggers a hang with kernels 6.10 an=", "", "d", "", "", "",
                "I guess you mean, s/test test passes/the test passes/");
        assertThat(lines).contains("Test concurrent requeuing of zoned writes and request queue freezing. While",
                "test test passes with kernel 6.9, it triggers a hang with kernels 6.10 and");
    }

    @Test
    void aConsoleLineWrappedWithoutItsPrefixIsJoined() {
        // github.com/bittern-cache: a serial console cut at 83 columns, mid-word (a cut 80 columns or wider is a
        // console's until the pieces show otherwise: no space was lost)
        List<String> lines = clean(
                "[ 2039.449821] cache_ctr_restore_or_init_workqueues@603: [2507]: INFO: flushing res",
                "tore_workqueue[0] ffff880079338e00",
                "[ 2160.247120] INFO: task dmsetup:2507 blocked for more than 120 seconds.");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("[ 2039.449821] ").endsWith("flushing restore_workqueue[0] ffff880079338e00");
    }

    @Test
    void aFrameWhoseSymbolWentToTheNextLineIsJoinedWhateverTheWidth() {
        // github.com/elastic/elasticsearch issue 25238 (indented dmesg -T), wrapped at 72: the pieces are 53 wide
        // because the symbol that would not fit is long; the rest looks like a frame of its own
        assertThat(clean("    [Wed Jun 14 18:03:48 2017]  [<ffffffffa02b6fc9>]", "xfs_iunpin_wait+0x19/0x20 [xfs]",
                "    [Wed Jun 14 18:03:48 2017]  [<ffffffff8112483d>] ?", "call_rcu_sched+0x1d/0x20"))
                .containsExactly("[Wed Jun 14 18:03:48 2017]  [<ffffffffa02b6fc9>] xfs_iunpin_wait+0x19/0x20 [xfs]",
                        "[Wed Jun 14 18:03:48 2017]  [<ffffffff8112483d>] ? call_rcu_sched+0x1d/0x20");
        // an arm backtrace (the address before "from") and a paragraph of /proc stack frames with no prefix at all
        assertThat(clean("[ 5036.077593] [<8079ef70>] (__schedule) from [<8079f5d8>]", "(schedule+0x50/0xa8)"))
                .containsExactly("[ 5036.077593] [<8079ef70>] (__schedule) from [<8079f5d8>] (schedule+0x50/0xa8)");
        assertThat(clean("the UN state in the following call stack: [<0>]",
                "io_wq_put_and_exit+0xa1/0x210 [<0>] io_uring_clean_tctx+0x8e/0xd0"))
                .containsExactly("the UN state in the following call stack:", "[<0>] io_wq_put_and_exit+0xa1/0x210",
                        "[<0>] io_uring_clean_tctx+0x8e/0xd0");
        assertThat(PastedText.endsInFrameAddress("[ 1104.160836] [c0000001d10b7710] [c00000000001fbac]")).isTrue();
        assertThat(PastedText.endsInFrameAddress("[ 1104.160836] INFO: task")).isFalse();
        assertThat(PastedText.endsInFrameAddress("[ 1104.160836]")).isFalse();
    }

    @Test
    void aLineWhoseNextWordWouldHaveFitWasNotWrapped() {
        // a short log line followed by prose is two lines, a piece shorter than 60 whose next word is long is one
        assertThat(clean("[ 2642.814819] some short message of a line", "and prose")).hasSize(2);
        assertThat(clean("Feb 15 05:49:42 inception kernel: [ 2642.814819] \"echo 0 >",
                "/proc/sys/kernel/hung_task_timeout_secs\" disables this message."))
                .containsExactly("Feb 15 05:49:42 inception kernel: [ 2642.814819] \"echo 0 > "
                        + "/proc/sys/kernel/hung_task_timeout_secs\" disables this message.");
    }

    @Test
    void aRecordWithAnotherToolsPrefixMayBeWrappedToo() {
        // github.com/openzfs/zfs issue 531, wrapped at 72: the rest has no prefix, the next record has the tool's
        assertThat(clean("kern: kern.err: Jan 13 02:49:23 kernel: INFO: task kswapd0:549 blocked",
                "for more than 3600 seconds.",
                "kern: kern.info: Jan 13 02:49:23 kernel: kswapd0         D",
                "ffff8804032bb148     0   549      2 0x00000000"))
                .containsExactly("INFO: task kswapd0:549 blocked for more than 3600 seconds.",
                        "kswapd0         D ffff8804032bb148     0   549      2 0x00000000");
    }

    @Test
    void theRestOfAWrappedLineKeepsTheEventWordsInsideIt() {
        // a memcg OOM kill on a droplet (syslog), wrapped by a mailer at 72 after "Memory"
        assertThat(clean("May 15 23:09:27 ubuntu-s-1vcpu-2gb-ams3-01 kernel: [  514.682838] Memory",
                "cgroup out of memory: Killed process 15617 (python3) total-vm:11892kB,"))
                .containsExactly("May 15 23:09:27 ubuntu-s-1vcpu-2gb-ams3-01 kernel: [  514.682838] Memory cgroup "
                        + "out of memory: Killed process 15617 (python3) total-vm:11892kB,");
    }

    @Test
    void aWrappedRecordWhoseHeadAloneIsNoiseIsJoined() throws IOException {
        // the heads "... Memory" and "... runc:[2:INIT] invoked" start no record on their own: the look in place
        // would skip them, but not before a line that may be their rest (a syslog of a droplet, a podman journal)
        Evidence e = read(String.join("\n",
                "May 15 23:09:27 ubuntu-s-1vcpu-2gb-ams3-01 kernel: [  514.682838] Memory",
                "cgroup out of memory: Killed process 15617 (python3) total-vm:11892kB,",
                "anon-rss:4292kB, file-rss:3428kB, shmem-rss:0kB",
                "Oct 02 08:50:55 host-10-0-137-220 kernel: runc:[2:INIT] invoked",
                "oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0", ""));
        assertThat(e.allEvents()).extracting(ev -> ev.kind())
                .contains(KernelEventKind.OOM_KILLED, KernelEventKind.OOM_INVOKED);
        assertThat(PastedText.mayStartWrap("syslog", "May 15 23:09:27 ubuntu-s-1vcpu-2gb-ams3-01 kernel: Memory", 0,
                55, 'c')).isTrue();
        assertThat(PastedText.mayStartWrap("syslog", "May 15 23:09:27 ubuntu-s-1vcpu-2gb-ams3-01 kernel: Memory", 0,
                55, 'M')).isFalse(); // the next line is the log's next record
        assertThat(PastedText.mayStartWrap("none", "May 15 23:09:27 ubuntu-s-1vcpu-2gb-ams3-01 kernel: Memory", 0,
                55, 'c')).isFalse();
    }

    @Test
    void aMailerWrapAndAConsoleCutAreToldApartByTheirPieces() {
        // a mailer at 72 eats the space, also when the piece is exactly 72 wide (the first wrap of this input)
        assertThat(clean("Mar  5 22:39:31 myhost kernel: INFO: task collectd:1207 blocked for more",
                "than 120 seconds."))
                .containsExactly("Mar  5 22:39:31 myhost kernel: INFO: task collectd:1207 blocked for more than 120 seconds.");
        // a console at 80 cuts mid-word, even before a space ("more than" + " 120") or inside a frame's symbol
        assertThat(clean("Sep 14 16:56:27 rh-vz01 kernel: INFO: task (alsactl):15981 blocked for more than",
                " 120 seconds.",
                "Apr 26 20:09:09 lenin kernel: [ 4923.397773]  [<ffffffff81101352>] ? __lookup_mn",
                "t+0x12/0x4b"))
                .containsExactly("Sep 14 16:56:27 rh-vz01 kernel: INFO: task (alsactl):15981 blocked for more than 120 seconds.",
                        "Apr 26 20:09:09 lenin kernel: [ 4923.397773]  [<ffffffff81101352>] ? __lookup_mnt+0x12/0x4b");
        // a frame's symbol cut short is a console's cut whatever its width (64 here, the first cut of the input)
        assertThat(clean("[Wed Jun 14 18:03:48 2017]  [<ffffffffa02b6fc9>] xfs_iunpin_", "wait+0x19/0x20 [xfs]",
                "[Wed Jun 14 18:03:48 2017]  [<ffffffff8112483d>] ? call_rcu_sche", "d+0x1d/0x20"))
                .containsExactly("[Wed Jun 14 18:03:48 2017]  [<ffffffffa02b6fc9>] xfs_iunpin_wait+0x19/0x20 [xfs]",
                        "[Wed Jun 14 18:03:48 2017]  [<ffffffff8112483d>] ? call_rcu_sched+0x1d/0x20");
        assertThat(PastedText.endsInsideSymbol("[ 1.0]  [<ffffffff8112483d>] ? call_rcu_sched+0x1d")).isTrue();
        assertThat(PastedText.endsInsideSymbol("[ 1.0]  [<ffffffff8112483d>] ? call_rcu_sched+0x1d/0x20")).isFalse();
        assertThat(PastedText.endsInsideSymbol("[ 1.0] INFO: task a:1 blocked")).isFalse();
        // pieces of one width make a console of a narrower one too: the third 72-wide piece is glued
        List<String> cut72 = clean(
                "[ 2642.814821] " + "a".repeat(57),
                "bbbb",
                "[ 2642.814822] " + "a".repeat(57),
                "bbbb",
                "[ 2642.814823] INFO: task (alsactl):15981 blocked for more than 120 seco",
                "nds.");
        assertThat(cut72).last().isEqualTo("[ 2642.814823] INFO: task (alsactl):15981 blocked for more than 120 seconds.");
    }

    @Test
    void taskLineWrappedAfterFlagsIsJoined() {
        assertThat(clean("[ 2690.171650] task:kworker/u8:0    state:D stack:    0 pid:    8 ppid:     2 flags:",
                "0x00004000"))
                .containsExactly("[ 2690.171650] task:kworker/u8:0    state:D stack:    0 pid:    8 ppid:     2 flags:0x00004000");
    }

    @Test
    void dmesgTimeInAnotherLocaleIsAPrefix() throws IOException {
        Evidence e = fixture("localized-dmesg-t.txt");
        assertThat(e.tasks()).anyMatch(t -> t.frames().stream().anyMatch(f -> f.function().equals("_xfs_log_force")));
    }

    @Test
    void aQuotedArm64StackWithNoHeaderIsAStack() throws IOException {
        Evidence e = fixture("arm64-bare-frames.txt");
        assertThat(e.tasks()).anyMatch(t -> t.frames().stream().anyMatch(f -> f.function().equals("handle_userfault")));
    }

    @Test
    void aLoneFrameIsStillNoTask() throws IOException {
        Evidence e = read("some prose\n  schedule+0x5e/0xd0\nmore prose");
        assertThat(e.tasks()).isEmpty();
        Task none = e.taskOrNull(-1);
        assertThat(none).isNull();
    }
    /**
     * Decoding is decided line by line: a report reads the same whatever the reads it arrives in, including a line
     * before the first "=3D" or "&gt;" that decoding would change ("=41" in a task name).
     */
    @Test
    void quotedPrintableAndEntityReportsReadTheSameInAnySplit() throws IOException {
        String before = "INFO: task dd=41:77 blocked for more than 120 seconds.\n"
                + "INFO: task cp&quot;:78 blocked for more than 120 seconds.\n";
        List<String> texts = new ArrayList<>();
        texts.add(before + "> [  1.0] cpus=3D1 x\n> Call Trace:\n");
        texts.add(before + "&gt; [  1.0] x\n");
        for (String r : List.of("a-068-lkml-memcg-dirty-oom-qp-double-quoted.txt", "a-103-linux-nfs-nfsd-wbt-wait-qp.txt",
                "b-048-hwpoison-css-release-hard-lockup-qp.txt", "a-086-lkml-ext4-fast-commit-jbd2-nbsp-entities.txt",
                "a-087-netdev-rtnl-dumpit-mutex-entities.txt", "b-047-amdgpu-vkms-hard-lockup-html-part.txt")) {
            texts.add(before + Files.readString(Path.of("src/test/resources/corpus/reports", r)));
        }
        for (String text : texts) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            String whole = NoiseSkipEquivalenceTest.dump(NoiseSkipEquivalenceTest.read(new ByteArrayInputStream(bytes), "t", true));
            assertThat(whole).contains("dd=41");
            int firstMark = Math.max(text.indexOf("=3D"), text.indexOf("&gt;"));
            for (int split : new int[] {1, 7, 50, 61, before.length(), firstMark, 4096}) {
                assertThat(dump(new NoiseSkipEquivalenceTest.Trickle(bytes, split, 0))).as("first read of " + split + " bytes").isEqualTo(whole);
            }
            for (int seed = 0; seed < 20; seed++) {
                assertThat(dump(new NoiseSkipEquivalenceTest.Trickle(bytes, 0, seed))).as("random reads, seed " + seed).isEqualTo(whole);
            }
        }
    }

    private static String dump(InputStream in) throws IOException {
        return NoiseSkipEquivalenceTest.dump(NoiseSkipEquivalenceTest.read(in, "t", true));
    }

    @Test
    void noBreakSpacesAndZeroWidthMarksBecomePlainText() {
        assertThat(clean("\ufeff[  240.1] INFO: task a:1 blocked for more than 120 seconds.",
                "\u00a0\u00a0\u00a0\u00a0schedule+0x29/0x70", "x\u200by\u202fz"))
                .containsExactly("[  240.1] INFO: task a:1 blocked for more than 120 seconds.", "    schedule+0x29/0x70",
                        "xy z");
    }

    @Test
    void aDoubleSpacedPageLosesTheBlankLineAfterEachLineButKeepsItsOwn() {
        assertThat(clean("INFO: task a:1 blocked", "", "Call Trace:", "", " schedule+0x29/0x70", "", "",
                "", "next paragraph")).containsExactly("INFO: task a:1 blocked", "Call Trace:",
                " schedule+0x29/0x70", "", "next paragraph");
    }

    @Test
    void blankLinesOfAnOrdinaryReportStay() {
        assertThat(clean("Hello,", "", "INFO: task a:1 blocked", "Call Trace:", "", " schedule+0x29/0x70"))
                .containsExactly("Hello,", "INFO: task a:1 blocked", "Call Trace:", "", " schedule+0x29/0x70");
    }

    @Test
    void aDoubleSpacedHungTaskReportKeepsItsStack() throws IOException {
        String report = String.join("\n\n", "[  240.1] INFO: task dockerd:379 blocked for more than 120 seconds.",
                "[  240.1]       Not tainted 3.10.0-957.el7.x86_64 #1",
                "[  240.1] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
                "[  240.1] dockerd         D ffff9b5c7fc1ac40     0   379      1 0x00000080",
                "[  240.1] Call Trace:", "[  240.1]  [<ffffffff8a767c49>] schedule+0x29/0x70",
                "[  240.1]  [<ffffffff8a7655a1>] rwsem_down_write_failed+0x1f1/0x380",
                "[  240.1]  [<ffffffff8a3e2e47>] call_rwsem_down_write_failed+0x17/0x30",
                "[  240.1]  [<ffffffff8a76306d>] down_write+0x2d/0x3d", "");
        Task t = read(report).tasks().iterator().next();
        assertThat(t.frames()).hasSize(4);
    }

    @Test
    void aStampedTraceWhoseLineBreaksWereLostBetweenFramesIsSplitAtEachFramesEnd() throws IOException {
        // corpus f-016 (mzph.cn's copy of a cnblogs post: the page dropped the addresses inside [] and joined some of
        // the frame lines): a stamp glued to a frame's offset, or to its module tag, starts a record of its own
        String a = "[8556407.426092] [] schedule+0x29/0x70";
        String b = "[8556407.426137] [] xfs_ail_push_all_sync+0xc1/0x110[xfs]";
        String c = "[8556407.426143] [] ? wake_up_atomic_t+0x30/0x30";
        String d = "[8556407.426165] [] xfs_unmountfs+0x68/0x190[xfs]";
        assertThat(clean(a + b)).containsExactly(a, b);
        assertThat(clean(c + d, "[8556407.426186] [] ? xfs_mru_cache_destroy+0x6b/0x90[xfs]"))
                .containsExactly(c, d, "[8556407.426186] [] ? xfs_mru_cache_destroy+0x6b/0x90[xfs]");
        Task t = read(String.join("\n", "[8556407.426078] Call Trace:", a + b, c + d)).tasks().iterator().next();
        assertThat(t.frames()).extracting(f -> f.function())
                .containsExactly("schedule", "xfs_ail_push_all_sync", "wake_up_atomic_t", "xfs_unmountfs");
        // a stamp after words (the author's note after a frame) is no frame's end: the line stays one record
        String note = "[8556407.426211] [] generic_shutdown_super+0x56/0xe0-------\u5df2\u7ecf\u6267\u884c\u5b8c"
                + "fsnotify_umount_inodes[8556407.426215] [] kill_block_super+0x27/0x70";
        assertThat(clean(note)).containsExactly(note);
    }

    @Test
    void aLogWhoseLineBreaksWereLostIsSplitIntoItsRecords() {
        // a page that joined a syslog paste into one line (corpus a-001's records), and prose before records
        String a = "Mar 25 16:49:08 dws07 kernel: fusermount      D    0 639694   1274 0x00004004";
        String b = "Mar 25 16:49:08 dws07 kernel: Call Trace:";
        String c = "Mar 25 16:49:08 dws07 kernel:  ? __schedule+0x2c7/0x740";
        String d = "Mar 25 16:49:08 dws07 kernel:  schedule+0x4a/0xb0";
        assertThat(clean(a + " " + b + " " + c + " " + d)).containsExactly(a, b, c, d);
        // the prose goes on as a line of its own: the report's words may name what the kernel's output does not
        String prose = "Issue - System kills process if memory cgroup on system gets out of memory and reaches its limit";
        assertThat(clean(prose + " " + a + " " + b)).containsExactly(prose, a, b);
        assertThat(clean("> > " + a)).containsExactly(a);
        // dmesg -T's wall-clock stamps (corpus b-022's records)
        String e = "[Thu Dec  7 00:05:15 2017] Memory cgroup out of memory: Kill process 24572 (java) score 0 or sacrifice child";
        String f = "[Thu Dec  7 00:05:15 2017] Killed process 28438 (java) total-vm:20255636kB, anon-rss:466160kB, file-rss:13684kB";
        assertThat(clean(e + " " + f)).containsExactly(e, f);
        // syslog's bare tag as an article quotes the kernel's lines (suse.com/support/kb/doc/?id=000020830, corpus
        // f-004, its paragraphs joined)
        String kb = "Also, /var/log/messages shows warnings in either of the following formats, after a process has"
                + " stalled for approximately 3 minutes: kernel: nfs: server <servername> not responding, still trying"
                + " kernel: nfs: server <servername> not responding, timed out";
        assertThat(clean(kb)).contains("nfs: server <servername> not responding, still trying",
                "nfs: server <servername> not responding, timed out");
        // `ps aux | grep` rows a blog joined into one line (viviendolared.com, corpus k-011), kept apart again;
        // a dmesg stamp's fraction is no %CPU
        String ps = "juan@test:~$ ps aux|grep test root 20592 0.0 0.0 4220 656 pts/2 S+ 21:36 0:00 ./test root 20593"
                + " 0.0 0.0 4216 640 pts/24 D+ 21:36 0:00 ./test";
        assertThat(clean(ps)).containsExactly("juan@test:~$ ps aux|grep test",
                "root 20592 0.0 0.0 4220 656 pts/2 S+ 21:36 0:00 ./test",
                "root 20593 0.0 0.0 4216 640 pts/24 D+ 21:36 0:00 ./test");
        // `ps r -e` rows (procps' BSD default layout) a blog joined into one line behind its prompt (corpus m-006)
        String psr = "# ps r -e PID TTY STAT TIME COMMAND 442 ? D 0:00 [z_unlinked_drai] 10102 ? D 0:01 [z_unlinked_drai]"
                + " 14311 ? D 0:00 zfs recv -F -- rpool/data/subvol-100-disk-0 18114 pts/9 R+ 0:00 ps r -e";
        assertThat(clean(psr)).containsExactly("# ps r -e PID TTY STAT TIME COMMAND", "442 ? D 0:00 [z_unlinked_drai]",
                "10102 ? D 0:01 [z_unlinked_drai]", "14311 ? D 0:00 zfs recv -F -- rpool/data/subvol-100-disk-0",
                "18114 pts/9 R+ 0:00 ps r -e");
        assertThat(PastedText.psTtyRowAfter(ps, 0, ps.length())).isNegative();
        String usb = "[  12.345678] usb 1-1: new high-speed USB device number 2 using ehci-pci and then root 1 and 2";
        assertThat(PastedText.psAuxRowAfter(usb, 0, usb.length())).isNegative();
        // an opener with its tag starts a record at the tag (corpus b-040's lines, quote marks taken off)
        assertThat(clean("kthread+0x11b/0x140 and then the following release_sock(sk) can hang: "
                + "watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [kworker/1:0:4467]"))
                .contains("watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [kworker/1:0:4467]");
    }

    @Test
    void quotedPrintableBytesAreUtf8WhereTheyReadAsIt() {
        // a mail quoting a Japanese knowledge-base page (its words name the lockup), and one in ISO-8859-1
        assertThat(PastedText.decodeQuotedPrintable("=E3=82=BD=E3=83=95=E3=83=88=E3=83=AD=E3=83=83=E3=82=AF=E3=82=A2"
                + "=E3=83=83=E3=83=97 a=3Db")).isEqualTo("ソフトロックアップ a=b");
        assertThat(PastedText.decodeQuotedPrintable("caf=E9 =3D")).isEqualTo("café =");
        // text with no '=' of its own, soft-broken: its escapes are the sign
        String first = "=E3=82=BD=E3=83=95=E3=83=88=E3=83=AD=E3=83=83=E3=82=AF errors =";
        assertThat(clean(first, "occur")).containsExactly("ソフトロック errors occur");
    }

    @Test
    void aRecordWrappedRightAfterItsPrefixTakesTheFrameOnTheNextLine() {
        // corpus h-020's syslog records (a long host name) wrapped by a mailer at 72 columns
        String p = "Feb 05 02:19:23 aks-sysboxcpu1-20143122-vmss00001L kernel: ";
        assertThat(clean(p, "__schedule+0x243/0x5f0", p + " ?", "wait_woken+0x70/0x70"))
                .containsExactly(p + "__schedule+0x243/0x5f0", p + " ? wait_woken+0x70/0x70");
    }

    @Test
    void aTraceWhoseLineBreaksWereLostIsSplitIntoFrames() {
        assertThat(clean("Call Trace:  ? __schedule+0x2c7/0x740  schedule+0x4a/0xb0  fuse_wait_aborted+0x62/0x90 "
                + "[fuse]")).containsExactly("Call Trace:", "? __schedule+0x2c7/0x740", "schedule+0x4a/0xb0",
                "fuse_wait_aborted+0x62/0x90 [fuse]");
        assertThat(clean("[<ffffffff8106a0d3>] ? foo+0x1/0x2 [<ffffffff8106a0d4>] bar+0x3/0x4"))
                .containsExactly("[<ffffffff8106a0d3>] ? foo+0x1/0x2", "[<ffffffff8106a0d4>] bar+0x3/0x4");
        assertThat(clean("[c000000fe3f8f9d0] [c0000000001234a0] foo+0x1/0x2 [c000000fe3f8fa00] [c0000000001234b0] "
                + "bar+0x3/0x4")).containsExactly("[c000000fe3f8f9d0] [c0000000001234a0] foo+0x1/0x2",
                "[c000000fe3f8fa00] [c0000000001234b0] bar+0x3/0x4");
        // one frame on a line, or frames in an arm backtrace's parentheses, stay whole
        assertThat(clean("RIP: 0010:foo+0x1/0x2 Code: 48 89")).containsExactly("RIP: 0010:foo+0x1/0x2 Code: 48 89");
        assertThat(clean("[<c010f0c4>] (__schedule+0x1c4/0x5f0) from [<c0123>] (schedule+0x44/0xa4)")).hasSize(1);
    }

    @Test
    void aWrappedLineWhosePiecesAreListItemsIsJoinedWithoutTheMarks() throws IOException {
        // m-008: pastebin shows each pasted line as a "- " item, the pieces of console-wrapped records too
        Evidence e = read(String.join("\n",
                "- Feb 7 15:45:54 torytv-pc kernel: [ 721.096840] INFO: task",
                "- jbd2/sdb1-8:1812 blocked for more than 120 seconds.",
                "- Feb 7 15:45:54 torytv-pc kernel: [ 721.096847] jbd2/sdb1-8 D",
                "- ffffffff81805120 0 1812 2 0x00000000",
                "- Feb 7 15:45:54 torytv-pc kernel: [ 721.096865] Call Trace:",
                "- Feb 7 15:45:54 torytv-pc kernel: [ 721.096873] [<ffffffff8110a180>]",
                "- ? __lock_page+0x70/0x70",
                "- Feb 7 15:45:54 torytv-pc kernel: [ 721.096880] [<ffffffff815effcf>]",
                "- io_schedule+0x8f/0xd0",
                "- Feb 7 15:45:54 torytv-pc kernel: [ 721.096891] [<ffffffff8110a378>]",
                "- wait_on_page_bit+0x78/0x80", ""));
        assertThat(e.taskOrNull(1812).frames()).extracting(f -> f.function())
                .contains("io_schedule", "wait_on_page_bit");
    }
    @Test
    void aHeldLineGoesOnBeforeARecordWithAPrefixOfItsOwnSoTheFastPathResumes() {
        List<String> out = new ArrayList<>();
        PastedText p = new PastedText((l, n) -> out.add(l), l -> false);
        String held = "[    5.123456] usb 1-1: new high-speed USB device number 2 using xhci_hcd";
        p.accept(held, 1);
        assertThat(out).isEmpty(); // long enough to be a wrapped record's head: held for its rest
        assertThat(p.idle()).isFalse();
        // a line with no prefix may be its rest: it stays held
        String rest = "more words";
        assertThat(p.releaseHeldBefore(rest, 0, rest.length())).isFalse();
        assertThat(out).isEmpty();
        // a record with a dmesg stamp of its own is not: the held line goes on, and the reader may skip this one
        String next = "[    5.200000] usb 1-1: New USB device found, idVendor=0627, idProduct=0001";
        assertThat(p.releaseHeldBefore(next, 0, next.length())).isTrue();
        assertThat(out).containsExactly(held);
        assertThat(p.idle()).isTrue();
        assertThat(p.passesUnchanged(next, 0, next.length())).isTrue();
    }

    @Test
    void procFileCommandsJoinedIntoOneLineAreKeptApart() throws IOException {
        // moby issue 31007 (corpus o-016) with its line breaks lost: each command keeps its own output
        String joined = "These processes were all stuck on the same syscall \"zap_pid_ns_processes\": "
                + "# cat /proc/123558/wchan ; echo zap_pid_ns_processes # cat /proc/126411/wchan ; echo "
                + "zap_pid_ns_processes # cat /proc/61025/wchan ; echo zap_pid_ns_processes";
        assertThat(clean(joined)).contains("# cat /proc/123558/wchan ; echo zap_pid_ns_processes",
                "# cat /proc/126411/wchan ; echo zap_pid_ns_processes");
        Evidence e = read(joined + "\n");
        assertThat(e.tasks()).extracting(t -> t.pid()).containsExactlyInAnyOrder(123558, 126411, 61025);
        assertThat(e.taskOrNull(126411).frames()).extracting(f -> f.function()).containsExactly("zap_pid_ns_processes");
        // a /proc file of no task ("cat /proc/cpuinfo") starts no record
        String cpuinfo = "# cat /proc/cpuinfo ; cat /proc/meminfo ; cat /proc/sys/kernel/hung_task_timeout_secs";
        assertThat(PastedText.procCommandAfter(cpuinfo, 0, cpuinfo.length())).isNegative();
        assertThat(PastedText.procCommandAfter(joined, 0, joined.length())).isEqualTo(joined.indexOf("# cat"));
    }

    @Test
    void theUsersNextCommandAfterPastedOutputIsNoRestOfItsLastLine() throws IOException {
        // corpus ze-009 (github.com/delphix/delphix-platform): the dmesg output's last line, then the next command
        String[] pasted = {
                "[ 2900.956096] INFO: task journal-offline:21326 blocked for more than 120 seconds.",
                "[ 3021.788088] INFO: task journal-offline:21326 blocked for more than 120 seconds.",
                "[ 5921.756115] INFO: task journal-offline:24930 blocked for more than 120 seconds.",
                "[ 6405.084119] INFO: task journal-offline:25164 blocked for more than 120 seconds.",
                "[ 6525.916114] INFO: task journal-offline:25164 blocked for more than 120 seconds.",
                "[ 6646.748119] INFO: task journal-offline:25164 blocked for more than 120 seconds.",
                "$ ls -l /var/crash",
                "total 429"};
        Evidence e = read("```\n$ dmesg | grep \"blocked for more than 120 seconds.\"\n" + String.join("\n", pasted)
                + "\n-rw-r--r-- 1 root root      358 Jul 11 04:44 kexec_cmd\n```\n");
        assertThat(e.allEvents()).hasSize(6).allSatisfy(ev -> assertThat(ev.message()).endsWith("120 seconds."));
        assertThat(PastedText.startsWithShellCommand("# cat /proc/1234/stack", 0)).isTrue();
        assertThat(PastedText.startsWithShellCommand("root@node1:~# dmesg -T", 0)).isTrue();
        assertThat(PastedText.startsWithShellCommand("[root@node1 ~]$ ps aux", 0)).isTrue();
        // the rest of a wrapped line: no prompt
        assertThat(PastedText.startsWithShellCommand("#1 SMP PREEMPT_DYNAMIC", 0)).isFalse();
        assertThat(PastedText.startsWithShellCommand("seconds.", 0)).isFalse();
        assertThat(PastedText.startsWithShellCommand("user@example.com wrote:", 0)).isFalse();
        assertThat(PastedText.startsWithShellCommand("$ ", 0)).isFalse();
    }

    @Test
    void aFrameSymbolBrokenAcrossABlankLineIsJoined() {
        // corpus zg-024 (linux-rt-users, i.MX6 5.4-rt13): every frame line wrapped, its rest put after a blank line
        assertThat(clean("[  180.283550] 001: [<c0113880>] (unwind_backtrace) from [<c010d498>]",
                "(show_stac",
                "",
                "                         k+0x10/0x14)",
                "[  180.283591] 001: [<c010d498>] (show_stack) from [<c0c95ee4>]",
                "(dump_stack+0xd4",
                "",
                "                               /0x108)"))
                .containsExactly("[  180.283550] 001: [<c0113880>] (unwind_backtrace) from [<c010d498>] (show_stack+0x10/0x14)",
                        "[  180.283591] 001: [<c010d498>] (show_stack) from [<c0c95ee4>] (dump_stack+0xd4/0x108)");
        assertThat(PastedText.completesCutSymbol("[ 1.0] 001: WARNING: CPU: 1 PID: 133 at drivers/net/phy/phy.c:716 phy_er",
                "       ror+0x24/0x64")).isTrue();
        assertThat(PastedText.completesCutSymbol("x (__warn+0xc0/0x1", "0c)")).isTrue();
        // a piece that is a symbol already, a rest of two words or one that makes no symbol: the blank line stays
        assertThat(PastedText.completesCutSymbol("x foo+0x1/0x2", "0")).isFalse();
        assertThat(PastedText.completesCutSymbol("x (show_stack+0x10/0x14)", "k+0x10/0x14)")).isFalse();
        assertThat(PastedText.completesCutSymbol("x (show_stac", "k+0x10/0x14) more")).isFalse();
        assertThat(PastedText.completesCutSymbol("x (show_stac", "k+0x10/0x14")).isFalse();
        assertThat(PastedText.completesCutSymbol("I get this stack", "trace")).isFalse();
        assertThat(clean("[  180.283550] 001: [<c0113880>] (unwind_backtrace) from [<c010d498>]",
                "(show_stack+0x10/0x14)", "", "Thanks"))
                .containsExactly("[  180.283550] 001: [<c0113880>] (unwind_backtrace) from [<c010d498>] (show_stack+0x10/0x14)",
                        "", "Thanks");
    }

    @Test
    void aProcStackBeforeTheFirstStampedRecordOfAJoinedLineIsSplit() throws IOException {
        // lore.kernel.org/r/1a6b7a20-ba30-0b57-3927-2b61ad64be28@redhat.com (corpus zl-020) joined into one line: the
        // /proc/PID/stack frames (no stamp) stand before the dmesg records (stamped), and are records too
        Evidence e = read("> It's just a touch command, and it's hung doing this: > > [jlayton@client1 xfstests-dev]$"
                + " sudo !! > sudo cat /proc/100726/stack > [<0>] ceph_mdsc_do_request+0x169/0x270 [ceph] > [<0>]"
                + " ceph_atomic_open+0x3eb/0x10f0 [ceph] > [<0>] lookup_open.isra.0+0x59c/0x8f0 > [<0>]"
                + " path_openat+0x4d2/0x10f0 > [<0>] do_filp_open+0x131/0x230 > > This was in dmesg: > >"
                + " [ 5338.083673] run fstests generic/444 at 2021-11-18 12:07:44 > [ 5405.607913] ceph: mds1 caps stale"
                + " > [ 5642.657735] ceph: mds1 hung");
        assertThat(e.tasks()).hasSize(1);
        Task t = e.tasks().iterator().next();
        assertThat(t.pid()).isEqualTo(100726);
        assertThat(t.frames()).extracting(f -> f.function()).startsWith("ceph_mdsc_do_request", "ceph_atomic_open");
    }

    @Test
    void theWordsBeforeTheFirstStampedRecordStayOneLineWhenTheyHoldNoRecord() {
        List<String> lines = clean("This was in dmesg when the hang started, and it repeats every few minutes after that:"
                + " [ 5338.083673] run fstests generic/444 at 2021-11-18 12:07:44 [ 5405.607913] ceph: mds1 caps stale");
        assertThat(lines.get(0)).isEqualTo("This was in dmesg when the hang started, and it repeats every few minutes"
                + " after that:");
    }

    @Test
    void aStarvedGracePeriodKthreadLineInsideAJoinedLineStartsARecord() throws IOException {
        // lore.kernel.org/r/20220302153433.719caef31bd9e99319c5e6a2@linux-foundation.org (corpus zl-016) joined into
        // one line: the stall's kthread line with no "detected stalls" header above it
        Evidence e = read("> free a large list of pages maybe cause rcu_sched starved on > non-preemptible kernels > >"
                + " rcu: rcu_sched kthread starved for 5359 jiffies! g454793 f0x0 > RCU_GP_WAIT_FQS(5) ->state=0x0"
                + " ->cpu=19 > [...] > Call Trace: >   free_unref_page_list+0x19c/0x270 >   release_pages+0x3cc/0x498");
        assertThat(e.events(KernelEventKind.RCU_STALL)).hasSize(1);
        // the words "rcu_sched starved" in a sentence start nothing
        assertThat(read("free a large list of pages maybe cause rcu_sched starved on non-preemptible kernels, and"
                + " the rcu_sched kthread starved for a while is what we saw in the log some time later on, "
                + "not a stall of its own").events(KernelEventKind.RCU_STALL)).isEmpty();
    }
}
