package dev.hangdoctor.act;

import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.procfs.MemcgLimit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Finds a memory cgroup's directory on the host from the path the reader recorded (relative to its hierarchy). */
final class CgroupDirs {
    private CgroupDirs() {
    }

    static Path memoryDir(Path hostRoot, MemCgroup c) {
        Path base = hostRoot.resolve("sys/fs/cgroup");
        String rel = c.path().startsWith("/") ? c.path().substring(1) : c.path();
        if (c.version() == 2) {
            for (Path top : new Path[] {base, base.resolve("unified")}) {
                Path d = rel.isEmpty() ? top : top.resolve(rel);
                if (Files.exists(MemcgLimit.path(d, 2))) {
                    return d;
                }
            }
            return null;
        }
        try (Stream<Path> tops = Files.list(base)) {
            // v1 hierarchies are named after their controllers: "memory", or co-mounted ones like "cpu,memory"
            for (Path top : tops.filter(p -> p.getFileName().toString().contains("memory")).toList()) {
                Path d = rel.isEmpty() ? top : top.resolve(rel);
                if (Files.exists(MemcgLimit.path(d, 1))) {
                    return d;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
