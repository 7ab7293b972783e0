package dev.hangdoctor.collect;

import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.collect.TimedReader.Status;
import dev.hangdoctor.procfs.PidStat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order a live scan reads processes and threads in, so that on a huge host the hang is reached before the
 * deadline: tasks in D ("hot", found by a {@link StatePass} or named by the caller) first, then the rest in pid order,
 * except that processes the state pass saw with many threads come last, fewest first.
 */
final class ProcessOrder {
    private ProcessOrder() {
    }

    /** A process with more threads than this is read after every smaller one that is not hot. */
    static final int MANY_THREADS = 64;

    /** Processes with a hot task first, each group in pid order. */
    static List<Integer> hotFirst(List<Integer> pids, Set<Integer> hot) {
        return hotFirst(pids, hot, Map.of());
    }

    /**
     * Processes with a hot task first, then the rest in pid order, then those with more than {@link #MANY_THREADS}
     * threads ({@code threadsOf}, from the state pass) fewest first. A hang whose tasks are not in D (FUSE callers
     * in S behind a connection that never drains) is found only by reading them: a process of thousands of threads
     * ahead of them in pid order would eat the deadline first, and is read at most in part anyway.
     */
    static List<Integer> hotFirst(List<Integer> pids, Set<Integer> hot, Map<Integer, Integer> threadsOf) {
        if (hot.isEmpty() && threadsOf.isEmpty()) {
            return pids;
        }
        List<Integer> first = new ArrayList<>();
        List<Integer> rest = new ArrayList<>();
        List<Integer> big = new ArrayList<>();
        for (int pid : pids) {
            (hot.contains(pid) ? first : threadsOf.getOrDefault(pid, 1) > MANY_THREADS ? big : rest).add(pid);
        }
        big.sort(java.util.Comparator.comparingInt((Integer p) -> threadsOf.get(p)).thenComparingInt(p -> p));
        first.addAll(rest);
        first.addAll(big);
        return first;
    }

    /**
     * A live process's threads in the order read: the leader, the hot ones, then the rest ascending, cut to
     * {@code maxThreadsPerProcess} (hot ones are kept even past it).
     */
    static List<Integer> threads(int pid, Set<Integer> hot, int maxThreadsPerProcess, List<Integer> sorted) {
        int max = Math.max(1, maxThreadsPerProcess);
        boolean anyHot = false;
        for (int tid : sorted) {
            if (tid != pid && hot.contains(tid)) {
                anyHot = true;
                break;
            }
        }
        if (!anyHot && sorted.size() <= max) {
            return sorted;
        }
        List<Integer> out = new ArrayList<>(Math.min(sorted.size(), max + 16));
        if (sorted.contains(pid)) {
            out.add(pid);
        }
        for (int tid : sorted) {
            if (tid != pid && hot.contains(tid)) {
                out.add(tid);
            }
        }
        for (int tid : sorted) {
            if (out.size() >= max) {
                break;
            }
            if (tid != pid && !hot.contains(tid)) {
                out.add(tid);
            }
        }
        return out;
    }

    /** The pass over stat state letters that finds the hot tasks before the main pass reads anything else. */
    static final class StatePass {
        /** Bytes kept of a thread's stat: the state letter follows comm, at most 64 bytes in. */
        private static final int SLOT = 512;
        private final TimedReader reader;
        private final Path proc;
        private final long perOp;
        private final int chunk;
        private final Set<Integer> hot;
        private final Map<Integer, Result> timedOut = new HashMap<>();
        private final Map<Integer, Integer> threadsOf = new HashMap<>();

        /** {@code hot} is added to: the pids and tids seen in D, and their processes. */
        StatePass(TimedReader reader, Path proc, long perOp, int chunk, Set<Integer> hot) {
            this.reader = reader;
            this.proc = proc;
            this.perOp = perOp;
            this.chunk = chunk;
            this.hot = hot;
        }

        /** The state letter of a stat line in buf[off, off + len) (after the last ')'), or 0. */
        static char stateLetter(byte[] buf, int off, int len) {
            for (int i = off + len - 1; i >= off; i--) {
                if (buf[i] == ')') {
                    return i + 2 < off + len && buf[i + 1] == ' ' ? (char) (buf[i + 2] & 0xff) : 0;
                }
            }
            return 0;
        }

        /** The thread count of each multi-threaded process whose stat the pass read. */
        Map<Integer, Integer> threadsOf() {
            return threadsOf;
        }

        /** Processes whose stat did not answer: the main pass does not read them again. */
        Map<Integer, Result> timedOut() {
            return timedOut;
        }

        /**
         * The state letters of every task, cheapest first: each process's stat, then the threads of multi-threaded
         * processes, fewest threads first, until a quarter of the process share of the deadline has gone. Tasks in D
         * and their processes become hot. Nothing read here is saved: the main pass reads and saves what it uses.
         */
        void run(List<Integer> pids, long until) {
            for (int from = 0; from < pids.size() && System.nanoTime() < until; from += chunk) {
                List<Integer> part = pids.subList(from, Math.min(pids.size(), from + chunk));
                List<Op> ops = new ArrayList<>(part.size());
                for (int pid : part) {
                    ops.add(Op.read(PidStat.path(proc, pid)));
                }
                if (reader.saturated()) {
                    return;
                }
                reader.stream(ops, false, perOp, until, (i, r) -> {
                    int pid = part.get(i);
                    if (r.status() == Status.TIMEOUT) {
                        timedOut.put(pid, r);
                        return;
                    }
                    PidStat.Fields f = r.ok() ? PidStat.parse(r.text()) : null;
                    if (f == null) {
                        return;
                    }
                    if (f.state() == 'D') {
                        hot.add(pid);
                    }
                    if (f.numThreads() != null && f.numThreads() > 1) {
                        threadsOf.put(pid, f.numThreads());
                    }
                });
            }
            String[] paths = new String[chunk];
            byte[] arena = new byte[chunk * SLOT];
            List<Integer> multi = new ArrayList<>(threadsOf.keySet());
            multi.sort(java.util.Comparator.comparingInt((Integer p) -> threadsOf.get(p)).thenComparingInt(p -> p));
            for (int pid : multi) {
                if (System.nanoTime() >= until || reader.saturated()) {
                    return;
                }
                Path taskDir = proc.resolve(Integer.toString(pid)).resolve("task");
                Result list = reader.run(Op.list(taskDir), false, perOp, until);
                List<Integer> tids = new ArrayList<>();
                for (String n : list.lines()) {
                    if (ProcTreeReader.isNumber(n)) {
                        tids.add(Integer.parseInt(n));
                    }
                }
                String base = taskDir + "/";
                for (int from = 0; from < tids.size() && System.nanoTime() < until; from += chunk) {
                    List<Integer> part = tids.subList(from, Math.min(tids.size(), from + chunk));
                    for (int i = 0; i < part.size(); i++) {
                        paths[i] = base + part.get(i) + "/" + ThreadFile.STAT.file;
                    }
                    boolean[] timedOut = {false};
                    // only the state letter matters here: read in place, no String or Result per thread (a one-shot
                    // scan's JVM reads 10 000 of them before its code is compiled)
                    reader.streamBytes(paths, part.size(), SLOT, arena, perOp, until, (i, status, buf, off, len) -> {
                        timedOut[0] |= status == Status.TIMEOUT;
                        if (status == Status.OK && stateLetter(buf, off, len) == 'D') {
                            hot.add(part.get(i));
                            hot.add(pid);
                        }
                    });
                    if (timedOut[0]) {
                        break; // the main pass finds that thread again and gives the process up
                    }
                }
            }
        }
    }
}
