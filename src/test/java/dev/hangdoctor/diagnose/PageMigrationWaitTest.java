package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.diagnose.kb.Rule;
import dev.hangdoctor.diagnose.kb.RuleMatcher;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page fault on a migration entry sleeps in io_schedule until the task migrating the page (compaction, NUMA
 * balancing) unlocks it: the same scheduler frame as a block I/O wait, but no device is waited for.
 */
class PageMigrationWaitTest {

    private static final Rule BLOCK_IO = KnowledgeBase.load(List.of()).rule("block-io-stall").orElseThrow();

    /** github.com/rclone/rclone/issues/7049 (4.18.0-477.10.1.el8_8, the corpus's o-020; words typed into it removed). */
    private static final String MIGRATION = """
            [Wed May 31 00:03:20 2023] INFO: task rclone:61704 blocked for more than 120 seconds.
            [Wed May 31 00:03:20 2023]       Not tainted 4.18.0-477.10.1.el8_8.x86_64 #1
            [Wed May 31 00:03:20 2023] task:rclone          state:D stack:    0 pid:61704 ppid: 61703 flags:0x00000084
            [Wed May 31 00:03:20 2023] Call Trace:
            [Wed May 31 00:03:20 2023]  __schedule+0x2d1/0x870
            [Wed May 31 00:03:20 2023]  schedule+0x55/0xf0
            [Wed May 31 00:03:20 2023]  io_schedule+0x12/0x40
            [Wed May 31 00:03:20 2023]  migration_entry_wait_on_locked+0x1ea/0x290
            [Wed May 31 00:03:20 2023]  ? filemap_map_pages+0x271/0x410
            [Wed May 31 00:03:20 2023]  ? filemap_fdatawait_keep_errors+0x50/0x50
            [Wed May 31 00:03:20 2023]  do_swap_page+0x5b0/0x710
            [Wed May 31 00:03:20 2023]  ? pmd_devmap_trans_unstable+0x2e/0x40
            [Wed May 31 00:03:20 2023]  ? handle_pte_fault+0x5d/0x880
            [Wed May 31 00:03:20 2023]  __handle_mm_fault+0x453/0x6c0
            [Wed May 31 00:03:20 2023]  handle_mm_fault+0xca/0x2a0
            [Wed May 31 00:03:20 2023]  __do_page_fault+0x1f0/0x450
            [Wed May 31 00:03:20 2023]  do_page_fault+0x37/0x130
            [Wed May 31 00:03:20 2023]  ? page_fault+0x8/0x30
            [Wed May 31 00:03:20 2023]  page_fault+0x1e/0x30
            """;

    /** access.redhat.com/solutions/639043 (2.6.32-279.el6, the corpus's o-009): jbd2 waits for writeback on md. */
    private static final String WRITEBACK = """
            INFO: task jbd2/md0-8:2070 blocked for more than 120 seconds.
            "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            jbd2/md0-8    D 0000000000000000     0  2070      2 0x00000000
            Call Trace:
             [<ffffffff811140c0>] ? sync_page+0x0/0x50
             [<ffffffff814fdfc3>] io_schedule+0x73/0xc0
             [<ffffffff811140fd>] sync_page+0x3d/0x50
             [<ffffffff814fe97f>] __wait_on_bit+0x5f/0x90
             [<ffffffff81114333>] wait_on_page_bit+0x73/0x80
             [<ffffffff81092110>] ? wake_bit_function+0x0/0x50
             [<ffffffff8112a835>] ? pagevec_lookup_tag+0x25/0x40
             [<ffffffff811147ab>] wait_on_page_writeback_range+0xfb/0x190
             [<ffffffff8111486f>] filemap_fdatawait+0x2f/0x40
             [<ffffffffa007de69>] jbd2_journal_commit_transaction+0x7e9/0x14b0 [jbd2]
             [<ffffffffa0083f78>] kjournald2+0xb8/0x220 [jbd2]
             [<ffffffff81091d66>] kthread+0x96/0xa0
             [<ffffffff8100c14a>] child_rip+0xa/0x20
            """;

    private static Evidence read(String report) throws Exception {
        return EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
    }

    @Test
    void aFaultOnAMigrationEntryWaitsForTheMigrationNotForADevice() throws Exception {
        Evidence e = read(MIGRATION);
        assertThat(new WaitClassifier(e).waitOf(e.taskOrNull(61704)).kind()).isEqualTo(ResourceKind.PAGE_MIGRATION);
        assertThat(RuleMatcher.match(BLOCK_IO, e)).isEmpty();
    }

    @Test
    void aPageUnderWritebackIsStillABlockIoWait() throws Exception {
        Evidence e = read(WRITEBACK);
        assertThat(new WaitClassifier(e).waitOf(e.taskOrNull(2070)).kind()).isEqualTo(ResourceKind.BLOCK_IO);
        assertThat(RuleMatcher.match(BLOCK_IO, e)).isPresent();
    }

    @Test
    void theMigrationFramesOfEveryGenerationAreKnown() {
        // 6.1+ (parisc 6.3 oops: lore), 4.x/5.x (__migration_entry_wait under migration_entry_wait), THP and hugetlb
        assertThat(List.of("migration_entry_wait_on_locked", "__migration_entry_wait", "migration_entry_wait",
                "migration_entry_wait_huge", "pmd_migration_entry_wait", "__migration_entry_wait.isra.0"))
                .allMatch(WaitClassifier::isMigrationWait);
        // the read path's page-lock waits are not migration waits by themselves
        assertThat(List.of("put_and_wait_on_page_locked", "folio_put_wait_locked", "wait_on_page_bit_common",
                "migrate_pages", "io_schedule")).noneMatch(WaitClassifier::isMigrationWait);
    }
}
