package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEventKind;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which kind of hang the kernel's own detector lines in the evidence say it is, against a category a report only
 * names in its words. People say "soft lockup" for any hang ("The symptom is soft lockup warnings, eg:" above an
 * "INFO: task kworker/1:1:109 blocked for more than 614 seconds." report): a fallback rule resting on such words may
 * stand in for a missing detector line, never contradict one that is there. So a fallback of a category no detector
 * line present can report steps aside when the evidence holds a detector line of another kind: the hung-task
 * detector reports tasks asleep in D (block I/O, a filesystem, a lock: every category but the CPU watchdogs'), the
 * soft and hard lockup detectors a CPU that does not schedule, the RCU stall detector a CPU or task that holds up a
 * grace period.
 */
final class DetectorHeaders {
    /** The categories only a CPU watchdog reports: the rest are tasks asleep, which the hung-task detector reports. */
    private static final Set<Category> CPU = EnumSet.of(Category.SOFT_LOCKUP, Category.HARD_LOCKUP,
            Category.CFS_BANDWIDTH_LOCKUP, Category.RCU_STALL);

    /** Each detector's header line and the categories a hang it reports may belong to. */
    private static final Map<KernelEventKind, Set<Category>> REPORTS = Map.of(
            KernelEventKind.HUNG_TASK, EnumSet.complementOf(EnumSet.copyOf(CPU)),
            KernelEventKind.HUNG_TASK_LOCK_OWNER, EnumSet.complementOf(EnumSet.copyOf(CPU)),
            KernelEventKind.SOFT_LOCKUP, EnumSet.of(Category.SOFT_LOCKUP, Category.CFS_BANDWIDTH_LOCKUP),
            KernelEventKind.HARD_LOCKUP, EnumSet.of(Category.HARD_LOCKUP, Category.CFS_BANDWIDTH_LOCKUP),
            KernelEventKind.RCU_STALL, EnumSet.of(Category.RCU_STALL));

    private DetectorHeaders() {
    }

    /**
     * True when the evidence holds at least one detector's header line and none of them reports hangs of this
     * category: a category named only in words must then give way to what the kernel printed.
     */
    static boolean contradict(Category named, Evidence evidence) {
        boolean any = false;
        for (Map.Entry<KernelEventKind, Set<Category>> e : REPORTS.entrySet()) {
            if (evidence.eventCount(e.getKey()) > 0) {
                if (e.getValue().contains(named)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }
}
