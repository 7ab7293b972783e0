package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.Role;
import dev.hangdoctor.diagnose.kb.RuleMatch;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which storage layer a hang is blamed on when a filesystem (jbd2, XFS) and the block layer below it both show
 * waiters: the lowest layer with evidence that its work does not complete is the cause. A journal commit or log force
 * waits for the block requests it issued, so the device goes first when tasks wait inside the block layer for a
 * request to be issued or to drain, when the log shows I/O errors, when the journal's own commit sleeps on the I/O of
 * its buffers or XFS waits for the I/O of its own metadata buffer (the filesystem has done its part; the device has
 * not), when the block-io finding names a blocker
 * (the worker of a stacked block driver stuck in D), or when the block-io finding claims a task forcing the
 * filesystem's log itself (the block-io rule takes a log force only where the device is the one to answer: a
 * network block device named by the log's worker, a block wait in the same stack). The report's own words count
 * too: a generic journal commit or log force waits for handles or for its writes alike, and a report
 * that blames the storage under it (a failing or slow disk, an I/O problem, dirty pages the disk does not take in
 * time) says which; then the block-io finding resting on those words (a fallback, otherwise only spoken when no rule
 * is) goes before the filesystem's. Without such evidence the filesystem stays first: then its own journal or log is
 * what the others wait for, and page or buffer waits are only its consequence.
 */
final class StorageLayerOrder {
    /**
     * Waits of the block layer itself: a request tag on a full queue (blk_mq_get_tag), a request on the legacy path
     * (get_request), the writeback throttle (wbt_wait, rq_qos_wait), a queue freeze waiting for in-flight requests
     * (blk_mq_freeze_queue_wait).
     */
    private static final Set<String> REQUEST_WAITS = Set.of(
            "blk_mq_get_tag", "get_request", "wbt_wait", "__wbt_wait", "rq_qos_wait", "blk_mq_freeze_queue_wait");

    /** A journal's commit: a block I/O wait inside it is the journal waiting for its own writes. */
    private static final Set<String> JOURNAL_COMMITS = Set.of("jbd2_journal_commit_transaction",
            "journal_commit_transaction");

    /** Waits for the I/O of a buffer or page, as a journal commit does for its descriptor, data and commit blocks. */
    private static final Set<String> IO_WAITS = Set.of("__wait_on_buffer", "wait_on_buffer", "sleep_on_buffer",
            "sync_buffer", "bit_wait_io", "wait_on_page_bit", "wait_on_page_writeback", "folio_wait_writeback",
            "submit_bio_wait");

    /**
     * A filesystem waiting for the I/O of its own metadata buffer: XFS's xfs_buf_iowait (xfs_buf_submit_wait on 3.18
     * to 4.x), completed when the buffer's bios end. Like a journal commit waiting on its buffers, the filesystem has
     * done its part.
     */
    private static final Set<String> FS_BUFFER_IO_WAITS = Set.of("xfs_buf_iowait", "xfs_buf_submit_wait");

    /** A filesystem forcing its log to disk and waiting for the write: XFS's log force, a jbd2 commit wait. */
    private static final Set<String> LOG_FORCES = Set.of("xfs_log_force", "xfs_log_force_lsn", "_xfs_log_force",
            "_xfs_log_force_lsn", "xfs_log_force_seq", "xlog_wait", "xlog_wait_on_iclog", "jbd2_log_wait_commit");

    /** A deadlock (ABBA, circular wait) named in the report's words. */
    private static final Pattern DEADLOCK = Pattern.compile("(?i)\\bdead-?lock");

    private StorageLayerOrder() {
    }

    /**
     * Moves a block-io match with evidence of requests not completing before the first generic filesystem match
     * (one that supersedes no other rule: a specific, known filesystem bug keeps its place); the rest keeps its order.
     */
    static List<RuleMatch> order(List<RuleMatch> matches, Evidence evidence) {
        int firstFs = firstGenericFilesystem(matches);
        int block = -1;
        for (int i = 0; i < matches.size(); i++) {
            RuleMatch m = matches.get(i);
            if (block < 0 && m.rule().category() == Category.BLOCK_IO && requestsStuck(m, evidence)) {
                block = i;
            }
        }
        if (firstFs < 0 || block < firstFs) {
            return matches;
        }
        List<RuleMatch> out = new ArrayList<>(matches);
        out.add(firstFs, out.remove(block));
        return out;
    }

    /**
     * The main pass of rule matches with a block-io fallback resting on the report's words about the storage put
     * before the first generic filesystem match (a specific rule, one that names its holder, keeps its place), when
     * no block-io match is before it already and the report does not call the hang a deadlock; {@code main}
     * unchanged otherwise. The caller drops that fallback from the fallbacks.
     */
    static List<RuleMatch> withNamedStorage(List<RuleMatch> main, List<RuleMatch> fallbacks, Evidence evidence) {
        int firstFs = firstGenericFilesystem(main);
        RuleMatch named = namedStorage(fallbacks);
        if (firstFs < 0 || named == null || callsItADeadlock(evidence)) {
            return main;
        }
        for (int i = 0; i < firstFs; i++) {
            if (main.get(i).rule().category() == Category.BLOCK_IO) {
                return main;
            }
        }
        List<RuleMatch> out = new ArrayList<>(main);
        out.add(firstFs, named);
        return out;
    }

    /** The first block-io fallback that matched on the report's words (a text signal), or null. */
    static RuleMatch namedStorage(List<RuleMatch> fallbacks) {
        for (RuleMatch m : fallbacks) {
            if (m.rule().category() == Category.BLOCK_IO && m.rule().signals().stream()
                    .anyMatch(s -> s.text() != null && !s.absent() && m.matchedSignals().contains(s.id()))) {
                return m;
            }
        }
        return null;
    }

    /**
     * The report's words call the hang a deadlock: tasks that hold what the others need wait on each other, a story
     * of the filesystem's locks (an I/O error it handles in its own error path, a buffer kept locked across a log
     * force) that a slow or failing disk does not tell.
     */
    private static boolean callsItADeadlock(Evidence evidence) {
        return evidence.reportLines().stream().anyMatch(l -> DEADLOCK.matcher(l.text()).find());
    }

    private static int firstGenericFilesystem(List<RuleMatch> matches) {
        for (int i = 0; i < matches.size(); i++) {
            RuleMatch m = matches.get(i);
            Category c = m.rule().category();
            if ((c == Category.JBD2 || c == Category.XFS) && m.rule().supersedes().isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True when {@code lower} is the block layer under the filesystem of {@code upper} (jbd2, XFS): a block-io finding
     * put first does not stand for the filesystem's finding of the same tasks; both are kept, the device first.
     */
    static boolean below(Category lower, Category upper) {
        return lower == Category.BLOCK_IO && (upper == Category.JBD2 || upper == Category.XFS);
    }

    private static boolean requestsStuck(RuleMatch m, Evidence evidence) {
        if (!evidence.events(KernelEventKind.BLOCK_IO_ERROR).isEmpty() || !m.tasks(Role.BLOCKER).isEmpty()) {
            return true;
        }
        for (Role role : Role.values()) {
            for (Task t : m.tasks(role)) {
                List<Frame> frames = Frames.evidence(t.frames());
                if (has(frames, REQUEST_WAITS) || has(frames, JOURNAL_COMMITS) && has(frames, IO_WAITS)
                        || has(frames, FS_BUFFER_IO_WAITS) || has(frames, LOG_FORCES)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean has(List<Frame> frames, Set<String> functions) {
        for (Frame f : frames) {
            if (!f.unreliable() && functions.stream().anyMatch(w -> Frames.sameFunction(f.function(), w))) {
                return true;
            }
        }
        return false;
    }
}
