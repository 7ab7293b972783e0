package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Benchmark entry, not part of the CLI: reads a /proc tree N times with {@link ProcTreeReader} (sample 1 of a scan)
 * and prints the best wall time, and the first one (what a one-shot `scan` pays: classes not yet loaded, code not
 * yet compiled). Usage: {@code java -cp hangdoctor.jar dev.hangdoctor.collect.ScanBench [ROOT] [N]}.
 */
public final class ScanBench {
    private ScanBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "/");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ProcTreeReader.Options o = ProcTreeReader.Options.defaults().withDeadline(Duration.ofSeconds(120));
        long best = Long.MAX_VALUE;
        long first = 0;
        int tasks = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Evidence e = new ProcTreeReader(root, o).read();
            long t = System.nanoTime() - t0;
            best = Math.min(best, t);
            if (i == 0) {
                first = t;
            }
            tasks = e.tasks().size();
            if (!e.warnings().isEmpty()) {
                System.err.println("warnings: " + e.warnings());
            }
        }
        System.out.printf("tasks=%d runs=%d best_ms=%.1f first_ms=%.1f%n", tasks, n, best / 1e6, first / 1e6);
    }
}
