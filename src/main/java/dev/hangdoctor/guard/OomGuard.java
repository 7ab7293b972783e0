package dev.hangdoctor.guard;

import dev.hangdoctor.act.ActionOutcome;
import dev.hangdoctor.act.ActionRunner;
import dev.hangdoctor.act.AuditLog;
import dev.hangdoctor.act.CgroupMembership;
import dev.hangdoctor.act.KillProcessAction;
import dev.hangdoctor.act.SafetyGuard;
import dev.hangdoctor.collect.LiveSource;
import dev.hangdoctor.procfs.MemcgStat;
import dev.hangdoctor.procfs.ProcSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The user-space OOM guard: watches the memory usage of the cgroups the config selects (v1 or v2) and, before usage
 * reaches the limit, kills the one process inside the cgroup that the kernel would have killed (adjusted by the
 * prefer/avoid/protect lists), so the kernel's memcg OOM path — where reclaim deadlocks begin — is never entered.
 * A dry run (the default) only reports what it would kill. Kills are re-checked against pid reuse and audited.
 */
public final class OomGuard implements AutoCloseable {
    public static final String AUDIT_FINDING = "oom-guard";
    public static final String AUDIT_ACTION = "oom-guard-kill";
    private static final int HISTORY = 256;
    private static final long RATE_TAU_NANOS = 50_000_000L;

    private final Path procRoot;
    /** The host's files, read with a timeout. */
    private final ProcSource host;
    private final GuardConfig cfg;
    private final ActionRunner runner;
    private final Consumer<GuardEvent> listener;
    private final SafetyGuard safety;
    private final VictimPicker picker;
    private final MemoryHierarchy hierarchy;
    private final Map<Path, WatchedCgroup> watched = new LinkedHashMap<>();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(64);
    private final Deque<GuardEvent> recent = new ArrayDeque<>();
    private final long intervalNanos;
    private final long horizonNanos;
    private long nextRescan = Long.MIN_VALUE;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param hostRoot "/" on a host, or a directory shaped like one (proc/, sys/fs/cgroup/, etc/passwd) in tests
     * @param audit    where kills and would-be kills are recorded; may be null
     * @param listener told of every event, on the guard's thread; may be null
     * @throws IllegalArgumentException when a user named in the lists does not exist on the host
     */
    public OomGuard(Path hostRoot, GuardConfig cfg, AuditLog audit, Consumer<GuardEvent> listener) {
        this.procRoot = hostRoot.resolve("proc");
        this.host = LiveSource.at(hostRoot);
        this.cfg = cfg;
        // the intent is written before each kill, but a kill is not given up because a disk is full: it keeps the
        // kernel out of the memcg OOM path, which is worth more than its audit line; the guard says so as an event
        this.runner = ActionRunner.forGuard(audit, w -> emit(new GuardEvent(Instant.now(), "-",
                GuardEvent.Kind.ERROR, -1, null, 0, 0, 0, Double.POSITIVE_INFINITY, "not written: " + w)));
        this.listener = listener;
        this.safety = new SafetyGuard(procRoot);
        this.picker = new VictimPicker(procRoot, cfg, safety, VictimPicker.resolveUsers(hostRoot, cfg));
        this.hierarchy = MemoryHierarchy.find(host);
        this.intervalNanos = cfg.interval().toNanos();
        this.horizonNanos = cfg.horizon().toNanos();
        warmUp();
    }

    /** Loads and runs the acting path once: a cold first kill costs tens of milliseconds of class loading. */
    private void warmUp() {
        try {
            picker.warmUp(hierarchy);
            LimitForecast.due(1 << 20, 2 << 20, 1e9, cfg.threshold(), horizonNanos, intervalNanos);
            var self = dev.hangdoctor.act.ProcessIdentity.read(procRoot, (int) ProcessHandle.current().pid());
            self.ifPresent(id -> runner.warmUp(new KillProcessAction(AUDIT_ACTION, AUDIT_FINDING, id, "warm-up",
                    Set.of(), safety, procRoot)));
            self.ifPresent(id -> CgroupMembership.refuseOutside(host, id.pid(), "/"));
            new GuardEvent(Instant.now(), "/", GuardEvent.Kind.KILLED, 1, "x", 1, 1, 1, 0.001, "warm-up").line();
        } catch (RuntimeException e) {
            // warming is an optimisation only
        }
    }

    /** Starts polling on a daemon thread; a no-op when already running or when the config is disabled. */
    public synchronized void start() {
        if (thread != null || !cfg.enabled()) {
            return;
        }
        if (hierarchy == null) {
            emit(new GuardEvent(Instant.now(), "-", GuardEvent.Kind.ERROR, -1, null, 0, 0, 0,
                    Double.POSITIVE_INFINITY, "no memory cgroup hierarchy (v1 memory or v2 with the memory"
                    + " controller) under " + procRoot.getParent() + "/sys/fs/cgroup: nothing to guard"));
            return;
        }
        running = true;
        thread = new Thread(this::loop, "hangdoctor-oom-guard");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    /** Stops the thread (waiting briefly for it) and closes the cgroup files. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            watched.values().forEach(WatchedCgroup::close);
            watched.clear();
        }
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            try {
                tickOnce();
            } catch (RuntimeException e) {
                emit(new GuardEvent(Instant.now(), "-", GuardEvent.Kind.ERROR, -1, null, 0, 0, 0,
                        Double.POSITIVE_INFINITY, "guard pass failed: " + e));
            }
            next += intervalNanos;
            long now = System.nanoTime();
            if (next < now) {
                next = now; // fell behind (a kill, a slow read): do not try to catch up in a burst
            } else {
                LockSupport.parkNanos(next - now);
            }
        }
    }

    /** One pass over every guarded cgroup: read usage, update the fill rate, act where the limit is near. */
    public synchronized void tickOnce() {
        long now = System.nanoTime();
        if (now - nextRescan >= 0 || nextRescan == Long.MIN_VALUE) {
            rescan();
            nextRescan = now + cfg.rescan().toNanos();
        }
        List<Path> gone = null;
        for (WatchedCgroup w : watched.values()) {
            long usage;
            try {
                usage = w.readUsage(buf);
            } catch (IOException e) {
                // removed between rescans: forget it quietly, it holds no processes any more
                (gone == null ? gone = new ArrayList<>() : gone).add(w.dir);
                continue;
            }
            long t = System.nanoTime();
            w.rate.add(t, usage);
            if (w.limit == null || t - w.quietUntilNanos < 0) {
                continue;
            }
            double rate = w.rate.bytesPerSecond();
            String why = LimitForecast.due(usage, w.limit, rate, cfg.threshold(), horizonNanos, intervalNanos);
            if (why == null) {
                continue;
            }
            // the kernel drops inactive page cache before it would OOM-kill: judge only what it cannot drop
            long cache = inactiveFile(w);
            if (cache > 0 && LimitForecast.due(usage - cache, w.limit, rate, cfg.threshold(), horizonNanos,
                    intervalNanos) == null) {
                continue;
            }
            act(w, usage, rate, why, cache);
        }
        if (gone != null) {
            gone.forEach(d -> watched.remove(d).close());
        }
    }

    private void rescan() {
        if (hierarchy == null) {
            return;
        }
        List<Path> now = hierarchy.select(cfg.cgroups());
        Set<Path> keep = Set.copyOf(now);
        watched.entrySet().removeIf(e -> {
            if (!keep.contains(e.getKey())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        for (Path dir : now) {
            WatchedCgroup w = watched.get(dir);
            try {
                if (w == null) {
                    watched.put(dir, WatchedCgroup.open(hierarchy, host, dir, RATE_TAU_NANOS));
                } else {
                    w.refreshLimit(host);
                }
            } catch (IOException | RuntimeException e) {
                // vanished or unreadable between listing and opening; the next rescan tries again
            }
        }
    }

    private long inactiveFile(WatchedCgroup w) {
        // memory.stat missing or not answering in time: count all usage as unreclaimable, the cautious side
        Long v = MemcgStat.parse(host.read(MemcgStat.path(w.dir)).text()).get(hierarchy.inactiveFileKey());
        return v == null ? 0 : v;
    }

    private void act(WatchedCgroup w, long sampled, double rate, String why, long cache) {
        long limit = w.limit;
        // the sample that made the forecast may be stale by now (a busy host delays this thread): the victim is
        // chosen from facts read at decision time, and they are judged against the usage read just before them
        long usage;
        try {
            usage = w.readUsage(buf);
        } catch (IOException e) {
            return; // removed meanwhile: the next pass forgets it
        }
        if (usage < sampled && LimitForecast.due(usage - cache, limit, rate, cfg.threshold(), horizonNanos,
                intervalNanos) == null) {
            return; // memory came back since the sample (the hog exited, was killed): nothing to do now
        }
        double eta = LimitForecast.secondsToLimit(usage, limit, rate);
        VictimPicker.Pick pick;
        try {
            pick = picker.pick(hierarchy, w.dir, limit);
        } catch (RuntimeException e) {
            quiet(w);
            emit(event(w, GuardEvent.Kind.ERROR, -1, null, usage, rate, eta, "choosing a victim failed: " + e));
            return;
        }
        if (pick.victim() == null) {
            quiet(w);
            emit(event(w, pick.onlyProtected() ? GuardEvent.Kind.SKIPPED_PROTECTED : GuardEvent.Kind.NOTHING_ELIGIBLE,
                    -1, null, usage, rate, eta, why + "; " + pick.why()));
            return;
        }
        var victim = pick.victim();
        String reason = why + "; chose " + victim.comm() + ":" + victim.pid()
                + (pick.victimCgroup().equals(w.path) ? "" : " in " + pick.victimCgroup()) + " (" + pick.why() + ")";
        String before = "cgroup " + w.path + " usage " + usage + " limit " + limit + " rate " + Math.round(rate)
                + " B/s";
        String unexplained = new MemoryCoverage(usage, cache, pick.membersBytes(), pick.victimBytes()).refusal();
        if (unexplained != null) {
            decline(w, pick, usage, rate, eta, reason, unexplained, before);
            return;
        }
        quiet(w);
        // right before the signal: the victim is still this cgroup's, still the cause (re-read), and the pid is its
        KillProcessAction kill = new KillProcessAction(AUDIT_ACTION, AUDIT_FINDING, victim, reason,
                Set.of(victim.pid()), safety, procRoot, () -> {
                    String outside = CgroupMembership.refuseOutside(host, victim.pid(), w.path);
                    return outside != null ? outside : recheck(w, pick, cache);
                });
        if (cfg.dryRun()) {
            emit(event(w, GuardEvent.Kind.WOULD_KILL, victim.pid(), victim.comm(), usage, rate, eta, reason));
            runner.dryRun(kill, before);
            return;
        }
        ActionOutcome o = runner.run(kill, before);
        if (!o.done()) {
            emit(event(w, GuardEvent.Kind.ERROR, victim.pid(), victim.comm(), usage, rate, eta,
                    reason + "; kill failed: " + (o.status() == ActionOutcome.Status.REFUSED ? "refused: " : "")
                            + o.detail()));
            return;
        }
        w.rate.reset();
        emit(event(w, GuardEvent.Kind.KILLED, victim.pid(), victim.comm(), usage, rate, eta, reason));
    }

    /** Starts the cooldown: one decision per cgroup per cooldown, whatever it was. */
    private void quiet(WatchedCgroup w) {
        w.quietUntilNanos = System.nanoTime() + cfg.cooldown().toNanos();
    }

    private String recheck(WatchedCgroup w, VictimPicker.Pick pick, long cache) {
        long usage;
        try {
            usage = w.readUsage(buf);
        } catch (IOException e) {
            return "re-check: cannot read the usage of " + w.path + " now: " + e.getMessage();
        }
        return picker.recheck(pick, usage, cache);
    }

    /** Reports and audits a kill the guard would not make; like any other decision it starts the cooldown. */
    private void decline(WatchedCgroup w, VictimPicker.Pick pick, long usage, double rate, double eta, String reason,
                         String refusal, String before) {
        quiet(w);
        var victim = pick.victim();
        emit(event(w, GuardEvent.Kind.DECLINED, victim.pid(), victim.comm(), usage, rate, eta,
                reason + "; not killing: " + refusal));
        runner.refuse(new KillProcessAction(AUDIT_ACTION, AUDIT_FINDING, victim, reason, Set.of(victim.pid()), safety,
                procRoot), before, refusal);
    }

    private GuardEvent event(WatchedCgroup w, GuardEvent.Kind kind, int pid, String comm, long usage, double rate,
                             double eta, String reason) {
        return new GuardEvent(Instant.now(), w.path, kind, pid, comm, usage, w.limit == null ? 0 : w.limit, rate, eta,
                reason);
    }

    private void emit(GuardEvent e) {
        synchronized (recent) {
            if (recent.size() == HISTORY) {
                recent.removeFirst();
            }
            recent.addLast(e);
        }
        if (listener != null) {
            try {
                listener.accept(e);
            } catch (RuntimeException ex) {
                // a broken listener must not stop the guard
            }
        }
    }

    /** The last events, oldest first (at most 256). */
    public List<GuardEvent> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** The cgroup paths guarded after the last rescan, for status output. */
    public synchronized List<String> guarded() {
        return watched.values().stream().map(w -> w.path).toList();
    }

    /** The config this guard runs with. */
    public GuardConfig config() {
        return cfg;
    }
}
