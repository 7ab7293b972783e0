package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * procps tables whose line breaks a page, a chat or a tracker lost: the header and every row on one line, read as
 * the table they were. The tables are the corpus's own, joined as such a paste joins them (corpus m-006 is one).
 */
class CollapsedPsRowsTest {

    private static Evidence read(String text) throws Exception {
        return EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t");
    }

    private static String oneLine(String text) {
        return text.replace("\n", " ");
    }

    @Test
    void aThreadTableWithItsCommandBeforeTheWchanIsReadRowByRow() throws Exception {
        // corpus c-026 (github.com/cloudfoundry/garden-runc-release/issues/141), joined into one line
        Evidence e = read(oneLine("""
                diego-cell/7b28a4f1-0233-4ebf-acd6-ffe315d63c51:~# ps -eLo pid,tid,ppid,user:11,comm,state,wchan | grep "D "
                    PID     TID    PPID USER        COMMAND         S WCHAN
                    141     141       2 root        kswapd0         D xfs_reclaim_inodes_ag
                    674     674       1 root        cron            D xfs_reclaim_inodes_ag
                   8498    8498       2 root        loop0           D xfs_reclaim_inodes_ag
                   8521    8521       2 root        xfsaild/loop0   D io_schedule
                 852201  852201    1497 root        monit           D call_rwsem_down_read_failed
                """));
        assertThat(e.formats()).contains("ps");
        Task kswapd = e.taskOrNull(141);
        assertThat(kswapd.comm()).isEqualTo("kswapd0");
        assertThat(kswapd.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(kswapd.wchan()).isEqualTo("xfs_reclaim_inodes_ag");
        assertThat(e.taskOrNull(8521).wchan()).isEqualTo("io_schedule");
        assertThat(e.taskOrNull(852201).wchan()).isEqualTo("call_rwsem_down_read_failed");
    }

    @Test
    void aStartDateWhoseYearLooksLikeAPidEndsItsRowNotTheNext() throws Exception {
        // corpus zb-007 (github.com/cloudfoundry/garden-runc-release/issues/121): lstart's five words after the WCHAN
        Evidence e = read(oneLine("""
                $ ps -eLo pid,tid,ppid,user:11,comm,state,wchan:20,lstart | grep 'D '
                    PID     TID    PPID USER        COMMAND         S WCHAN                                 STARTED
                 823502  823502  823455 2000        runc:[2:INIT]   D flush_old_exec       Wed Feb 13 03:15:50 2019
                 823502  823503  823455 4294967294  runc:[2:INIT]   D refrigerator         Wed Feb 13 03:15:50 2019
                 823502  823504  823455 4294967294  runc:[2:INIT]   D refrigerator         Wed Feb 13 03:15:50 2019
                """));
        assertThat(e.taskOrNull(823502).wchan()).isEqualTo("flush_old_exec");
        Task frozen = e.taskOrNull(823504);
        assertThat(frozen.tgid()).isEqualTo(823502);
        assertThat(frozen.comm()).isEqualTo("runc:[2:INIT]");
        assertThat(frozen.wchan()).isEqualTo("refrigerator");
        assertThat(e.taskOrNull(2019)).isNull();
    }

    @Test
    void theTableAPageCollapsedAfterItsCommandIsReadAsItWas() throws Exception {
        // corpus m-006 (dkia.at/en/node/215), as published
        Evidence e = read("# ps r -e PID TTY STAT TIME COMMAND 442 ? D 0:00 [z_unlinked_drai] 10102 ? D 0:01"
                + " [z_unlinked_drai] 14311 ? D 0:00 zfs recv -F -- rpool/data/subvol-100-disk-0 18114 pts/9 R+ 0:00 ps"
                + " r -e 19302 ? D 0:00 zfs recv -F -- rpool/data/subvol-101-disk-0\n");
        assertThat(e.taskOrNull(10102).comm()).isEqualTo("z_unlinked_drai");
        assertThat(e.taskOrNull(14311).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(e.taskOrNull(14311).comm()).isEqualTo("zfs");
        assertThat(e.taskOrNull(18114).state()).isEqualTo(TaskState.RUNNING);
        assertThat(e.taskOrNull(19302).comm()).isEqualTo("zfs");
    }

    @Test
    void wordsThatAreNoPsHeaderOpenNoTable() {
        // crash's `ps` header (corpus r-022, f-009; HostileCommTest) has no state column procps prints: no procps header
        String crash = "   PID    PPID  CPU       TASK        ST  %MEM     VSZ    RSS  COMM";
        assertThat(CollapsedPsRows.headerAt(crash.strip(), 0, crash.strip().length())).isNull();
        // a header of names, then values: the values are not taken for names
        String ps = "PID TTY STAT TIME COMMAND 442 ? D 0:00 [z_unlinked_drai]";
        assertThat(CollapsedPsRows.headerAt(ps, 0, ps.length())).containsExactly("PID", "TTY", "STAT", "TIME",
                "COMMAND");
        // prose naming columns is no header: fewer than three names in a row
        String prose = "the PID column and the S column of the table";
        assertThat(CollapsedPsRows.headerAfter(prose, 0, prose.length())).isEqualTo(-1);
    }
}
