package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a report's own words may decide: only what no stack explains, and never with a stack's confidence. */
class ReportWordsTest {

    private static Diagnosis diagnose(String report, boolean saved) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
        e.savedReport(saved);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    // github.com/astrada/google-drive-ocamlfuse issue 53
    private static final String OCAMLFUSE = """
            After executing google-drive-ocamlfuse mount-point, I am getting a hung task on accessing the mount point.
            [ 2280.332961] INFO: task pool:7954 blocked for more than 120 seconds.
            [ 2280.332976] pool            D ffff88021e2d4580     0  7954   3442 0x00000000
            [ 2280.333006] Call Trace:
            [ 2280.333025]  [<ffffffff816ee6e9>] schedule_preempt_disabled+0x29/0x70
            [ 2280.333033]  [<ffffffff816ec72f>] __mutex_lock_slowpath+0x13f/0x1c0
            [ 2280.333040]  [<ffffffff816ebb1f>] mutex_lock+0x1f/0x2f
            [ 2280.333049]  [<ffffffff816e4fb8>] lookup_slow+0x33/0xa7
            [ 2280.333060]  [<ffffffff811b5373>] path_lookupat+0x753/0x7e0
            """;

    @Test
    void theWordsNameTheFilesystemNoStackReaches() throws Exception {
        Finding f = diagnose(OCAMLFUSE, true).findings().get(0);
        assertThat(f.category()).isEqualTo(Category.FUSE);
        assertThat(f.signature()).isEqualTo("fuse-named-in-report");
        assertThat(f.confidence()).isLessThanOrEqualTo(0.35);
        assertThat(f.evidence()).anyMatch(l -> l.contains("ocamlfuse"));
    }

    @Test
    void theWordsCountWhenAPageJoinedThemToTheLogOnOneLine() throws Exception {
        // the same report from a page that lost its line breaks: prose, hung-task record and stack on one line,
        // the daemon's name far past the width one line of the report's words is kept at
        String oneLine = ("Some context first. ".repeat(20) + OCAMLFUSE).replace("\n", " ");
        Finding f = diagnose(oneLine, true).findings().get(0);
        assertThat(f.signature()).isEqualTo("fuse-named-in-report");
        assertThat(f.evidence()).anyMatch(l -> l.contains("ocamlfuse"));
    }

    private static final String POOL_STACK = """
            [ 2280.332961] INFO: task pool:7954 blocked for more than 120 seconds.
            [ 2280.332976] pool            D ffff88021e2d4580     0  7954   3442 0x00000000
            [ 2280.333006] Call Trace:
            [ 2280.333025]  [<ffffffff816ee6e9>] schedule_preempt_disabled+0x29/0x70
            [ 2280.333040]  [<ffffffff816ebb1f>] mutex_lock+0x1f/0x2f
            """;

    @Test
    void wordsAMailerWrappedOntoTheNextLineStillCount() throws Exception {
        // "fuse file system" is the rule's words only whole: here a wrap broke them after "fuse"
        Finding f = diagnose("I am getting a hung task on accessing the mount point of a fuse\nfile system.\n"
                + POOL_STACK, true).findings().get(0);
        assertThat(f.signature()).isEqualTo("fuse-named-in-report");
        assertThat(f.evidence()).anyMatch(l -> l.contains("fuse file system"));
        // a blank line between the halves is a paragraph's end, not a wrap
        Finding apart = diagnose("I am getting a hung task on accessing the mount point of a fuse\n\nfile system.\n"
                + POOL_STACK, true).findings().get(0);
        assertThat(apart.signature()).isNotEqualTo("fuse-named-in-report");
    }

    @Test
    void aLiveScanHasNoReportWords() throws Exception {
        assertThat(diagnose(OCAMLFUSE, false).findings().get(0).signature()).isEqualTo(Diagnoser.UNCLASSIFIED);
    }

    /** github.com/raspberrypi/linux issue 2557 (indentation taken off): a stack a rule reads, fuse-page-wait */
    static final String RPI_FUSE_WRITEBACK = """
            INFO: task kworker/u8:0:5 blocked for more than 120 seconds.
            kworker/u8:0    D    0     5      2 0x00000000
            Workqueue: writeback wb_workfn (flush-8:1-fuseblk)
            [<807762c0>] (__schedule) from [<80776938>] (schedule+0x50/0xa8)
            [<80776938>] (schedule) from [<8014ac8c>] (io_schedule+0x20/0x40)
            [<8014ac8c>] (io_schedule) from [<8021c4e4>] (__lock_page+0x100/0x128)
            [<8021c4e4>] (__lock_page) from [<8022bb78>] (write_cache_pages+0x30c/0x4d4)
            [<8022bb78>] (write_cache_pages) from [<7f4ba618>] (fuse_writepages+0x80/0xe4 [fuse])
            [<7f4ba618>] (fuse_writepages [fuse]) from [<8022e284>] (do_writepages+0x30/0x8c)
            """;

    @Test
    void aStackAnotherRuleExplainsKeepsThatRule() throws Exception {
        // the sentence before the stack is this test's own, there to show that words never outrank a rule that
        // reads the stack
        Diagnosis d = diagnose("The same box also runs sshfs for backups.\n" + RPI_FUSE_WRITEBACK, true);
        assertThat(d.findings()).extracting(Finding::signature).containsExactly("fuse-page-wait");
    }

    // github.com/falcosecurity/falco issue 3673 (corpus s-009): the stack of a soft lockup whose BUG line the paste lost
    private static final String FALCO_STACK = """
            Sep 8 10:38:09 aikindling kernel: [110984.830672] Call Trace:
            Sep 8 10:38:09 aikindling kernel: [110984.830674]
            Sep 8 10:38:09 aikindling kernel: [110984.830681] proc_tgid_stat+0x14/0x20
            Sep 8 10:38:09 aikindling kernel: [110984.830684] proc_single_show+0x52/0xc0
            Sep 8 10:38:09 aikindling kernel: [110984.830687] seq_read_iter+0x124/0x4b0
            """;

    @Test
    void wordsTheSentenceDeniesNameNothing() throws Exception {
        // the report's expected behaviour: no soft lockup is what it wants, not what it saw
        Diagnosis denied = diagnose("The system should run without soft lockups or CPU stalls, even when running large"
                + " models.\n" + FALCO_STACK, true);
        assertThat(denied.findings()).extracting(Finding::signature).doesNotContain("soft-lockup-named-in-report");
        // the same report's account of what it saw
        Finding seen = diagnose("A soft lockup occurs causing CPU#25 to become stuck for 48 seconds.\n"
                + "The system should run without soft lockups or CPU stalls, even when running large models.\n"
                + FALCO_STACK, true).findings().get(0);
        assertThat(seen.signature()).isEqualTo("soft-lockup-named-in-report");
        assertThat(seen.evidence()).anyMatch(l -> l.contains("A soft lockup occurs"));
    }
}
