package dev.hangdoctor.guard;

import dev.hangdoctor.live.FillingCgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds the highest fill rate the OOM guard beats every time: a hog fills a 256 MiB v1 memory cgroup (kernel OOM
 * killer on) beside a quiet sibling, with the guard at its defaults (dryRun off) for that cgroup. A trial is won when
 * the guard killed the hog, the kernel's oom_kill counter stayed 0 and the sibling lives. First the hog's fastest
 * rate is measured; if the guard wins TRIALS of TRIALS there, that is the answer, else the rate is bisected.
 * Run by bench/guard-rate.sh as root; not part of the test suite.
 */
public final class GuardRateBench {
    private static final int LIMIT_MIB = 256;
    private static final int HOG_MIB = 512;

    private GuardRateBench() {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double fastest = fastestRate();
        System.out.printf(Locale.ROOT, "fastest hog: %.0f MiB/s (unpaced, 4 KiB pages)%n", fastest);
        if (run(0, trials, "unpaced")) {
            System.out.printf(Locale.ROOT, "RESULT guard wins %d/%d at the fastest hog: >= %.0f MiB/s%n", trials,
                    trials, fastest);
            return;
        }
        if (steps == 0) {
            // no search asked for (the benches' tiny mode): the unpaced trial is the whole run
            System.out.printf(Locale.ROOT, "RESULT guard loses at the fastest hog (%.0f MiB/s); no search (0 steps)%n",
                    fastest);
            return;
        }
        int lo = 0;
        int hi = (int) fastest;
        for (int probe = 100; probe < hi; probe *= 2) {
            if (!run(probe, trials, probe + " MiB/s")) {
                hi = probe;
                break;
            }
            lo = probe;
        }
        for (int i = 0; i < steps && hi - lo > 50; i++) {
            int mid = (lo + hi) / 2;
            if (run(mid, trials, mid + " MiB/s")) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        System.out.printf(Locale.ROOT, "RESULT guard wins %d/%d up to %d MiB/s (loses at %d MiB/s; fastest hog %.0f)%n",
                trials, trials, lo, hi, fastest);
    }

    /** The hog's own speed: touching 512 MiB in a cgroup without a limit. */
    private static double fastestRate() {
        double best = 0;
        for (int i = 0; i < 3; i++) {
            try (FillingCgroup cg = FillingCgroup.start(4 * HOG_MIB, 1, HOG_MIB, 0)) {
                cg.go();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!cg.hogFinished() && System.nanoTime() < deadline) {
                    sleep(5);
                }
                String[] f = cg.hogTranscript().lines().filter(l -> l.startsWith("touched ")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("hog did not finish: " + cg.hogTranscript()))
                        .split(" ");
                best = Math.max(best, HOG_MIB / (Long.parseLong(f[2]) / 1e9));
            }
        }
        return best;
    }

    /** TRIALS trials at {@code mibPerSecond} (0: unpaced); true when every one was won. */
    private static boolean run(int mibPerSecond, int trials, String label) throws Exception {
        int won = 0;
        List<String> losses = new ArrayList<>();
        long minHeadroom = Long.MAX_VALUE;
        for (int i = 0; i < trials; i++) {
            Trial t = trial(mibPerSecond);
            if (t.won) {
                won++;
                minHeadroom = Math.min(minHeadroom, (LIMIT_MIB << 20) - t.maxUsage);
            } else {
                losses.add(t.detail);
            }
        }
        System.out.printf(Locale.ROOT, "%-12s %2d/%d won; least headroom left under the limit %s%n", label, won, trials,
                minHeadroom == Long.MAX_VALUE ? "-" : (minHeadroom >> 20) + " MiB");
        losses.stream().limit(3).forEach(l -> System.out.println("    lost: " + l));
        return won == trials;
    }

    private record Trial(boolean won, long maxUsage, String detail) {
    }

    private static Trial trial(int mibPerSecond) throws Exception {
        List<GuardEvent> events = new CopyOnWriteArrayList<>();
        try (FillingCgroup cg = FillingCgroup.start(LIMIT_MIB, 8, HOG_MIB, mibPerSecond)) {
            GuardConfig cfg = GuardConfig.builder().enabled(true).dryRun(false).cgroup(cg.path()).build();
            boolean gone;
            try (OomGuard guard = new OomGuard(Path.of("/"), cfg, null, events::add)) {
                guard.start();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!guard.guarded().contains(cg.path()) && System.nanoTime() < deadline) {
                    sleep(2);
                }
                sleep(30);
                cg.go();
                gone = cg.awaitHogGone(Duration.ofSeconds(20));
            }
            boolean killed = events.stream().anyMatch(e -> e.kind() == GuardEvent.Kind.KILLED
                    && e.pid() == cg.hog().pid());
            long oom = cg.kernelOomKills();
            boolean sibling = cg.sibling().exists();
            boolean won = gone && killed && oom == 0 && sibling;
            String detail = "gone=" + gone + " guardKilled=" + killed + " kernelOomKills=" + oom + " siblingAlive="
                    + sibling + " maxUsage=" + (cg.maxUsage() >> 20) + "MiB failcnt=" + cg.failcnt() + " events="
                    + events.stream().map(GuardEvent::line).toList();
            return new Trial(won, cg.maxUsage(), detail);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
