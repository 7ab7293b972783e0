package dev.hangdoctor.guard;

import dev.hangdoctor.procfs.CgroupControllers;
import dev.hangdoctor.procfs.MemcgLimit;
import dev.hangdoctor.procfs.MemcgStat;
import dev.hangdoctor.procfs.MemcgUsage;
import dev.hangdoctor.procfs.ProcSource;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The memory controller's hierarchy on a host: v1 under sys/fs/cgroup/memory (or a co-mounted "cpu,memory"), else v2
 * at sys/fs/cgroup or sys/fs/cgroup/unified when its cgroup.controllers lists memory. Knows each version's file names.
 */
record MemoryHierarchy(Path root, int version) {
    static final int MAX_DEPTH = 16;
    static final int MAX_DIRS = 20_000;

    /**
     * The hierarchy under {@code host}'s root, or null when the host has no memory controller mounted. The one file
     * read (cgroup.controllers) goes through {@code host}, timed on a live host; the existence checks and the listing
     * are lookups in the cgroup file system's directory tree, which no hung task holds.
     */
    static MemoryHierarchy find(ProcSource host) {
        Path base = host.sys().resolve("fs/cgroup");
        Path v1 = base.resolve("memory");
        if (Files.exists(MemcgLimit.path(v1, 1)) || Files.exists(MemcgUsage.path(v1, 1))) {
            return new MemoryHierarchy(v1, 1);
        }
        try (DirectoryStream<Path> tops = Files.newDirectoryStream(base)) {
            for (Path top : tops) {
                if (List.of(top.getFileName().toString().split(",")).contains("memory")
                        && Files.exists(MemcgUsage.path(top, 1))) {
                    return new MemoryHierarchy(top, 1);
                }
            }
        } catch (IOException e) {
            return null;
        }
        for (Path top : new Path[] {base, base.resolve("unified")}) {
            ProcSource.Read controllers = host.read(CgroupControllers.path(top));
            if (controllers.ok() && CgroupControllers.parse(controllers.text()).contains("memory")) {
                return new MemoryHierarchy(top, 2);
            }
        }
        return null;
    }

    String usageFile() {
        return MemcgUsage.fileName(version);
    }

    String limitFile() {
        return MemcgLimit.fileName(version);
    }

    /** The memory.stat key for page cache the kernel drops before it OOM-kills (v1 counts the subtree as total_*). */
    String inactiveFileKey() {
        return MemcgStat.inactiveFileKey(version);
    }

    /** "/" for the root, "/docker/abc" below it. */
    String pathOf(Path dir) {
        Path rel = root.relativize(dir);
        String s = rel.toString();
        return s.isEmpty() ? "/" : "/" + s;
    }

    Path dirOf(String path) {
        return path.equals("/") ? root : root.resolve(path.substring(1));
    }

    /** Cgroups selected by any of the patterns, walking only where a pattern could still match. */
    List<Path> select(List<CgroupGlob> globs) {
        List<Path> out = new ArrayList<>();
        Deque<Path> todo = new ArrayDeque<>();
        todo.add(root);
        int seen = 0;
        while (!todo.isEmpty() && seen++ < MAX_DIRS) {
            Path dir = todo.poll();
            String path = pathOf(dir);
            boolean descend = false;
            for (CgroupGlob g : globs) {
                if (g.matches(path) && !out.contains(dir)) {
                    out.add(dir);
                }
                descend |= g.couldMatchBelow(path);
            }
            if (descend && dir.getNameCount() - root.getNameCount() < MAX_DEPTH) {
                todo.addAll(children(dir));
            }
        }
        return out;
    }

    /** Sub-cgroups of {@code dir}; empty when it is gone. */
    static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            // removed while we looked: no children
        }
        return out;
    }
}
