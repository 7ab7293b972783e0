package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.List;

/**
 * v2 cgroup.controllers: the controllers enabled in a cgroup, space separated on one line (`cpuset cpu io memory
 * pids`). Only a v2 hierarchy has the file, so its presence at sys/fs/cgroup or sys/fs/cgroup/unified tells where the
 * v2 root is.
 */
public final class CgroupControllers {
    private CgroupControllers() {
    }

    /** The controllers file of a cgroup directory. */
    public static Path path(Path cgroupDir) {
        return cgroupDir.resolve("cgroup.controllers");
    }

    /** The controllers named, in file order; empty for null or blank text. */
    public static List<String> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return List.of(text.strip().split("\\s+"));
    }
}
