package dev.hangdoctor.collect;

import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.collect.TimedReader.Status;
import dev.hangdoctor.diagnose.IdleWaits;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import dev.hangdoctor.model.UffdHandle;
import dev.hangdoctor.parse.EvidenceReader;
import dev.hangdoctor.procfs.BundleSource;
import dev.hangdoctor.procfs.FdinfoFile;
import dev.hangdoctor.procfs.LoadAvg;
import dev.hangdoctor.procfs.MountinfoEntry;
import dev.hangdoctor.procfs.PidCgroup;
import dev.hangdoctor.procfs.PidFdLink;
import dev.hangdoctor.procfs.PidOomScoreAdj;
import dev.hangdoctor.procfs.PidStat;
import dev.hangdoctor.procfs.PidStatus;
import dev.hangdoctor.procfs.PidWchan;
import dev.hangdoctor.procfs.PressureFile;
import dev.hangdoctor.procfs.ProcSource;
import dev.hangdoctor.procfs.TaskSyscall;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.hangdoctor.collect.ScanReads.text;
import static dev.hangdoctor.collect.TimedReader.LINK_SUFFIX;

/**
 * Reads a /proc-shaped tree (the live /proc, or a bundle saved by `scan --save`): every PID/task/TID's stat and
 * wchan, status and stack where they can matter (see {@code needsFullRead}), each process's cgroup, userfaultfd and
 * /dev/fuse descriptors, FUSE connections, memory cgroups, CPU bandwidth counts and host facts. The root is injected
 * so tests and saved bundles use the same code as the live host. Every read runs through a {@link TimedReader}: a
 * file that never answers costs one stuck thread and marks its process unreadable; the whole scan ends by its
 * deadline with what it has (a bundle's writes, on their own thread, get up to 30 s more on a slow disk). On a live
 * host the tasks in D (found by a first pass over stat state letters, or named by the caller) are read first, and
 * at most {@code maxThreadsPerProcess} threads of one process, so a scan beside a huge process still reaches the
 * hang. Nothing read here needs the target's mmap lock (no cmdline, environ, maps).
 */
public final class ProcTreeReader {
    private static final String[] SYSCTLS = {"osrelease", "hostname", "hung_task_timeout_secs", "hung_task_panic",
        "hardlockup_panic", "softlockup_panic", "watchdog_thresh", "panic_on_oops"};
    private static final String STAT = ThreadFile.STAT.file;
    private static final String CGROUP = ThreadFile.CGROUP.file;
    /** Threads read per timed batch: big enough to make hand-offs rare, small enough to bound what is held. */
    private static final int THREAD_CHUNK = 256;
    private static final Result MISSING = new Result(Status.MISSING, null, null);
    private static final Duration SAVE_GRACE = Duration.ofSeconds(30);
    /** Warned when FUSE mounts exist but the fusectl filesystem shows no connection (the metrics count it by kind). */
    public static final String FUSECTL_MISSING = "FUSE mounts are present but /sys/fs/fuse/connections lists none"
            + " (fusectl not mounted): waiting requests are not counted and fuse-abort cannot act";
    private static final int FD_BATCH = 256;

    private final Path root;
    private final Options options;

    /**
     * How long and how much to read, and where to save what was read. {@code hotPids} (pids and tids) are read
     * first; {@code maxThreadsPerProcess} caps the threads read of one live process (its leader and hot threads are
     * always among them); {@code statePass} first reads every task's stat state letter within a quarter of the
     * process share of the deadline, so that processes and threads in D are read first on a huge host.
     */
    public record Options(Duration deadline, Duration perFileTimeout, Path saveDir, TimedReader reader,
                          Boolean live, int maxPids, int maxCgroups, int maxFdsPerPid, Set<Integer> hotPids,
                          int maxThreadsPerProcess, boolean statePass, HeldBundle held,
                          Map<Integer, Integer> threadCounts, Map<Integer, int[]> knownThreads) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), Duration.ofSeconds(1), null, null, null, 100_000, 20_000, 20_000,
                    Set.of(), 2000, true, null, Map.of(), Map.of());
        }

        public Options withDeadline(Duration d) {
            return new Options(d, perFileTimeout, saveDir, reader, live, maxPids, maxCgroups, maxFdsPerPid, hotPids,
                    maxThreadsPerProcess, statePass, held, threadCounts, knownThreads);
        }

        public Options withPerFileTimeout(Duration d) {
            return new Options(deadline, d, saveDir, reader, live, maxPids, maxCgroups, maxFdsPerPid, hotPids,
                    maxThreadsPerProcess, statePass, held, threadCounts, knownThreads);
        }

        /** Writes every file read successfully under this directory, as a bundle this class reads back. */
        public Options withSaveDir(Path p) {
            return new Options(deadline, perFileTimeout, p, reader, live, maxPids, maxCgroups, maxFdsPerPid, hotPids,
                    maxThreadsPerProcess, statePass, null, threadCounts, knownThreads);
        }

        public Options withReader(TimedReader r) {
            return new Options(deadline, perFileTimeout, saveDir, r, live, maxPids, maxCgroups, maxFdsPerPid, hotPids,
                    maxThreadsPerProcess, statePass, held, threadCounts, knownThreads);
        }

        /**
         * Forces live (true: trust file types, as /proc holds only regular files) or bundle (false: refuse FIFOs and
         * devices) handling; null detects it from the file system type.
         */
        public Options withLive(Boolean v) {
            return new Options(deadline, perFileTimeout, saveDir, reader, v, maxPids, maxCgroups, maxFdsPerPid, hotPids,
                    maxThreadsPerProcess, statePass, held, threadCounts, knownThreads);
        }

        public Options withMaxCgroups(int n) {
            return new Options(deadline, perFileTimeout, saveDir, reader, live, maxPids, n, maxFdsPerPid, hotPids,
                    maxThreadsPerProcess, statePass, held, threadCounts, knownThreads);
        }

        /** Pids and tids to read first (the agent's cheap sample knows them). */
        public Options withHotPids(Set<Integer> pids) {
            return new Options(deadline, perFileTimeout, saveDir, reader, live, maxPids, maxCgroups, maxFdsPerPid,
                    Set.copyOf(pids), maxThreadsPerProcess, statePass, held, threadCounts, knownThreads);
        }

        public Options withMaxThreadsPerProcess(int n) {
            return new Options(deadline, perFileTimeout, saveDir, reader, live, maxPids, maxCgroups, maxFdsPerPid,
                    hotPids, n, statePass, held, threadCounts, knownThreads);
        }

        /**
         * Thread counts of processes (the agent's cheap sample knows them) for a scan without the state pass: those
         * with many threads are then read after the others, as the state pass would have them.
         */
        public Options withThreadCounts(Map<Integer, Integer> counts) {
            return new Options(deadline, perFileTimeout, saveDir, reader, live, maxPids, maxCgroups, maxFdsPerPid,
                    hotPids, maxThreadsPerProcess, statePass, held, Map.copyOf(counts), knownThreads);
        }

        /**
         * The thread ids of processes with more threads than a scan reads of one (the agent's cheap sample keeps them,
         * sorted, the leader's left out): such a process's task/ directory is not listed again (10 000 entries cost
         * as much as 2 000 stat reads), its threads are taken from here. A thread started since that list was made
         * is not read, as it would not be among the threads read of so big a process but by chance.
         */
        public Options withKnownThreads(Map<Integer, int[]> tids) {
            return new Options(deadline, perFileTimeout, saveDir, reader, live, maxPids, maxCgroups, maxFdsPerPid,
                    hotPids, maxThreadsPerProcess, statePass, held, threadCounts, Map.copyOf(tids));
        }

        public Options withStatePass(boolean v) {
            return new Options(deadline, perFileTimeout, saveDir, reader, live, maxPids, maxCgroups, maxFdsPerPid,
                    hotPids, maxThreadsPerProcess, v, held, threadCounts, knownThreads);
        }

        /**
         * Saves into {@code h} (a bundle under {@code h.dir()}) what a save directory would get, holding it in memory
         * until the caller writes it or drops it; null saves nothing.
         */
        public Options withHeldBundle(HeldBundle h) {
            return new Options(deadline, perFileTimeout, h == null ? null : h.dir(), reader, live, maxPids, maxCgroups,
                    maxFdsPerPid, hotPids, maxThreadsPerProcess, statePass, h, threadCounts, knownThreads);
        }
    }

    public ProcTreeReader(Path root) {
        this(root, Options.defaults());
    }

    public ProcTreeReader(Path root, Options options) {
        this.root = root;
        this.options = options;
    }

    /**
     * True when the directory looks like /proc or holds one: numeric entries holding `stat`, `status`, `stack` or
     * `task`, either directly inside (a bare /proc copy) or inside its `proc/` (a saved bundle, or the live root).
     */
    public static boolean looksLikeProc(Path dir) {
        return hasPidDir(dir.resolve("proc")) || hasPidDir(dir);
    }

    private static boolean hasPidDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        int looked = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (++looked > 10_000) {
                    break;
                }
                if (isNumber(p.getFileName().toString()) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && (Files.exists(p.resolve("stat")) || Files.exists(p.resolve("status"))
                        || Files.exists(p.resolve("stack")) || Files.isDirectory(p.resolve("task"))
                        || Files.exists(p.resolve(ProcessPack.PREFIX + 1 + ProcessPack.SUFFIX)))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    public Evidence read() throws IOException {
        Evidence e = new Evidence();
        e.addFormat("/proc tree");
        Path proc;
        Path sys;
        if (hasPidDir(root.resolve("proc"))) {
            proc = root.resolve("proc");
            sys = root.resolve("sys");
        } else if (hasPidDir(root)) {
            proc = root;
            Path sibling = root.resolveSibling("sys");
            sys = root.getFileName() != null && root.getFileName().toString().equals("proc") ? sibling : null;
        } else {
            e.warn(root + ": no /proc tree found (no numeric process directories)");
            return e;
        }
        boolean live = options.live() != null ? options.live() : isProcfs(proc);
        e.live(live);
        new Scan(e, proc, sys != null && Files.isDirectory(sys) ? sys : null, live).run();
        if (!live) {
            Path base = proc.equals(root) ? (isNamedProc(root) ? root.getParent() : null) : root;
            if (base != null) {
                bundleExtras(e, base);
            }
        }
        return e;
    }

    private static boolean isNamedProc(Path p) {
        return p.getFileName() != null && p.getFileName().toString().equals("proc") && p.getParent() != null;
    }

    /**
     * What `scan --save` keeps beside the /proc files: the kernel messages ({@link KmsgReader#SAVED_FILE}), the
     * second sample ({@link ScanWindow#FILE}) and the containers' names ({@link ContainerNames#FILE}), applied in the
     * order the live scan applies them.
     */
    private void bundleExtras(Evidence e, Path base) {
        Path kmsg = base.resolve(KmsgReader.SAVED_FILE);
        boolean scanned = Files.isRegularFile(kmsg, LinkOption.NOFOLLOW_LINKS);
        if (scanned) {
            try (java.io.InputStream in = Files.newInputStream(kmsg, LinkOption.NOFOLLOW_LINKS)) {
                e.mergeLogIntoLive(EvidenceReader.read(in, KmsgReader.SOURCE));
            } catch (IOException | RuntimeException ex) {
                e.warn(KmsgReader.SAVED_FILE + ": not read: " + ex.getMessage());
            }
        }
        ProcSource bundle = new BundleSource(base);
        ProcSource.Read r = bundle.read(base.resolve(ScanWindow.FILE));
        if (r.ok()) {
            ScanWindow.parse(r.text()).applyTo(e);
        } else if (!r.missing()) {
            e.warn(ScanWindow.FILE + ": not read (" + r.failure() + ")");
        }
        ProcSource.Read names = bundle.read(base.resolve(ContainerNames.FILE));
        if (names.ok()) {
            ContainerNames.applySaved(e, names.text());
        } else if (!names.missing()) {
            e.warn(ContainerNames.FILE + ": not read (" + names.failure() + ")");
        }
        if (scanned) {
            // the kernel messages of a live scan: what was history then is history in the bundle too
            ProcSource.Read clock = bundle.read(base.resolve(KernelHistory.FILE));
            (clock.ok() ? KernelHistory.parse(clock.text()) : new KernelHistory(null, null)).retire(e);
        }
    }

    /** Frames of a task waiting for a FUSE daemon's answer (or to send it a request). */
    private static final Set<String> FUSE_WAITS = Set.of("request_wait_answer", "fuse_wait_answer",
            "__fuse_request_send", "fuse_simple_request", "fuse_get_req");

    static boolean waitsInFuse(Task t) {
        for (dev.hangdoctor.model.Frame f : t.frames()) {
            String fn = f.function();
            int dot = fn.indexOf('.');
            if (!f.unreliable() && FUSE_WAITS.contains(dot > 0 ? fn.substring(0, dot) : fn)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isProcfs(Path proc) {
        try {
            return Files.getFileStore(proc).type().equals("proc");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** One read of the tree: the state shared by its phases. */
    private final class Scan implements ScanReads {
        private final Evidence ev;
        private final Path proc;
        private final Path sys;
        private final boolean bundle;
        private final String source;
        private final TimedReader reader;
        private final long perOp;
        private final long start = System.nanoTime();
        private final long deadline;
        private final long processDeadline;
        /** Null unless the scan saves what it reads. */
        private final BundleWriter saver;
        private boolean stopped;
        private int stacksDenied;
        private int stacksRead;
        private final FuseScanner fuse;

        Scan(Evidence ev, Path proc, Path sys, boolean live) {
            this.ev = ev;
            this.proc = proc;
            this.sys = sys;
            this.bundle = !live;
            this.source = live ? "/proc" : "bundle";
            this.reader = options.reader() != null ? options.reader() : TimedReader.shared();
            this.perOp = options.perFileTimeout().toNanos();
            long total = options.deadline().toNanos();
            this.deadline = start + total;
            // processes come first but must leave time for FUSE, cgroups and the rest
            this.processDeadline = start + total * 7 / 10;
            this.fuse = new FuseScanner(this, proc, sys);
            this.saver = options.saveDir() == null ? null
                    : new BundleWriter(options.saveDir(), options.held(), proc, sys);
        }

        void run() {
            host();
            fuse.connections(deadline);
            processes();
            fuse.finish(deadline, ev);
            CgroupScanner cgroups = new CgroupScanner(this, sys, ev, deadline, options.maxCgroups());
            cgroups.memCgroups();
            oomScoreAdjs();
            cgroups.cpuCgroups();
            finishSaving();
        }

        // ---- plumbing

        @Override
        public boolean stopped() {
            return stopped;
        }

        @Override
        public List<Result> run(List<Op> ops, long until) {
            if (stopped) {
                return skipped(ops.size());
            }
            if (bundle) {
                return runInBundle(ops, until);
            }
            return runOnReader(ops, until);
        }

        /**
         * A bundle's reads: files of a process its {@link ProcessPack}s hold are answered from them, a listing under
         * a process is the union of what is on disk and what the packs hold, the rest is read from disk.
         */
        private List<Result> runInBundle(List<Op> ops, long until) {
            Result[] out = new Result[ops.size()];
            List<Op> rest = new ArrayList<>(ops.size());
            List<Integer> at = new ArrayList<>(ops.size());
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                String key = packKey(op.path());
                if (key != null && (op.kind() == TimedReader.Kind.READ || op.kind() == TimedReader.Kind.READLINK)) {
                    boolean link = op.kind() == TimedReader.Kind.READLINK;
                    String text = packs(packPid(op.path()), until).text(link ? key + LINK_SUFFIX : key);
                    if (text != null) {
                        out[i] = new Result(Status.OK, link ? text.strip() : text, null);
                        continue;
                    }
                }
                rest.add(op);
                at.add(i);
            }
            List<Result> rs = rest.isEmpty() ? List.of() : runOnReader(rest, until);
            for (int k = 0; k < rs.size(); k++) {
                int i = at.get(k);
                Op op = ops.get(i);
                Result res = rs.get(k);
                String key = packKey(op.path());
                boolean listing = op.kind() == TimedReader.Kind.LIST || op.kind() == TimedReader.Kind.LIST_DIRS;
                if (key != null && listing && (res.ok() || res.status() == Status.MISSING)) {
                    List<String> more = packs(packPid(op.path()), until).children(key,
                            op.kind() == TimedReader.Kind.LIST_DIRS);
                    if (!more.isEmpty()) {
                        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(res.lines());
                        names.addAll(more);
                        res = new Result(Status.OK, String.join("\n", names), null);
                    }
                }
                out[i] = res;
            }
            return java.util.Arrays.asList(out);
        }

        /** The path of {@code p} under proc/PID ('/'-separated), or null when it is not below a process's directory. */
        private String packKey(Path p) {
            if (!p.startsWith(proc)) {
                return null;
            }
            Path r = proc.relativize(p);
            String pid = r.getNameCount() < 2 ? "" : r.getName(0).toString();
            if (!isNumber(pid) || Long.parseLong(pid) > Integer.MAX_VALUE) {
                return null;
            }
            return r.subpath(1, r.getNameCount()).toString().replace('\\', '/');
        }

        /** The pid of a path {@link #packKey} answered for. */
        private int packPid(Path p) {
            return Integer.parseInt(proc.relativize(p).getName(0).toString());
        }

        /** The pack files of a process in a bundle, read once (none: empty). */
        private final Map<Integer, ProcessPack.Contents> packs = new java.util.HashMap<>();

        private ProcessPack.Contents packs(int pid, long until) {
            ProcessPack.Contents c = packs.get(pid);
            if (c != null) {
                return c;
            }
            c = new ProcessPack.Contents();
            packs.put(pid, c);
            for (int n = 1; n <= 100_000 && c.problem() == null; n++) {
                Path p = ProcessPack.path(proc, pid, n);
                Result r = runOnReader(List.of(Op.read(p)), until).get(0);
                if (!r.ok()) {
                    if (r.status() != Status.MISSING) {
                        ev.warn(p + ": not read (" + r.status() + ")");
                    }
                    break;
                }
                c.addText(r.text(), p.toString());
            }
            if (c.problem() != null) {
                ev.warn(c.problem());
            }
            return c;
        }

        private List<Result> runOnReader(List<Op> ops, long until) {
            if (stopped) {
                return skipped(ops.size());
            }
            if (reader.saturated()) {
                stop("stopped reading: " + reader.stuck() + " reads are stuck in the kernel");
                return skipped(ops.size());
            }
            if (System.nanoTime() >= deadline) {
                stop("stopped reading at the " + options.deadline().toMillis() + " ms deadline");
                return skipped(ops.size());
            }
            List<Result> rs = reader.run(ops, bundle, perOp, Math.min(until, deadline));
            if (saver != null) {
                for (int i = 0; i < ops.size(); i++) {
                    Op op = ops.get(i);
                    Result r = rs.get(i);
                    if (r.ok() && op.kind() == TimedReader.Kind.READ) {
                        saver.save(op.path(), r.text());
                    }
                }
            }
            return rs;
        }

        /** {@link #run} as a stream: each result goes to {@code sink} (and into the bundle) as it arrives. */
        private void stream(List<Op> ops, long until, TimedReader.Sink sink) {
            if (bundle || stopped || reader.saturated() || System.nanoTime() >= deadline) {
                List<Result> rs = run(ops, until); // says why it stopped
                for (int i = 0; i < rs.size(); i++) {
                    sink.accept(i, rs.get(i));
                }
                return;
            }
            reader.stream(ops, bundle, perOp, Math.min(until, deadline), (i, r) -> {
                if (saver != null && r.ok() && ops.get(i).kind() == TimedReader.Kind.READ) {
                    saver.save(ops.get(i).path(), r.text());
                }
                sink.accept(i, r);
            });
        }

        private List<Result> skipped(int n) {
            List<Result> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Result(Status.SKIPPED, null, "scan stopped"));
            }
            return out;
        }

        private void stop(String why) {
            if (!stopped) {
                stopped = true;
                ev.warn(why + "; what was read so far is reported");
            }
        }

        /** Waits for the bundle's writes, at most {@link #SAVE_GRACE} past the scan's deadline. */
        private void finishSaving() {
            if (saver != null) {
                saver.finish(Math.max(0, deadline - System.nanoTime()) + SAVE_GRACE.toNanos(), ev);
            }
        }

        private void saveLink(Path p, String target) {
            if (saver != null) {
                saver.saveLink(p, target);
            }
        }

        // ---- host

        private void host() {
            List<Op> ops = new ArrayList<>();
            Path kernel = proc.resolve("sys").resolve("kernel");
            for (String s : SYSCTLS) {
                ops.add(Op.read(kernel.resolve(s)));
            }
            ops.add(Op.read(LoadAvg.path(proc)));
            List<String> psi = PressureFile.RESOURCES;
            for (String r : psi) {
                ops.add(Op.read(PressureFile.path(proc, r)));
            }
            List<Result> rs = run(ops, deadline);
            for (int i = 0; i < SYSCTLS.length; i++) {
                String v = text(rs.get(i));
                if (v == null) {
                    continue;
                }
                v = v.strip();
                switch (SYSCTLS[i]) {
                    case "osrelease" -> ev.host().kernelRelease(v);
                    case "hostname" -> ev.host().hostname(v);
                    default -> ev.host().sysctls().put("kernel." + SYSCTLS[i], v);
                }
            }
            String load = text(rs.get(SYSCTLS.length));
            if (load != null) {
                ev.host().loadavg(load.strip());
            }
            for (int i = 0; i < psi.size(); i++) {
                String some = PressureFile.firstLine(text(rs.get(SYSCTLS.length + 1 + i)));
                if (some != null) {
                    ev.host().pressure().put(psi.get(i), some);
                }
            }
            blockDevices();
        }

        /**
         * Requests in flight per block device (/sys/block/DEV/inflight: "reads writes"): a device whose count stays
         * up while tasks sit in io_schedule is where a block I/O stall ends. Idle devices (0 0) are not recorded.
         */
        private void blockDevices() {
            if (sys == null) {
                return;
            }
            Path block = sys.resolve("block");
            Result list = run1(Op.listDirs(block), deadline);
            if (!list.ok()) {
                return;
            }
            List<String> devs = new ArrayList<>(list.lines());
            devs.sort(null);
            List<Op> ops = new ArrayList<>();
            for (String d : devs.subList(0, Math.min(devs.size(), 256))) {
                ops.add(Op.read(block.resolve(d).resolve("inflight")));
            }
            List<Result> rs = run(ops, deadline);
            for (int i = 0; i < rs.size(); i++) {
                String v = text(rs.get(i));
                if (v == null) {
                    continue;
                }
                String[] rw = v.trim().split("\\s+");
                if (rw.length == 2 && !(rw[0].equals("0") && rw[1].equals("0"))) {
                    ev.host().sysctls().put("block." + devs.get(i) + ".inflight", rw[0] + " reads, " + rw[1] + " writes");
                }
            }
        }

        // ---- processes and threads

        private void processes() {
            Result top = run1(Op.list(proc), processDeadline);
            if (!top.ok()) {
                ev.warn(proc + ": cannot list processes (" + top.status() + ")");
                return;
            }
            List<Integer> pids = new ArrayList<>();
            for (String name : top.lines()) {
                if (isNumber(name)) {
                    pids.add(Integer.parseInt(name));
                }
            }
            pids.sort(null);
            hot = new java.util.HashSet<>(options.hotPids());
            Map<Integer, Integer> threadsOf = options.threadCounts();
            if (!bundle && options.statePass()) {
                ProcessOrder.StatePass pass = new ProcessOrder.StatePass(reader, proc, perOp, THREAD_CHUNK, hot);
                pass.run(pids, start + (processDeadline - start) / 4);
                passTimedOut = pass.timedOut();
                threadsOf = pass.threadsOf();
            }
            pids = ProcessOrder.hotFirst(pids, hot, threadsOf);
            int read = 0;
            for (int pid : pids) {
                if (stopped) {
                    break;
                }
                if (read >= options.maxPids()) {
                    ev.warn("read the first " + read + " of " + pids.size() + " processes (cap)");
                    break;
                }
                if (System.nanoTime() >= processDeadline) {
                    ev.warn("process scan stopped at its share of the deadline: read " + read + " of "
                            + pids.size() + " processes");
                    break;
                }
                Result hung = passTimedOut.get(pid);
                if (hung != null) {
                    giveUp(pid, List.of(), List.of(hung));
                } else {
                    process(pid);
                }
                read++;
            }
            if (stacksDenied > 0) {
                ev.warn(stacksRead == 0 ? "kernel stacks (/proc/PID/stack) are not readable: " + (!bundle
                        && UserNamespace.nested(proc) ? "this runs in a user namespace and the kernel shows stacks"
                        + " only to root of the host's initial one" : "run as root for stacks")
                        : "kernel stacks of " + stacksDenied + " task(s) were not readable (permission denied)");
            }
        }

        /** Pids and tids read first: the options' and those the state pass saw in D. */
        private Set<Integer> hot = Set.of();
        /** Processes whose stat did not answer in the state pass: not read again. */
        private Map<Integer, Result> passTimedOut = Map.of();

        private void process(int pid) {
            capped = 0;
            Path pd = proc.resolve(Integer.toString(pid));
            // cgroup is read once per process: the memory controller is per process (v2 domains, v1 mm owner)
            // live task/ holds only directories: listing it without a stat per entry saves one syscall a thread
            Path taskList = pd.resolve("task");
            List<Op> ops = new ArrayList<>(List.of(bundle ? Op.listDirs(taskList) : Op.list(taskList),
                    Op.readlink(pd.resolve("ns").resolve("pid")), Op.list(PidFdLink.dir(proc, pid))));
            if (!cgroupBlocked) {
                ops.add(Op.read(pd.resolve(CGROUP)));
            }
            // a process too big to be read whole whose thread ids the caller knows: task/ is not listed again
            int[] known = bundle ? null : options.knownThreads().get(pid);
            if (known != null && known.length + 1 <= options.maxThreadsPerProcess()) {
                known = null;
            }
            if (known != null) {
                ops.remove(0);
            }
            List<Result> rs = new ArrayList<>(run(ops, processDeadline));
            if (known != null) {
                rs.add(0, new Result(Status.OK, "", "thread ids known"));
            }
            if (rs.size() == 4 && rs.get(3).status() == Status.TIMEOUT && !timedOut(rs.subList(0, 3))) {
                // /proc/PID/cgroup takes the host-wide cgroup_mutex: when one blocks, they all will (a classic
                // container-host hang). Stop asking for it instead of paying a timeout per process.
                cgroupBlocked = true;
                ev.warn("/proc/" + pid + "/cgroup did not answer (cgroup_mutex held?): cgroup membership is not read"
                        + " for the rest of this scan");
                rs.set(3, new Result(Status.SKIPPED, null, "cgroup reads stopped"));
            }
            if (timedOut(rs)) {
                giveUp(pid, List.of(), rs);
                return;
            }
            while (rs.size() < 4) {
                rs.add(new Result(Status.SKIPPED, null, "cgroup reads stopped"));
            }
            String pidns = text(rs.get(1));
            if (pidns != null) {
                saveLink(pd.resolve("ns").resolve("pid"), pidns);
            }
            List<Path> threadDirs = new ArrayList<>();
            List<Integer> tids = new ArrayList<>();
            if (rs.get(0).ok()) {
                List<Integer> sorted = new ArrayList<>();
                if (known != null) {
                    sorted.add(pid);
                    for (int tid : known) {
                        if (tid != pid) {
                            sorted.add(tid);
                        }
                    }
                }
                for (String n : rs.get(0).lines()) {
                    if (isNumber(n)) {
                        sorted.add(Integer.parseInt(n));
                    }
                }
                sorted.sort(null);
                int total = sorted.size();
                if (!bundle) {
                    sorted = ProcessOrder.threads(pid, hot, options.maxThreadsPerProcess(), sorted);
                }
                if (total > sorted.size()) {
                    capped = total;
                }
                Path taskDir = pd.resolve("task");
                for (int tid : sorted) {
                    tids.add(tid);
                    threadDirs.add(taskDir.resolve(Integer.toString(tid)));
                }
            } else if (bundle) {
                // a bundle saved without task/ holds the process's own files only
                tids.add(pid);
                threadDirs.add(pd);
            } else {
                return; // gone
            }
            Result cgroup = rs.get(3);
            String memcg = null;
            if (cgroup.ok()) {
                PidCgroup.MemoryPath mp = PidCgroup.memoryPath(cgroup.text());
                memcg = mp == null ? null : mp.path();
            }
            List<Task> mine = new ArrayList<>();
            // the descriptors first: every thread of a process serving /dev/fuse or a userfaultfd is read in full
            FdTargets fds = rs.get(2).ok() ? fdTargets(pid, pd, rs.get(2).lines()) : new FdTargets(List.of(), List.of(), Map.of());
            if (fds == null) {
                return;
            }
            boolean server = !fds.uffds.isEmpty() || !fds.fuseFds.isEmpty();
            int total = capped;
            if (!threads(pid, tids, threadDirs, pidns, cgroup.ok(), memcg, server, mine)) {
                giveUp(pid, mine, List.of());
                return;
            }
            if (total > 0 && !mine.isEmpty()) { // none read: it exited (its thread ids may have come from the caller)
                String comm = mine.isEmpty() || mine.get(0).comm() == null ? "" : " (" + mine.get(0).comm() + ")";
                ev.warn("pid " + pid + comm + ": read " + tids.size() + " of its " + total + " threads (a full scan"
                        + " reads at most " + options.maxThreadsPerProcess() + " of one process; its leader and"
                        + " threads seen in D came first)");
            }
            if (mine.size() > 1 && mine.get(0).pid() == pid && mine.get(0).state() == TaskState.ZOMBIE) {
                liveThreadsCgroup(pid, pd, mine);
            }
            fdinfos(pid, pd, fds, mine);
            if (mine.stream().anyMatch(ProcTreeReader::waitsInFuse)) {
                fuseCaller(pid, pd, fds, mine);
            }
        }

        /**
         * A process with a task waiting for a FUSE answer: which connections it waits on, from what never waits on
         * a daemon: the waiting threads' system calls (the fd, or the path read from memory), else fdinfo's mnt_id
         * of each open file and the cwd link; paths are matched against its own mountinfo. The links of descriptors
         * on a FUSE mount go into a bundle too, so `analyze` ties the task to the same connection.
         */
        private void fuseCaller(int pid, Path pd, FdTargets fds, List<Task> mine) {
            List<Integer> plain = new ArrayList<>(fds.targets().keySet());
            plain.removeAll(fds.uffds());
            plain.removeAll(fds.fuseFds());
            List<Task> waiting = mine.stream().filter(ProcTreeReader::waitsInFuse).toList();
            List<Op> ops = new ArrayList<>(List.of(Op.read(MountinfoEntry.path(proc, Integer.toString(pid))),
                    Op.readlink(pd.resolve("cwd"))));
            for (int fd : plain) {
                ops.add(Op.read(FdinfoFile.path(proc, pid, fd)));
            }
            for (Task t : waiting) {
                ops.add(Op.read(TaskSyscall.path(proc, pid, t.pid())));
            }
            List<Result> rs = run(ops, deadline);
            String cwd = text(rs.get(1));
            if (cwd != null) {
                saveLink(pd.resolve("cwd"), cwd);
            }
            Map<Integer, Integer> mountOf = new java.util.HashMap<>();
            for (int i = 0; i < plain.size(); i++) {
                Long mnt = FdinfoFile.parse(text(rs.get(i + 2))).number("mnt_id");
                if (mnt != null) {
                    mountOf.put(plain.get(i), (int) (long) mnt);
                }
            }
            // what each waiting thread's system call is about: its fd, or its path (read from its memory, live only)
            List<Integer> targetMounts = new ArrayList<>();
            List<String> targetPaths = new ArrayList<>();
            for (int i = 0; i < waiting.size(); i++) {
                if (SyscallTarget.compat(waiting.get(i).frames())) {
                    continue; // a 32-bit call's number is from another table: its open files and cwd say the rest
                }
                Path mem = bundle ? null : pd.resolve("mem");
                SyscallTarget.Target t = SyscallTarget.of(text(rs.get(2 + plain.size() + i)), SyscallTarget.hostTable(),
                        mem, perOp);
                if (t == null) {
                    continue;
                }
                if (t.fd() != null && mountOf.containsKey(t.fd())) {
                    targetMounts.add(mountOf.get(t.fd()));
                } else if (t.path() != null) {
                    String base = t.path().startsWith("/") ? "" : Integer.valueOf(SyscallTarget.AT_FDCWD).equals(t.dirFd()) ? cwd
                            : fds.targets().get(t.dirFd());
                    if (base != null) {
                        targetPaths.add(base.isEmpty() ? t.path() : base + "/" + t.path());
                    }
                }
            }
            boolean precise = !targetMounts.isEmpty() || !targetPaths.isEmpty();
            // without a call's own target, every open file and the cwd are candidates
            List<Integer> mounts = precise ? targetMounts : new ArrayList<>(mountOf.values());
            List<String> paths = precise ? targetPaths : cwd == null ? List.of() : List.of(cwd);
            fuse.caller(pid, text(rs.get(0)), paths, mounts);
            for (Map.Entry<Integer, Integer> e : mountOf.entrySet()) {
                // only descriptors on FUSE mounts: other paths are the host's business
                if (fuse.isFuseMount(e.getValue())) {
                    saveLink(PidFdLink.path(proc, pid, e.getKey()), fds.targets().get(e.getKey()));
                }
            }
        }

        /** Set by {@link #process} when its threads were capped: how many it has. */
        private int capped;
        /** Set when a /proc/PID/cgroup read timed out: the rest of the scan does not ask again. */
        private boolean cgroupBlocked;

        /**
         * Reads the threads in chunks of {@link #THREAD_CHUNK}, each chunk in two timed batches parsed while the
         * pool thread reads on. First stat and wchan of every thread (what ps reads); then status and the kernel
         * stack of each thread that {@link #needsFullRead} says could matter. A bundle holds what its live scan
         * read, so it is read whole in one batch. False when a file timed out: the rest of the process is not read.
         */
        private boolean threads(int pid, List<Integer> tids, List<Path> dirs, String pidns, boolean haveCgroup,
                                String memcg, boolean server, List<Task> mine) {
            ThreadFile[] first = ThreadFile.firstBatch(bundle, !haveCgroup && !cgroupBlocked);
            ThreadFile[] second = ThreadFile.fullBatch();
            for (int from = 0; from < tids.size(); from += THREAD_CHUNK) {
                if (stopped || System.nanoTime() >= processDeadline) {
                    return true; // processes() says where it stopped
                }
                int to = Math.min(tids.size(), from + THREAD_CHUNK);
                ThreadFiles[] chunk = new ThreadFiles[to - from];
                for (int i = from; i < to; i++) {
                    chunk[i - from] = new ThreadFiles(tids.get(i), dirs.get(i));
                }
                List<ThreadFiles> all = List.of(chunk);
                readInto(all, first);
                if (!bundle) {
                    List<ThreadFiles> full = new ArrayList<>();
                    for (ThreadFiles tf : chunk) {
                        if (tf.timedOut()) {
                            break; // nothing more of this process is read
                        }
                        if (needsFullRead(tf, pid, server)) {
                            full.add(tf);
                        }
                    }
                    if (!anyTimedOut(chunk)) {
                        readInto(full, second);
                    }
                }
                for (ThreadFiles tf : chunk) {
                    ThreadRead tr = thread(pid, pidns, tf, memcg);
                    if (tr.task != null) {
                        mine.add(tr.task);
                    }
                    if (tr.timedOut) {
                        return false;
                    }
                }
            }
            return true;
        }

        private boolean anyTimedOut(ThreadFiles[] chunk) {
            for (ThreadFiles tf : chunk) {
                if (tf.timedOut()) {
                    return true;
                }
            }
            return false;
        }

        /** Reads {@code files} of each thread in one timed batch, parsing each result as it arrives. */
        private void readInto(List<ThreadFiles> threads, ThreadFile[] files) {
            if (threads.isEmpty()) {
                return;
            }
            int per = files.length;
            List<Op> ops = new ArrayList<>(threads.size() * per);
            for (ThreadFiles tf : threads) {
                for (ThreadFile f : files) {
                    ops.add(Op.read(tf.dir.resolve(f.file)));
                }
            }
            stream(ops, processDeadline, (i, r) -> threads.get(i / per).take(files[i % per], r, stacks));
        }

        /**
         * Whether status and stack of a thread are read, from its stat and wchan: always for a process's leader
         * (its status has the process's memory and namespace pids), for every thread of a FUSE or userfaultfd
         * server, and for every thread not asleep (S, I) in one of the {@link IdleWaits}: a thread parked in
         * futex_wait or epoll is no hang suspect and holds nothing another task waits for, while one in
         * request_wait_answer, handle_userfault or any wait not on the list may be either.
         */
        private boolean needsFullRead(ThreadFiles tf, int pid, boolean server) {
            if (tf.tid == pid || server || tf.stat() == null) {
                return true;
            }
            char state = tf.stat().state();
            if (state != 'S' && state != 'I') {
                return true;
            }
            Result wchan = tf.result(ThreadFile.WCHAN);
            String w = wchan == null || !wchan.ok() ? null : PidWchan.parse(wchan.text());
            if (w == null) {
                return true;
            }
            return !IdleWaits.isIdle(w);
        }

        /** Parsed stacks by their text, for this scan. */
        private final StackCache stacks = new StackCache();

        /** One thread's outcome: its task (null when it exited or was not read), and whether a read timed out. */
        private record ThreadRead(Task task, boolean timedOut) {
        }

        private ThreadRead thread(int pid, String pidns, ThreadFiles tf, String memcg) {
            List<Result> rs = tf.results();
            boolean timedOut = tf.timedOut();
            boolean allSkipped = true;
            for (Result r : rs) {
                allSkipped &= r.status() == Status.SKIPPED;
            }
            Result statFile = tf.result(ThreadFile.STAT);
            Result statusFile = tf.result(ThreadFile.STATUS);
            Result wchanFile = tf.result(ThreadFile.WCHAN);
            Status statSeen = statFile == null ? null : statFile.status();
            if (statSeen == Status.MISSING && (statusFile == null || statusFile.status() == Status.MISSING)
                    && (wchanFile == null || wchanFile.status() == Status.MISSING)) {
                return new ThreadRead(null, timedOut); // the thread exited
            }
            if (!timedOut && allSkipped) {
                return new ThreadRead(null, false); // the scan stopped before this thread
            }
            int tid = tf.tid;
            Task t = new Task(tid).tgid(pid).source(source).pidNamespace(pidns);
            PidStat.Fields st = tf.stat();
            if (st != null) {
                t.comm(st.comm()).state(TaskState.parse(String.valueOf(st.state()))).ppid(st.ppid()).flags(st.flags())
                        .cpu(st.processor()).startTime(st.startTime());
            }
            PidStatus ss = tf.status();
            if (ss != null) {
                if (t.comm() == null) {
                    t.comm(ss.name());
                }
                if (t.state() == TaskState.UNKNOWN) {
                    t.state(TaskState.parse(ss.state()));
                }
                if (ss.tgid() != null) {
                    t.tgid(ss.tgid());
                }
                if (t.ppid() == null) {
                    t.ppid(ss.ppid());
                }
                t.sigPnd(ss.sigPnd()).shdPnd(ss.shdPnd()).sigBlk(ss.sigBlk()).nsPids(ss.nsPids()).rssKb(ss.vmRssKb())
                        .swapKb(ss.vmSwapKb()).pageTablesKb(ss.vmPteKb()).contextSwitches(ss.contextSwitches());
            }
            String wchan = PidWchan.parse(text(wchanFile == null ? MISSING : wchanFile));
            if (wchan != null) {
                t.wchan(wchan);
            }
            Result stackFile = tf.result(ThreadFile.STACK);
            if (tf.frames() != null) {
                stacksRead++;
                t.frames(tf.frames());
            } else if (stackFile != null && stackFile.status() == Status.DENIED) {
                stacksDenied++;
            }
            Result cgroupFile = tf.result(ThreadFile.CGROUP);
            if (cgroupFile != null) {
                PidCgroup.MemoryPath mp = PidCgroup.memoryPath(text(cgroupFile));
                if (mp != null) {
                    t.memoryCgroup(mp.path());
                }
            } else if (memcg != null) {
                t.memoryCgroup(memcg);
            }
            for (Result r : rs) {
                if (r.status() == Status.TIMEOUT || r.status() == Status.REFUSED) {
                    t.unreadable(true);
                    ev.warn("task " + tid + " (pid " + pid + "): " + r.detail()
                            + (r.status() == Status.TIMEOUT ? "; skipped the rest of this process" : ""));
                } else if (r.status() == Status.ERROR) {
                    ev.warn(r.detail());
                }
            }
            return new ThreadRead(ev.addTask(t), timedOut);
        }

        /**
         * A zombie leader's cgroup file may no longer name the cgroup its live threads are in (3.10 moves an exited
         * task to the root): those threads take the cgroup of the first of them instead.
         */
        private void liveThreadsCgroup(int pid, Path pd, List<Task> mine) {
            Task first = null;
            for (Task t : mine) {
                if (t.state() != TaskState.ZOMBIE && t.state() != TaskState.DEAD) {
                    first = t;
                    break;
                }
            }
            if (first == null || cgroupBlocked) {
                return;
            }
            Result r = run1(Op.read(pd.resolve("task").resolve(Integer.toString(first.pid())).resolve(CGROUP)),
                    processDeadline);
            if (!r.ok()) {
                return;
            }
            PidCgroup.MemoryPath mp = PidCgroup.memoryPath(r.text());
            for (Task t : mine) {
                if (t != mine.get(0)) {
                    t.memoryCgroup(mp == null ? null : mp.path());
                }
            }
        }

        private boolean timedOut(List<Result> rs) {
            return ScanReads.timedOut(rs);
        }

        /** A file of this process hung: mark what we have unreadable and read nothing more of it. */
        private void giveUp(int pid, List<Task> mine, List<Result> rs) {
            if (mine.isEmpty()) {
                Task t = new Task(pid).tgid(pid).source(source).unreadable(true);
                ev.addTask(t).unreadable(true);
            }
            for (Task t : mine) {
                t.unreadable(true);
            }
            for (Result r : rs) {
                if (r.status() == Status.TIMEOUT) {
                    ev.warn("pid " + pid + ": " + r.detail() + "; skipped the rest of this process");
                }
            }
        }

        /** A process's userfaultfd and /dev/fuse descriptors. */
        private record FdTargets(List<Integer> uffds, List<Integer> fuseFds, Map<Integer, String> targets) {
        }

        /** Which descriptors are userfaultfds or /dev/fuse; null when a link did not answer (the process is given up). */
        private FdTargets fdTargets(int pid, Path pd, List<String> names) {
            List<Integer> fds = new ArrayList<>();
            for (String n : names) {
                String s = n.endsWith(LINK_SUFFIX) ? n.substring(0, n.length() - LINK_SUFFIX.length()) : n;
                if (isNumber(s)) {
                    fds.add(Integer.parseInt(s));
                }
            }
            fds.sort(null);
            if (fds.size() > options.maxFdsPerPid()) {
                ev.warn("pid " + pid + ": looked at the first " + options.maxFdsPerPid() + " of " + fds.size() + " fds");
                fds = fds.subList(0, options.maxFdsPerPid());
            }
            List<Integer> uffds = new ArrayList<>();
            List<Integer> fuseFds = new ArrayList<>();
            Map<Integer, String> targets = new java.util.LinkedHashMap<>();
            for (int from = 0; from < fds.size(); from += FD_BATCH) {
                List<Integer> chunk = fds.subList(from, Math.min(fds.size(), from + FD_BATCH));
                List<Op> ops = new ArrayList<>(chunk.size());
                for (int fd : chunk) {
                    ops.add(Op.readlink(PidFdLink.path(proc, pid, fd)));
                }
                List<Result> rs = run(ops, processDeadline);
                for (int i = 0; i < chunk.size(); i++) {
                    String target = text(rs.get(i));
                    if (target != null) {
                        targets.put(chunk.get(i), target);
                    }
                    if (PidFdLink.userfaultfd(target)) {
                        uffds.add(chunk.get(i));
                    } else if (PidFdLink.fuseDevice(target)) {
                        fuseFds.add(chunk.get(i));
                    } else {
                        continue;
                    }
                    // only the descriptors hangdoctor uses go into a bundle: other paths are the host's business
                    saveLink(PidFdLink.path(proc, pid, chunk.get(i)), target);
                }
                if (timedOut(rs)) {
                    giveUp(pid, List.of(), rs);
                    return null;
                }
            }
            return new FdTargets(uffds, fuseFds, targets);
        }

        private void fdinfos(int pid, Path pd, FdTargets targets, List<Task> mine) {
            List<Integer> uffds = targets.uffds();
            List<Integer> wanted = new ArrayList<>(uffds);
            wanted.addAll(targets.fuseFds());
            if (wanted.isEmpty()) {
                return;
            }
            List<Op> ops = new ArrayList<>();
            for (int fd : wanted) {
                ops.add(Op.read(FdinfoFile.path(proc, pid, fd)));
            }
            List<Result> rs = run(ops, processDeadline);
            for (int i = 0; i < wanted.size(); i++) {
                int fd = wanted.get(i);
                FdinfoFile info = FdinfoFile.parse(text(rs.get(i)));
                if (i < uffds.size()) {
                    ev.addUffd(new UffdHandle(pid, fd, info.uffdPending(), info.uffdTotal(), info.inode()));
                } else {
                    fuse.holder(pid, info.fuseConnection());
                }
            }
            if (timedOut(rs)) {
                giveUp(pid, mine, rs);
            }
        }

        /**
         * /proc/PID/oom_score_adj of every process inside a memory cgroup with a limit (or below one): with RSS, swap
         * and page tables it decides which process that cgroup's OOM killer would choose. Other processes are not
         * read: one small file each, only where a cgroup OOM can happen.
         */
        private void oomScoreAdjs() {
            List<String> limited = new ArrayList<>();
            Set<Integer> members = new java.util.HashSet<>();
            for (MemCgroup m : ev.memCgroups()) {
                if (!m.unlimited() && m.limitBytes() != null) {
                    limited.add(m.path());
                    members.addAll(m.pids());
                }
            }
            if (limited.isEmpty()) {
                return;
            }
            List<Task> leaders = new ArrayList<>();
            for (Task t : ev.tasks()) {
                boolean leader = t.tgid() == null || t.tgid() == t.pid();
                // cgroup.procs names direct members; the tasks' own cgroup paths add those of child cgroups
                boolean inside = members.contains(t.pid())
                        || (t.memoryCgroup() != null && withinAny(t.memoryCgroup(), limited));
                if (leader && inside && !t.unreadable()) {
                    leaders.add(t);
                }
            }
            for (int from = 0; from < leaders.size() && !stopped; from += FD_BATCH) {
                List<Task> chunk = leaders.subList(from, Math.min(leaders.size(), from + FD_BATCH));
                List<Op> ops = new ArrayList<>(chunk.size());
                for (Task t : chunk) {
                    ops.add(Op.read(PidOomScoreAdj.path(proc, t.pid())));
                }
                List<Result> rs = run(ops, deadline);
                for (int i = 0; i < chunk.size(); i++) {
                    chunk.get(i).oomScoreAdj(PidOomScoreAdj.parse(text(rs.get(i))));
                }
            }
        }

        private static boolean withinAny(String path, List<String> tops) {
            for (String top : tops) {
                if (path.equals(top) || top.equals("/") || path.startsWith(top + "/")) {
                    return true;
                }
            }
            return false;
        }
    }
}
