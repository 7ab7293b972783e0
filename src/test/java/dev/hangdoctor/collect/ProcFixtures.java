package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The captured bundle under src/test/resources/proc, copies of it, FIFOs, and a comparable summary of Evidence. */
public final class ProcFixtures {
    private ProcFixtures() {
    }

    public static Path bundle() {
        try {
            return Path.of(ProcFixtures.class.getResource("/proc/bundle-6.18").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A writable copy of the captured bundle. */
    public static Path copyBundle(Path to) throws IOException {
        Path from = bundle();
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    static void write(Path root, String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** Replaces a file by a FIFO nobody writes: a naive open() for reading blocks forever. */
    static Path fifo(Path file) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        Process p = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo failed");
        }
        return file;
    }

    /** Lets readers stuck opening a FIFO go: O_RDWR opens without blocking, and closing gives them EOF. */
    static void release(Path fifo) {
        try (RandomAccessFile f = new RandomAccessFile(fifo.toFile(), "rw")) {
            f.getFD();
        } catch (IOException ignored) {
            // nothing was stuck on it
        }
    }

    /** Everything the round trip must keep, as comparable text. */
    static List<String> describe(Evidence e) {
        List<String> out = new ArrayList<>();
        e.tasks().stream().sorted(Comparator.comparingInt(Task::pid)).forEach(t -> out.add("task " + t.pid()
                + " tgid=" + t.tgid() + " ppid=" + t.ppid() + " comm=" + t.comm() + " state=" + t.state()
                + " cpu=" + t.cpu() + " flags=" + t.flags() + " sig=" + t.sigPnd() + "/" + t.shdPnd() + "/" + t.sigBlk()
                + " ns=" + t.nsPids() + " pidns=" + t.pidNamespace() + " wchan=" + t.wchan() + " rss=" + t.rssKb()
                + " memcg=" + t.memoryCgroup() + " unreadable=" + t.unreadable() + " notes=" + t.notes()
                + " switches=" + t.contextSwitches() + " stuck=" + t.stuckSeconds()
                + " frames=" + t.frames()));
        e.uffds().forEach(u -> out.add("uffd " + u));
        e.fuseConnections().forEach(c -> out.add("fuse " + c));
        e.memCgroups().forEach(c -> out.add("memcg " + c));
        e.allEvents().forEach(ev -> out.add("event " + ev));
        out.add("host " + e.host().kernelRelease() + " " + e.host().hostname() + " " + e.host().sysctls() + " "
                + e.host().loadavg() + " " + e.host().pressure());
        return out;
    }
}
