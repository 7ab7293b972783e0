package dev.hangdoctor.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A cgroup v1 memory cgroup named hangdoctor-test-*, made and removed by the harness. */
public final class TestCgroup {

    private final Path dir;

    private TestCgroup(Path dir) {
        this.dir = dir;
    }

    /** Creates a fresh, uniquely named memory cgroup. */
    static TestCgroup create() throws IOException {
        return new TestCgroup(Files.createDirectory(LiveCleanup.MEMCG_ROOT.resolve(LiveCleanup.newCgroupName())));
    }

    /** Creates a child cgroup {@code name} inside this one. */
    TestCgroup child(String name) throws IOException {
        return new TestCgroup(Files.createDirectory(dir.resolve(name)));
    }

    /** The cgroup directory under /sys/fs/cgroup/memory. */
    public Path dir() {
        return dir;
    }

    /** Its name, the last path element. */
    public String name() {
        return dir.getFileName().toString();
    }

    void write(String file, String value) throws IOException {
        Files.writeString(dir.resolve(file), value);
    }

    /** One control file's content, trimmed; empty once the cgroup is gone. */
    public Optional<String> read(String file) {
        return LiveProc.read(dir.resolve(file)).map(String::trim);
    }

    /** {@code under_oom} of memory.oom_control, empty once gone. */
    public Optional<Boolean> underOom() {
        return read("memory.oom_control").flatMap(text -> text.lines()
                .filter(l -> l.startsWith("under_oom "))
                .map(l -> l.endsWith(" 1"))
                .findFirst());
    }

    /** Pids in cgroup.procs now. */
    public List<Integer> pids() {
        return pids(dir);
    }

    static List<Integer> pids(Path dir) {
        List<Integer> pids = new ArrayList<>();
        for (String s : LiveProc.read(dir.resolve("cgroup.procs")).orElse("").split("\n")) {
            if (!s.isBlank()) {
                pids.add(Integer.parseInt(s.trim()));
            }
        }
        return pids;
    }

    /** Lets an OOM-stalled cgroup move again: no limit, OOM killer back on. Errors are left to the caller. */
    static void release(Path dir) throws IOException {
        Files.writeString(dir.resolve("memory.limit_in_bytes"), "-1");
        Files.writeString(dir.resolve("memory.oom_control"), "0");
    }

    /** Removes the directory once empty, retrying while the last tasks leave; false on timeout. */
    static boolean rmdir(Path dir, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return true;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                LiveWait.sleep(20);
            }
        }
    }

    /** Removes a stale cgroup of ours: everything in it is ours by its name, so all of it is killed. */
    static void destroy(Path dir, Duration timeout) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        // a child cgroup of ours (a stall nested under a parent with its own member) goes first
        try (var children = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path child : children) {
                destroy(child, timeout);
            }
        }
        List<OwnedPid> members = new ArrayList<>();
        for (int pid : pids(dir)) {
            LiveProc.stat(pid).ifPresent(s -> members.add(new OwnedPid(pid, s.startTime())));
        }
        members.forEach(OwnedPid::kill);
        release(dir);
        members.forEach(m -> m.awaitGone(timeout));
        if (!rmdir(dir, timeout)) {
            throw new IllegalStateException("cgroup " + dir + " still busy: procs " + pids(dir));
        }
    }
}
