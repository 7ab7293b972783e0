package dev.hangdoctor.watch;

import dev.hangdoctor.collect.HeldBundle;
import dev.hangdoctor.collect.LiveSampler;
import dev.hangdoctor.collect.TimedReader;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.model.Evidence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Benchmark entry, not part of the CLI: the agent's full scan of this host (its options, a cheap sample before each
 * as in the agent) N times, with the CPU of the process (user, system; clock ticks of /proc/self/stat, CLK_TCK a
 * second) for the scan,
 * its diagnosis and, with {@code write}, for writing the scan's bundle as an incident that opens would and deleting
 * it again. Usage: {@code java -cp hangdoctor.jar dev.hangdoctor.watch.AgentScanBench [N=10] [WINDOW_MS=1000]
 * [write]} (bench/agent-scan-cost.sh runs it with the agent's JVM flags beside a thread holder).
 */
public final class AgentScanBench {
    private AgentScanBench() {
    }

    private static long[] ticks() throws Exception {
        String s = Files.readString(Path.of("/proc/self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long windowMs = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        boolean write = args.length > 2 && args[2].equals("write");
        WatchConfig d = WatchConfig.defaults();
        WatchConfig cfg = d.withRoot(Path.of("/")).withScan(Duration.ofMillis(windowMs), d.rescanEvery(), d.resolveAfter());
        CheapSampler sampler = new CheapSampler(cfg.root(), cfg.stuckAfter(), cfg.threadReadsPerInterval(),
                new TimedReader(16));
        for (int i = 0; i < 3; i++) {
            sampler.sample();
            Thread.sleep(300);
        }
        DiagnosisPipeline pipeline = DiagnosisPipeline.withRules(List.of());
        Path tmp = Files.createTempDirectory("hangdoctor-agent-scan-bench");
        try {
            for (int i = 0; i < n; i++) {
                sampler.sample();
                Path dir = tmp.resolve("scan-" + i);
                HeldBundle held = new HeldBundle(dir, HeldBundle.DEFAULT_MAX_BYTES);
                long[] c0 = ticks();
                long t0 = System.nanoTime();
                Evidence ev = new LiveSampler(cfg.root(), WatchAgent.scanOptions(cfg, sampler, held)).scan();
                long[] c1 = ticks();
                pipeline.diagnose(ev);
                long[] c2 = ticks();
                String bundle = "";
                if (write) {
                    Files.createDirectories(dir);
                    held.write();
                    long[] c3 = ticks();
                    long files;
                    try (Stream<Path> s = Files.walk(dir)) {
                        files = s.count();
                    }
                    IncidentStore.deleteTree(dir);
                    long[] c4 = ticks();
                    bundle = String.format(" bundle_entries=%d write_user=%d write_sys=%d delete_user=%d delete_sys=%d",
                            files, c3[0] - c2[0], c3[1] - c2[1], c4[0] - c3[0], c4[1] - c3[1]);
                }
                held.drop();
                System.out.printf("scan=%d tasks=%d wall_ms=%d scan_user=%d scan_sys=%d diagnose_user=%d diagnose_sys=%d%s%n",
                        i, ev.tasks().size(), (System.nanoTime() - t0) / 1_000_000, c1[0] - c0[0], c1[1] - c0[1],
                        c2[0] - c1[0], c2[1] - c1[1], bundle);
                Thread.sleep(500);
            }
        } finally {
            IncidentStore.deleteTree(tmp);
        }
    }
}
