package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.List;

/**
 * Pressure stall information (Documentation/accounting/psi.rst): /proc/pressure/{cpu,memory,io} host-wide and
 * memory.pressure of a v2 cgroup, two lines `some avg10=0.00 avg60=0.00 avg300=0.00 total=0` and `full ...` (the
 * share of time some or all non-idle tasks were stalled, over 10, 60 and 300 s).
 */
public final class PressureFile {
    /** The resources the kernel reports host-wide. */
    public static final List<String> RESOURCES = List.of("cpu", "memory", "io");

    private PressureFile() {
    }

    /** /proc/pressure/RESOURCE under a proc root. */
    public static Path path(Path procRoot, String resource) {
        return procRoot.resolve("pressure").resolve(resource);
    }

    /** memory.pressure of a v2 cgroup directory. */
    public static Path memoryPath(Path cgroupDir) {
        return cgroupDir.resolve("memory.pressure");
    }

    /** The first line (the `some` one) without its newline, or null for blank text. */
    public static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return text.strip().split("\n")[0];
    }

    /** avg10 of the `some` line, in percent, or null when the text has none. */
    public static Double someAvg10(String text) {
        if (text == null) {
            return null;
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("some ")) {
                int i = line.indexOf("avg10=");
                if (i < 0) {
                    return null;
                }
                int end = line.indexOf(' ', i);
                try {
                    return Double.parseDouble(line.substring(i + 6, end < 0 ? line.length() : end));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
