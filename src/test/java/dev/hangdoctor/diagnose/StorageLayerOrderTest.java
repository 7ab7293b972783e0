package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lowest storage layer whose work does not complete is named first (excerpts of corpus a-112, dm-devel). */
class StorageLayerOrderTest {

    private static final String JOURNALS = """
            > ===1138===
            >      PID TTY      STAT   TIME COMMAND
            >     1138 ?        D      0:00 [jbd2/md3-8]
            > [<0>] jbd2_journal_commit_transaction+0x162d/0x1a20
            > [<0>] kjournald2+0xad/0x280
            > [<0>] kthread+0xe5/0x120
            > [<0>] ret_from_fork+0x31/0x50
            > [<0>] ret_from_fork_asm+0x1b/0x30
            >\s
            > ===1202===
            >      PID TTY      STAT   TIME COMMAND
            >     1202 ?        D      0:03 [jbd2/dm-0-8]
            > [<0>] jbd2_journal_commit_transaction+0x162d/0x1a20
            > [<0>] kjournald2+0xad/0x280
            > [<0>] kthread+0xe5/0x120
            > [<0>] ret_from_fork+0x31/0x50
            > [<0>] ret_from_fork_asm+0x1b/0x30
            >\s
            """;

    private static Diagnosis diagnose(String log) throws IOException {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "report");
        e.savedReport(true);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    @Test
    void aWriterWaitingForARequestTagPutsTheBlockDeviceBeforeTheJournal() throws IOException {
        Diagnosis d = diagnose(JOURNALS + """
                > ===117547===
                >      PID TTY      STAT   TIME COMMAND
                >   117547 ?        D      5:12 [kworker/u16:8+flush-9:3]
                > [<0>] blk_mq_get_tag+0x11e/0x2b0
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.BLOCK_IO);
        assertThat(d.findings()).extracting(Finding::category).contains(Category.JBD2);
    }

    @Test
    void withoutBlockLayerWaitsTheJournalStaysTheCause() throws IOException {
        Diagnosis d = diagnose(JOURNALS);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.JBD2);
    }
}
