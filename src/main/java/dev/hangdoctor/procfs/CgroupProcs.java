package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** cgroup.procs: the processes directly in a cgroup (v1 and v2), one pid a line, in no particular order. */
public final class CgroupProcs {
    private CgroupProcs() {
    }

    /** The procs file of a cgroup directory. */
    public static Path path(Path cgroupDir) {
        return cgroupDir.resolve("cgroup.procs");
    }

    /** At most {@code max} pids, in file order; lines that are not pids are skipped. */
    public static List<Integer> parse(String text, int max) {
        List<Integer> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            if (out.size() >= max) {
                break;
            }
            Integer v = ProcNumbers.parseInt(line.trim());
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }
}
