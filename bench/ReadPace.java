import dev.hangdoctor.parse.EvidenceReader;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reading pace of one warm JVM: reads a log RUNS times with {@link EvidenceReader} and prints the best run's CPU
 * time on the reading thread's own clock, which the machine's other load moves less than wall time, and the best
 * run's CPU time of the whole process: a big log is screened on a second thread (ScreenAhead), whose work the reading
 * thread's clock does not see. Usage: {@code java -cp hangdoctor.jar:DIR ReadPace FILE RUNS}; prints
 * "SECONDS MB_PER_S PROCESS_SECONDS".
 */
public final class ReadPace {
    private ReadPace() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean process =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long best = Long.MAX_VALUE;
        long bestProcess = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long start = clock.getCurrentThreadCpuTime();
            long processStart = process.getProcessCpuTime();
            try (InputStream in = Files.newInputStream(file)) {
                EvidenceReader.read(in, file.getFileName().toString());
            }
            best = Math.min(best, clock.getCurrentThreadCpuTime() - start);
            bestProcess = Math.min(bestProcess, process.getProcessCpuTime() - processStart);
        }
        double seconds = best / 1e9;
        System.out.printf(java.util.Locale.ROOT, "%.3f %.0f %.3f%n", seconds, Files.size(file) / 1048576.0 / seconds,
                bestProcess / 1e9);
    }
}
