package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.hangdoctor.parse.TraceFixtures.functions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kernel lines carried in another program's log record are taken out before the parsers. The carrier records are real
 * (src/test/resources/pasted/log-carriers.txt, sources in the README there): containerd's journal with the Kata guest
 * console (corpus t-024), the shim's own lines of Kata issues 2806 and 5724 (the agent's JSON inside the console), a
 * kernel record of {@code journalctl -o json-pretty} from an LKML reply, Docker's json-file record from its docs. The
 * guest report carried in the reading tests is real too (an Ubuntu 4.15 hung task,
 * github.com/dotmesh-io/dotmesh/issues/540), wrapped the way each carrier writes a line.
 */
class LogCarriersTest {

    private static final List<String> RECORDS = records();
    private static final String KATA = RECORDS.get(0);
    private static final String KATA_BARE = RECORDS.get(1);
    private static final String AGENT = RECORDS.get(2);
    private static final List<String> PRETTY = RECORDS.subList(3, 18);
    private static final String DOCKER = RECORDS.get(18);
    /** Kata's logfmt prefix as the shim writes it, before the field that carries one console line. */
    private static final String KATA_HEAD = KATA_BARE.substring(0, KATA_BARE.indexOf("vmconsole=") + 10);

    private static List<String> records() {
        try {
            return Files.readAllLines(Path.of("src/test/resources/pasted/log-carriers.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The guest's hung-task report (dotmesh-io/dotmesh#540), as its console printed it. */
    private static final String[] GUEST = {
        "[163732.660294] INFO: task systemd:1 blocked for more than 120 seconds.",
        "[163732.736384]       Tainted: P           O     4.15.0-29-generic #31-Ubuntu",
        "[163732.818806] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
        "[163732.913640] systemd         D    0     1      0 0x00000000",
        "[163732.913643] Call Trace:",
        "[163732.913648]  __schedule+0x291/0x8a0",
        "[163732.913650]  schedule+0x2c/0x80",
        "[163732.913651]  schedule_preempt_disabled+0xe/0x10",
        "[163732.913652]  __mutex_lock.isra.2+0x18c/0x4d0",
        "[163732.913654]  __mutex_lock_slowpath+0x13/0x20",
        "[163732.913654]  ? __mutex_lock_slowpath+0x13/0x20",
        "[163732.913655]  mutex_lock+0x2f/0x40",
        "[163732.913658]  proc_cgroup_show+0x4c/0x2a0",
        "[163732.913660]  proc_single_show+0x56/0x80",
        "[163732.913661]  seq_read+0xe5/0x430",
        "[163732.913664]  __vfs_read+0x1b/0x40",
        "[163732.913666]  vfs_read+0x8e/0x130",
        "[163732.913667]  SyS_read+0x55/0xc0",
        "[163732.913668]  do_syscall_64+0x73/0x130",
        "[163732.913670]  entry_SYSCALL_64_after_hwframe+0x3d/0xa2",
    };

    private static List<String> unwrapped(String line) {
        List<String> out = new ArrayList<>();
        boolean carried = LogCarriers.unwrap(line, 1, (l, n) -> out.add(l));
        assertThat(carried).isEqualTo(!out.isEmpty());
        return out;
    }

    @Test
    void theKataGuestConsoleComesOutOfContainerdsRecord() {
        assertThat(unwrapped(KATA)).containsExactly("[  588.820661]  hrtimer_interrupt+0x11d/0x260");
        assertThat(unwrapped(KATA_BARE)).containsExactly("[    0.365754] intel_pstate: CPU model not supported");
    }

    @Test
    void aRecordCarriedInsideTheConsoleIsUnwrappedInTurn() {
        List<String> once = unwrapped(AGENT);
        assertThat(once).singleElement().asString().startsWith("{\"msg\":\"child exited unexpectedly\",\"level\":\"INFO\"");
        assertThat(unwrapped(once.get(0))).containsExactly("child exited unexpectedly");
    }

    @Test
    void jsonRecordsGiveTheirMessage() {
        // json-pretty: the MESSAGE field's line alone; the record's other fields are no carrier
        List<String> out = new ArrayList<>();
        for (String l : PRETTY) {
            out.addAll(unwrapped(l));
        }
        assertThat(out).containsExactly("blk_update_request: critical medium error, dev nvme0n1, sector 10000 op "
                + "0x0:(READ) flags 0x80700 phys_seg 3 prio class 0");
        // one record a line (journalctl -o json): the same field in the object
        assertThat(unwrapped("{" + String.join("", PRETTY.subList(1, 12)).replace("        ", "") + "}"))
                .containsExactly(out.get(0));
        // the record's own line break is no line
        assertThat(unwrapped(DOCKER)).containsExactly("Log line is here");
    }

    @Test
    void escapesAndTerminalColoursComeOff() {
        // JSON's \u001b before a colour sequence, Go's \x1b, an escaped quote and backslash, a carriage return
        assertThat(unwrapped("{\"log\":\"\\u001b[31mERROR\\u001b[39m rcu: \\\"x\\\\y\\\"\\r\\n\"}"))
                .containsExactly("ERROR rcu: \"x\\y\"");
        assertThat(unwrapped(KATA_HEAD + "\"\\x1b[0;32m[  OK  ]\\x1b[0m Started\\tjournal\""))
                .containsExactly("[  OK  ] Started\tjournal");
    }

    @Test
    void aValueWithLineBreaksGivesALineEach() {
        assertThat(unwrapped("{\"log\":\"Call Trace:\\n __schedule+0x291/0x8a0\\n\\tschedule+0x2c/0x80\\n\"}"))
                .containsExactly("Call Trace:", " __schedule+0x291/0x8a0", "\tschedule+0x2c/0x80");
        assertThat(unwrapped("{\"log\":\"\\n\"}")).containsExactly("");
        // a paste cut before the closing quote keeps what it has
        assertThat(unwrapped(KATA_HEAD + "\"[  588.820675]  __sysvec_apic_timer_interrupt+0x4f"))
                .containsExactly("[  588.820675]  __sysvec_apic_timer_interrupt+0x4f");
    }

    @Test
    void quotedTextThatIsNoCarrierStaysAsItIs() {
        String[] lines = {
            "[163732.818806] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
            "audit: type=1400 audit(1665224795.159:77): apparmor=\"DENIED\" operation=\"open\" profile=\"firefox\" "
                    + "name=\"/x\" pid=1 comm=\"a\"",
            // a key whose name only ends like a carrier's, a JSON value that reads like a key, a logfmt error field
            "level=info kmsg=\"[    1.0] x\" source=agent",
            "{\"type\":\"log\",\"level\":\"info\"}",
            "time=\"2021-07-19T07:34:02.011798587-07:00\" level=error error=\"read unix @->/run/vc/vm/test_kata/console."
                    + "sock: use of closed network connection\"",
            "[ 3318.829119] kernel: INFO: task kworker/u16:0:17963 blocked for more than 122 seconds.",
            // a task name any local user may set (prctl PR_SET_NAME, 15 bytes) inside the kernel's own lines: they
            // carry nothing, or a hung task could hide behind its name or make another's words
            "INFO: task {\"msg\":\"BUG: s:4242 blocked for more than 120 seconds.",
            "3,1001,5000000,-;INFO: task {\"log\":\"x\"}:4242 blocked for more than 120 seconds.",
            "[ 99.100000] Killed process 4242 ({\"msg\":\"a\"}) total-vm:1kB, anon-rss:0kB, file-rss:0kB",
        };
        for (String l : lines) {
            assertThat(unwrapped(l)).as(l).isEmpty();
        }
    }

    @Test
    void aLineHoldingMoreThanOneRecordIsLeftToTheSplitting() {
        // a page that lost its line breaks (corpus a-118's dockerd lines, joined): the caller splits it into records
        String joined = "Apr 14 20:38:09 core-01 docker[760]: time=\"2015-04-14T20:38:09Z\" level=\"info\" msg=\"+job "
                + "log(exec_start: bash , 2d8c91800890f5c11c2bc794e8d455449aeff8ef80fcb0efabd43ec35d720719, 192.168.254.96:5000"
                + "/basehhvm:latest)\" Apr 14 20:38:09 core-01 docker[760]: time=\"2015-04-14T20:38:09Z\" level=\"info\" "
                + "msg=\"-job log(exec_start: bash , 2d8c91800890f5c11c2bc794e8d455449aeff8ef80fcb0efabd43ec35d720719, 192.168."
                + "254.96:5000/basehhvm:latest) = OK (0)\"";
        assertThat(unwrapped(joined)).isEmpty();
        assertThat(unwrapped("Some prose before " + KATA)).isEmpty();
        assertThat(unwrapped(DOCKER + " " + DOCKER)).isEmpty();
        // one record alone is read, also under a mail's quote marks
        assertThat(unwrapped(joined.substring(0, joined.indexOf(" Apr 14", 10))))
                .containsExactly("+job log(exec_start: bash , 2d8c91800890f5c11c2bc794e8d455449aeff8ef80fcb0efabd43ec35d7"
                        + "20719, 192.168.254.96:5000/basehhvm:latest)");
        assertThat(unwrapped("> " + KATA)).containsExactly("[  588.820661]  hrtimer_interrupt+0x11d/0x260");
    }

    @Test
    void theScreenLetsEveryCarrierThrough() {
        LineScreen.Builder b = LineScreen.builder();
        LogCarriers.describe(b);
        KernelLogPrefix.Cut cut = new KernelLogPrefix.Cut();
        for (String l : List.of(KATA, KATA_BARE, AGENT, PRETTY.get(7), DOCKER)) {
            KernelLogPrefix.locate(l, 0, l.length(), cut);
            assertThat(b.build().maybe(l, cut.message, l.length())).as(l).isTrue();
        }
        assertThat(b.build().maybe("audit: type=1400 apparmor=\"DENIED\" operation=\"open\"", 0, 48)).isFalse();
    }

    /** Go's %q, as logrus quotes a logfmt value. */
    private static String goQuoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + "\"";
    }

    /** A JSON string. */
    private static String jsonQuoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + "\"";
    }

    private static Evidence readBothWays(List<String> lines) throws IOException {
        byte[] b = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Object fast = NoiseSkipEquivalenceTest.read(new ByteArrayInputStream(b), "t", true);
        Object slow = NoiseSkipEquivalenceTest.read(new ByteArrayInputStream(b), "t", false);
        assertThat(NoiseSkipEquivalenceTest.dump(fast)).isEqualTo(NoiseSkipEquivalenceTest.dump(slow));
        return EvidenceReader.read(new ByteArrayInputStream(b), "t");
    }

    private static List<String> carried(Function<String, String> wrap) {
        List<String> lines = new ArrayList<>();
        lines.add("Apr 17 08:58:03 blade-021 containerd[33839]: time=\"2021-04-17T08:58:03.738125480Z\" level=info "
                + "msg=\"VM started\" sandbox=foo source=virtcontainers subsystem=sandbox");
        for (String g : GUEST) {
            lines.add(wrap.apply(g));
        }
        return lines;
    }

    private static void assertHungSystemd(Evidence e) {
        assertThat(e.events(KernelEventKind.HUNG_TASK)).singleElement()
                .satisfies(ev -> assertThat(ev.pid()).isEqualTo(1));
        Task t = e.task(1);
        assertThat(t.comm()).isEqualTo("systemd");
        assertThat(functions(t)).startsWith("__schedule", "schedule", "schedule_preempt_disabled")
                .contains("mutex_lock", "proc_cgroup_show").endsWith("entry_SYSCALL_64_after_hwframe");
    }

    @Test
    void aGuestReportInKataConsoleRecordsIsRead() throws IOException {
        assertHungSystemd(readBothWays(carried(g -> "Apr 17 08:58:03 blade-021 containerd[33839]: " + KATA_HEAD
                + goQuoted(g))));
    }

    @Test
    void aReportInJournalJsonRecordsIsRead() throws IOException {
        // journalctl -o json: the kernel's line without its stamp, one record a line
        assertHungSystemd(readBothWays(carried(g -> "{\"__REALTIME_TIMESTAMP\":\"1599541804928338\",\"_TRANSPORT\":\"kernel\""
                + ",\"SYSLOG_IDENTIFIER\":\"kernel\",\"PRIORITY\":\"3\",\"MESSAGE\":" + jsonQuoted(g.substring(16)) + "}")));
    }

    @Test
    void aReportInDockerJsonFileRecordsIsRead() throws IOException {
        assertHungSystemd(readBothWays(carried(g -> "{\"log\":" + jsonQuoted(g).replaceFirst("\"$", "\\\\n\"")
                + ",\"stream\":\"stdout\",\"time\":\"2018-05-07T00:51:17.276927337Z\"}")));
    }
}
