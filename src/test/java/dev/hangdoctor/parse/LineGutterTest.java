package dev.hangdoctor.parse;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A listing's line numbers come off kernel lines; tables and prefixes whose numbers count up stay whole. */
class LineGutterTest {

    private static List<String> strip(String... lines) {
        LineGutter gutter = new LineGutter();
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(gutter.strip(line));
        }
        return out;
    }

    // lines of a real hung-task report (k-005's xfs umount, a 3.10 kernel)
    private static final String[] REPORT = {
        "[8556407.425653] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
        "[8556407.426078] Call Trace:",
        "[8556407.426092] [<ffffffff8163e879>] schedule+0x29/0x70",
        "[8556407.426137] [<ffffffffa07c6cd1>] xfs_ail_push_all_sync+0xc1/0x110 [xfs]",
    };

    private static String[] numbered(String format, int first, String... lines) {
        String[] out = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            out[i] = String.format(format, first + i) + lines[i];
        }
        return out;
    }

    @Test
    void catDashNAndNlNumbersComeOff() {
        assertThat(strip(numbered("%6d\t", 1, REPORT))).containsExactly(REPORT);
    }

    @Test
    void aPagesNumberedListComesOff() {
        assertThat(strip(numbered("%d. ", 1, REPORT))).containsExactly(REPORT);
    }

    @Test
    void lessDashNKeepsTheLinesOwnIndentation() {
        String[] lines = {"Call Trace:", " ? __schedule+0x2c7/0x740", " schedule+0x4a/0xb0"};
        assertThat(strip(numbered("%7d ", 1, lines))).containsExactly(lines);
    }

    @Test
    void aListingExcerptStartsWhereKernelOutputDoes() {
        // an excerpt of a numbered code block from line 37 on: the first line already shows it is a listing's
        assertThat(strip(numbered("%d ", 37, REPORT))).containsExactly(REPORT);
    }

    @Test
    void aFirstLineOfProseIsConfirmedByTheNextNumber() {
        assertThat(strip("     1\tcrash> bt", "     2\t", "     3\tPID: 27250  TASK: ffff910d0c4c3f40  CPU: 4   COMMAND: \"ZMQbg/1\""))
                .containsExactly("     1\tcrash> bt", "", "PID: 27250  TASK: ffff910d0c4c3f40  CPU: 4   COMMAND: \"ZMQbg/1\"");
    }

    @Test
    void psAxRowsKeepTheirPids() {
        // procps-ng `ps ax` on this kind of host: the first PIDs count up by one
        String[] rows = {
            "    1 ?        Ss     0:03 /sbin/init",
            "    2 ?        S      0:00 [kthreadd]",
            "    3 ?        I<     0:00 [rcu_gp]",
        };
        assertThat(strip(rows)).containsExactly(rows);
        String[] states = {"    1 Ss   ep_poll  systemd", "    2 S    kthreadd kthreadd", "    3 I<   rescuer_ rcu_gp"};
        assertThat(strip(states)).containsExactly(states);
    }

    @Test
    void anRcuStallsCpuLinesKeepTheirNumbers() {
        String[] cpus = {"\t0: (1 GPs behind) idle=d09/1/0 softirq=1302/3861 fqs=20997",
            "\t1: (1 GPs behind) idle=157/2/0 softirq=1341/3334 fqs=20998"};
        assertThat(strip(cpus)).containsExactly(cpus);
    }

    @Test
    void aYearBeforeASyslogDateIsTheLogsOwn() {
        String[] log = {
            "2024 Aug 28 00:39:46.066192 r-anaconda-15 WARNING kernel: [  572.183244] \t(t=5297 jiffies g=165593 q=95908 ncpus=4)",
            "2024 Aug 28 00:39:46.066194 r-anaconda-15 WARNING kernel: [  572.183248] Workqueue: netns cleanup_net",
        };
        assertThat(strip(log)).containsExactly(log);
        String[] indented = {"    " + log[0], "    " + log[1]};
        assertThat(strip(indented)).containsExactly(indented);
    }

    @Test
    void aRunEndsWhereTheNumbersStop() {
        assertThat(strip("1. [8556407.426078] Call Trace:", "2. [8556407.426092] [<ffffffff8163e879>] schedule+0x29/0x70",
                "the page's own words", "4. not the listing's"))
                .containsExactly("[8556407.426078] Call Trace:", "[8556407.426092] [<ffffffff8163e879>] schedule+0x29/0x70",
                        "the page's own words", "4. not the listing's");
    }

    @Test
    void aGutterCopiedApartFromItsLinesIsLeftAlone() {
        // a code block's gutter pasted above its text (k-012): numbers alone, then the lines without them
        assertThat(strip("1", "2", "3", "crash> foreach bt > bt.all")).containsExactly("1", "2", "3", "crash> foreach bt > bt.all");
    }

    @Test
    void aPasteSitesListItemsComeOffEveryLineOfTheRun() {
        // m-008 (pastebin): every line of the paste is a "- " item, also the rest of a line the console wrapped
        assertThat(strip("- Feb 7 15:45:54 torytv-pc kernel: [ 721.096840] INFO: task",
                "- jbd2/sdb1-8:1812 blocked for more than 120 seconds.",
                "- Feb 7 15:45:54 torytv-pc kernel: [ 721.096873] [<ffffffff8110a180>]", "- ? __lock_page+0x70/0x70"))
                .containsExactly("Feb 7 15:45:54 torytv-pc kernel: [ 721.096840] INFO: task",
                        "jbd2/sdb1-8:1812 blocked for more than 120 seconds.",
                        "Feb 7 15:45:54 torytv-pc kernel: [ 721.096873] [<ffffffff8110a180>]", "? __lock_page+0x70/0x70");
    }

    @Test
    void aListOfProseKeepsItsMarksAndAnItemlessLineEndsTheRun() {
        assertThat(strip("- root@qemu:/home/qemu# xfs_info /dev/loop0", "- = reflink=0"))
                .containsExactly("- root@qemu:/home/qemu# xfs_info /dev/loop0", "- = reflink=0");
        assertThat(strip("- Feb 20 17:50:21 manuelspc kernel: INFO: task khugepaged:34 blocked for more than 120 seconds.",
                "the page's own words", "- not the paste's"))
                .containsExactly("Feb 20 17:50:21 manuelspc kernel: INFO: task khugepaged:34 blocked for more than 120 seconds.",
                        "the page's own words", "- not the paste's");
    }
}
