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

/**
 * Which storage layer a hang is blamed on when a filesystem (jbd2, XFS) and the block layer below it both show
 * waiters: the lowest layer with evidence that its work does not complete is the cause. A journal commit or log force
 * waits for the block requests it issued, so when tasks wait inside the block layer for a request to be issued or to
 * drain (or the log shows I/O errors), the device goes first. Without such evidence the filesystem stays first: then
 * its own journal or log is what the others wait for, and page or buffer waits are only its consequence.
 */
final class StorageLayerOrder {
    /**
     * Waits of the block layer itself: a request tag on a full queue (blk_mq_get_tag), a request on the legacy path
     * (get_request), the writeback throttle (wbt_wait, rq_qos_wait), a queue freeze waiting for in-flight requests
     * (blk_mq_freeze_queue_wait).
     */
    private static final Set<String> REQUEST_WAITS = Set.of(
            "blk_mq_get_tag", "get_request", "wbt_wait", "__wbt_wait", "rq_qos_wait", "blk_mq_freeze_queue_wait");

    private StorageLayerOrder() {
    }

    /**
     * Moves a block-io match with evidence of requests not completing before the first generic filesystem match
     * (one that supersedes no other rule: a specific, known filesystem bug keeps its place); the rest keeps its order.
     */
    static List<RuleMatch> order(List<RuleMatch> matches, Evidence evidence) {
        int firstFs = -1;
        int block = -1;
        for (int i = 0; i < matches.size(); i++) {
            RuleMatch m = matches.get(i);
            Category c = m.rule().category();
            if (firstFs < 0 && (c == Category.JBD2 || c == Category.XFS) && m.rule().supersedes().isEmpty()) {
                firstFs = i;
            }
            if (block < 0 && c == Category.BLOCK_IO && requestsStuck(m, evidence)) {
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

    private static boolean requestsStuck(RuleMatch m, Evidence evidence) {
        if (!evidence.events(KernelEventKind.BLOCK_IO_ERROR).isEmpty()) {
            return true;
        }
        for (Role role : Role.values()) {
            for (Task t : m.tasks(role)) {
                for (Frame f : t.frames()) {
                    if (!f.unreliable() && REQUEST_WAITS.stream().anyMatch(w -> Frames.sameFunction(f.function(), w))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
