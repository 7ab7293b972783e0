package dev.hangdoctor.collect;

import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.collect.TimedReader.Status;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.procfs.FuseConnectionDir;
import dev.hangdoctor.procfs.PidStat;
import dev.hangdoctor.procfs.PidStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;

/**
 * The whole live collection of `hangdoctor scan`: a full {@link ProcTreeReader} read of the host (sample 1), the
 * kernel messages ({@link KmsgReader}, read meanwhile), then after the window a second read of only the tasks that
 * looked stuck ({@link ScanWindow}), so a task merely passing through D is not reported as hung. Everything ends by
 * one deadline (window + 5 s unless told), even when files never answer. With a save directory the result is a
 * bundle that `analyze` reads back to the same picture: sample 1's files, {@link KmsgReader#SAVED_FILE} and
 * {@link ScanWindow#FILE}; nothing is written anywhere else.
 */
public final class LiveSampler {
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final Duration SAMPLE2_RESERVE = Duration.ofSeconds(1);

    private final Path root;
    private final Options options;
    private final Runnable duringWindow;

    /**
     * The window between the samples (zero: one sample only), the overall deadline (null: window + 5 s), where to
     * save a bundle (null: nowhere), the kmsg device (null: no kernel messages), the reader (null: shared) and the
     * pids and tids to read first (see {@link ProcTreeReader.Options#hotPids}).
     */
    public record Options(Duration window, Duration deadline, Path saveDir, Path kmsgDevice, TimedReader reader,
                          Set<Integer> hotPids, boolean statePass, HeldBundle held, int maxThreadsPerProcess,
                          Map<Integer, Integer> threadCounts, Map<Integer, int[]> knownThreads) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(2), null, null, Path.of("/dev/kmsg"), null, Set.of(), true, null,
                    ProcTreeReader.Options.defaults().maxThreadsPerProcess(), Map.of(), Map.of());
        }

        public Options withWindow(Duration d) {
            return new Options(d, deadline, saveDir, kmsgDevice, reader,
                    hotPids, statePass, held, maxThreadsPerProcess, threadCounts, knownThreads);
        }

        public Options withDeadline(Duration d) {
            return new Options(window, d, saveDir, kmsgDevice, reader, hotPids, statePass, held, maxThreadsPerProcess,
                    threadCounts, knownThreads);
        }

        public Options withSaveDir(Path p) {
            return new Options(window, deadline, p, kmsgDevice, reader, hotPids, statePass, null, maxThreadsPerProcess,
                    threadCounts, knownThreads);
        }

        /** Saves the bundle into {@code h}, in memory until its owner writes it (see {@link HeldBundle}). */
        public Options withHeldBundle(HeldBundle h) {
            return new Options(window, deadline, h == null ? null : h.dir(), kmsgDevice, reader,
                    hotPids, statePass, h, maxThreadsPerProcess, threadCounts, knownThreads);
        }

        public Options withKmsgDevice(Path p) {
            return new Options(window, deadline, saveDir, p, reader, hotPids, statePass, held, maxThreadsPerProcess,
                    threadCounts, knownThreads);
        }

        public Options withReader(TimedReader r) {
            return new Options(window, deadline, saveDir, kmsgDevice, r,
                    hotPids, statePass, held, maxThreadsPerProcess, threadCounts, knownThreads);
        }

        public Options withHotPids(Set<Integer> pids) {
            return new Options(window, deadline, saveDir, kmsgDevice, reader,
                    Set.copyOf(pids), statePass, held, maxThreadsPerProcess, threadCounts, knownThreads);
        }

        /** Thread counts of processes, for a scan without the state pass (see ProcTreeReader's withThreadCounts). */
        public Options withThreadCounts(Map<Integer, Integer> counts) {
            return new Options(window, deadline, saveDir, kmsgDevice, reader, hotPids, statePass, held,
                    maxThreadsPerProcess, Map.copyOf(counts), knownThreads);
        }

        /** Thread ids of big processes, not listed again (see ProcTreeReader's withKnownThreads). */
        public Options withKnownThreads(Map<Integer, int[]> tids) {
            return new Options(window, deadline, saveDir, kmsgDevice, reader, hotPids, statePass, held,
                    maxThreadsPerProcess, threadCounts, Map.copyOf(tids));
        }

        /** The most threads of one process the first sample reads (its leader and threads in D always among them). */
        public Options withMaxThreadsPerProcess(int n) {
            return new Options(window, deadline, saveDir, kmsgDevice, reader, hotPids, statePass, held, n,
                    threadCounts, knownThreads);
        }

        /**
         * Whether the first sample starts with the pass over every task's state letter (see
         * {@link ProcTreeReader.Options#statePass}); a caller that names the tasks in D itself can do without.
         */
        public Options withStatePass(boolean v) {
            return new Options(window, deadline, saveDir, kmsgDevice, reader, hotPids, v, held, maxThreadsPerProcess,
                    threadCounts, knownThreads);
        }

        /** The deadline in force: the one given, or window + 5 s. */
        public Duration effectiveDeadline() {
            return deadline != null ? deadline : window.plus(SLACK);
        }
    }

    public LiveSampler(Path root, Options options) {
        this(root, options, () -> { });
    }

    /** {@code duringWindow} runs after sample 1, before the wait: tests change the tree there. */
    LiveSampler(Path root, Options options, Runnable duringWindow) {
        this.root = root;
        this.options = options;
        this.duringWindow = duringWindow;
    }

    /** Runs the scan; the evidence is marked live. Throws only when sample 1 cannot start at all. */
    public Evidence scan() throws IOException {
        long start = System.nanoTime();
        long total = Math.max(1, options.effectiveDeadline().toNanos());
        long end = start + total;
        long window = Math.max(0, options.window().toNanos());
        long reserve = window == 0 ? 0 : Math.min(SAMPLE2_RESERVE.toNanos(), total / 5);
        long sample1 = total - window - reserve;
        List<String> notes = new ArrayList<>();
        if (sample1 < total / 2) {
            sample1 = total / 2;
            window = Math.max(0, total - sample1 - reserve);
            notes.add("window shortened to " + window / 1_000_000 + " ms to fit the "
                    + total / 1_000_000 + " ms deadline");
        }
        TimedReader reader = options.reader() != null ? options.reader() : TimedReader.shared();

        KmsgReader.Pending kmsg = null;
        if (options.kmsgDevice() != null) {
            kmsg = new KmsgReader(options.kmsgDevice(), KmsgReader.Options.defaults()
                    .withTotal(Duration.ofNanos(Math.min(total, KmsgReader.Options.defaults().total().toNanos()))))
                    .start();
        }
        ProcTreeReader.Options po = ProcTreeReader.Options.defaults().withDeadline(Duration.ofNanos(sample1))
                .withSaveDir(options.saveDir()).withReader(reader).withLive(true).withHotPids(options.hotPids())
                .withStatePass(options.statePass()).withMaxThreadsPerProcess(options.maxThreadsPerProcess())
                .withThreadCounts(options.threadCounts()).withKnownThreads(options.knownThreads());
        if (options.held() != null) {
            po = po.withHeldBundle(options.held());
        }
        Evidence ev = new ProcTreeReader(root, po).read();
        notes.forEach(ev::warn);

        ScanWindow second = null;
        if (window > 0) {
            List<Task> candidates = ScanWindow.candidates(ev);
            long firstDone = System.nanoTime();
            duringWindow.run();
            sleepUntil(Math.min(firstDone + window, end - reserve));
            long secondStart = System.nanoTime();
            List<ScanWindow.Entry> entries = sampleAgain(procDir(), candidates, reader, end, ev);
            second = new ScanWindow((secondStart - firstDone) / 1_000_000, entries, fuseWaitingAgain(reader, end, ev));
        }

        KernelHistory clock = null;
        if (kmsg != null) {
            KmsgReader.Result r = kmsg.await(end);
            clock = KernelHistory.now(procDir());
            ev.mergeLogIntoLive(r.toEvidence());
            if (options.saveDir() != null && !r.lines().isEmpty()) {
                save(KmsgReader.SAVED_FILE, r.text(), ev);
            }
        }
        if (second != null) {
            second.applyTo(ev);
            if (options.saveDir() != null) {
                save(ScanWindow.FILE, second.format(), ev);
            }
        }
        if (clock != null) {
            // after the window: a task stuck across it is current, one that ran again is not
            clock.retire(ev);
            if (options.saveDir() != null) {
                save(KernelHistory.FILE, clock.format(), ev);
            }
        }
        ContainerNames.fill(root, ev, reader, end);
        if (options.saveDir() != null) {
            String names = ContainerNames.format(ev);
            if (!names.isEmpty()) {
                save(ContainerNames.FILE, names, ev);
            }
        }
        ev.live(true);
        return ev;
    }

    private Path procDir() {
        Path p = root.resolve("proc");
        return Files.isDirectory(p) ? p : root;
    }

    /** Reads stat and status of each candidate again, one timed batch per task, all by {@code end}. */
    static List<ScanWindow.Entry> sampleAgain(Path proc, List<Task> candidates, TimedReader reader, long end,
                                              Evidence ev) {
        List<ScanWindow.Entry> out = new ArrayList<>(candidates.size());
        long perOp = Duration.ofSeconds(1).toNanos();
        int done = 0;
        for (Task t : candidates) {
            if (System.nanoTime() >= end || reader.saturated()) {
                break;
            }
            int tid = t.pid();
            int tgid = t.tgid() != null ? t.tgid() : tid;
            Path dir = proc.resolve(Integer.toString(tgid)).resolve("task").resolve(Integer.toString(tid));
            List<Result> rs = reader.run(List.of(Op.read(dir.resolve("stat")), Op.read(dir.resolve("status"))),
                    false, perOp, end);
            ScanWindow.Entry e = entry(tgid, tid, rs.get(0), rs.get(1));
            if (e == null) {
                break; // not started: the deadline or the stuck-thread cap
            }
            out.add(e);
            done++;
        }
        if (done < candidates.size()) {
            ev.warn("second sample stopped early: read " + done + " of " + candidates.size()
                    + " tasks again; the others keep their first sample");
        }
        return out;
    }

    /**
     * The waiting count of each FUSE connection that had requests waiting, read again: whether they drained across
     * the window is what tells a stuck connection from a busy one.
     */
    private Map<Integer, Long> fuseWaitingAgain(TimedReader reader, long end, Evidence ev) {
        Path conns = root.resolve("sys").resolve("fs").resolve("fuse").resolve("connections");
        List<Integer> ids = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        for (FuseConnection c : ev.fuseConnections()) {
            if (c.waiting() != null && c.waiting() > 0) {
                ids.add(c.id());
                ops.add(Op.read(conns.resolve(Integer.toString(c.id())).resolve("waiting")));
            }
        }
        Map<Integer, Long> out = new TreeMap<>();
        if (ops.isEmpty()) {
            return out;
        }
        List<Result> rs = reader.run(ops, false, Duration.ofSeconds(1).toNanos(), end);
        for (int i = 0; i < ids.size(); i++) {
            Long n = rs.get(i).ok() ? FuseConnectionDir.parseWaiting(rs.get(i).text()) : null;
            if (n != null) {
                out.put(ids.get(i), n);
            } else if (rs.get(i).status() == Status.MISSING) {
                out.put(ids.get(i), 0L); // the connection went away: nothing waits on it any more
            }
        }
        return out;
    }

    private static ScanWindow.Entry entry(int tgid, int tid, Result stat, Result status) {
        if (stat.status() == Status.TIMEOUT || status.status() == Status.TIMEOUT) {
            return new ScanWindow.Entry(tgid, tid, ScanWindow.Seen.TIMEOUT, null, null, null);
        }
        if (stat.status() == Status.SKIPPED) {
            return null;
        }
        if (stat.status() == Status.MISSING && status.status() == Status.MISSING) {
            return new ScanWindow.Entry(tgid, tid, ScanWindow.Seen.GONE, null, null, null);
        }
        PidStat.Fields st = stat.ok() ? PidStat.parse(stat.text()) : null;
        PidStatus ss = status.ok() ? PidStatus.parse(status.text()) : null;
        Character state = st != null ? Character.valueOf(st.state())
                : ss != null && ss.state() != null && !ss.state().isEmpty() ? Character.valueOf(ss.state().charAt(0))
                : null;
        return new ScanWindow.Entry(tgid, tid, ScanWindow.Seen.READ, state,
                ss == null ? null : ss.voluntaryCtxtSwitches(), ss == null ? null : ss.nonvoluntaryCtxtSwitches());
    }

    private void save(String file, String text, Evidence ev) {
        Path out = options.saveDir().resolve(file);
        try {
            if (options.held() != null) {
                options.held().add(file, text);
                return;
            }
            Files.createDirectories(out.getParent());
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException ex) {
            ev.warn("could not save " + file + " under " + options.saveDir() + ": " + ex.getMessage());
        }
    }

    private static void sleepUntil(long when) {
        long left;
        while ((left = when - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
