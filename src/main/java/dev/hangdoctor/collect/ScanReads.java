package dev.hangdoctor.collect;

import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;

import java.util.List;

/**
 * The reads a scan's rooms (FUSE, cgroups) make through the scan: timed, stopped with the scan, saved into its
 * bundle. A room never reads a file any other way, so a hung file costs one timeout and a bundle holds all it read.
 */
interface ScanReads {
    /** Runs {@code ops} in one timed batch ending at {@code until} at the latest; one result per op, in order. */
    List<Result> run(List<Op> ops, long until);

    /** Runs one op. */
    default Result run1(Op op, long until) {
        return run(List.of(op), until).get(0);
    }

    /** Whether the scan stopped reading (deadline, or reads stuck in the kernel). */
    boolean stopped();

    /** Whether any of {@code rs} timed out. */
    static boolean timedOut(List<Result> rs) {
        for (Result r : rs) {
            if (r.status() == TimedReader.Status.TIMEOUT) {
                return true;
            }
        }
        return false;
    }

    /** The text of an answered read, else null. */
    static String text(Result r) {
        return r.ok() ? r.text() : null;
    }
}
