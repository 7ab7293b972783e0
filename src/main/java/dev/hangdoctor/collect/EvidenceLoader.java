package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import dev.hangdoctor.parse.UnrecognisedEvidenceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.List;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.util.HashSet;
import java.util.Set;
import dev.hangdoctor.procfs.MountinfoEntry;

/**
 * Opens evidence named on the command line: a file, `-` for standard input, a /proc-shaped directory, or a
 * directory of evidence files (read one by one; unreadable ones are skipped and said so).
 */
public final class EvidenceLoader {
    private static final int MAX_FILES_IN_DIR = 10_000;
    private static final int MAX_DEPTH = 4;

    private EvidenceLoader() {
    }

    /** Loads one argument; throws with a one-line message when it holds nothing usable. */
    public static Evidence load(String arg, InputStream stdin) throws IOException {
        if (arg.equals("-")) {
            return handedIn(requireRecognised(EvidenceReader.read(stdin, "<stdin>"), "<stdin>"));
        }
        Path p = Path.of(arg);
        if (!Files.exists(p)) {
            throw new UnrecognisedEvidenceException(arg + ": no such file or directory");
        }
        if (Files.isDirectory(p)) {
            return loadDirectory(p, arg);
        }
        if (!Files.isReadable(p)) {
            throw new UnrecognisedEvidenceException(arg + ": not readable (permission denied)");
        }
        if (!Files.isRegularFile(p)) {
            // a FIFO or device would block or never end: evidence is files
            throw new UnrecognisedEvidenceException(arg + ": not a regular file");
        }
        if (Files.size(p) == 0) {
            throw new UnrecognisedEvidenceException(arg + ": empty file (understood: " + EvidenceReader.UNDERSTOOD + ")");
        }
        try (InputStream in = Files.newInputStream(p)) {
            return handedIn(requireRecognised(EvidenceReader.read(in, arg), arg));
        }
    }

    /**
     * Text evidence handed in is itself the report of a hang: a snapshot in it counts (with less confidence), unlike
     * a bundle or a live scan, whose two samples say whether a task only passed through D.
     */
    private static Evidence handedIn(Evidence e) {
        e.savedReport(true);
        return e;
    }

    private static Evidence loadDirectory(Path dir, String arg) throws IOException {
        if (ProcTreeReader.looksLikeProc(dir)) {
            return requireRecognised(new ProcTreeReader(dir).read(), arg);
        }
        Evidence all = new Evidence();
        Walk walk = new Walk(remoteMounts(), all);
        walk.list(dir.toAbsolutePath().normalize(), 0);
        // the caps are stated before any per-file warning, so they are never crowded out
        if (walk.cut) {
            all.warn(arg + ": more than " + MAX_FILES_IN_DIR + " files; only the first " + MAX_FILES_IN_DIR
                    + " in name order were read (name the files or directories that matter)");
        }
        if (walk.tooDeep != null) {
            all.warn(arg + ": " + walk.tooDeepCount + " director" + (walk.tooDeepCount == 1 ? "y" : "ies") + " more than "
                    + MAX_DEPTH + " levels down not read (" + walk.tooDeep + (walk.tooDeepCount > 1 ? ", ..." : "") + ")");
        }
        List<Path> files = walk.files;
        files.sort(null);
        int used = 0;
        for (Path f : files) {
            String name = f.toString();
            if (!Files.isRegularFile(f)) {
                // a FIFO or device would block or never end
                all.warn(name + ": skipped, not a regular file");
                continue;
            }
            if (!Files.isReadable(f)) {
                all.warn(name + ": skipped, not readable");
                continue;
            }
            try {
                all.mergeFrom(load(name, InputStream.nullInputStream()));
                used++;
            } catch (UnrecognisedEvidenceException ex) {
                all.warn("skipped " + ex.getMessage());
            } catch (IOException ex) {
                all.warn(name + ": skipped, " + ex.getMessage());
            }
        }
        if (used == 0) {
            throw new UnrecognisedEvidenceException(arg + ": directory holds no readable evidence ("
                    + files.size() + " file(s) looked at; understood: " + EvidenceReader.UNDERSTOOD + ")");
        }
        return all;
    }

    /**
     * Lists evidence files below a directory ({@value #MAX_DEPTH} levels) without ever stat'ing a FUSE, NFS or CIFS
     * mount point: on a hung host, looking at one can block forever, and evidence does not live on them. Unreadable
     * entries become warnings; what does not fit the caps is noted for one warning each. Only the entries that can
     * still be used are held while a directory is listed (the first in name order), so a directory of millions of
     * files costs no more memory than one of ten thousand.
     */
    private static final class Walk {
        final List<Path> files = new ArrayList<>();
        final Set<String> remote;
        final Evidence warnings;
        boolean cut;
        Path tooDeep;
        int tooDeepCount;

        Walk(Set<String> remote, Evidence warnings) {
            this.remote = remote;
            this.warnings = warnings;
        }

        void list(Path dir, int depth) {
            int room = MAX_FILES_IN_DIR - files.size();
            PriorityQueue<Path> kept = new PriorityQueue<>(Comparator.reverseOrder()); // the last in name order on top
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    if (room <= 0) {
                        cut = true;
                        break;
                    }
                    kept.add(p);
                    if (kept.size() > room) {
                        kept.poll();
                        cut = true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                warnings.warn(dir + ": skipped, cannot list (" + reason(e) + ")");
                return;
            }
            List<Path> entries = new ArrayList<>(kept);
            entries.sort(null);
            for (Path p : entries) {
                if (files.size() >= MAX_FILES_IN_DIR) {
                    cut = true;
                    return;
                }
                if (remote.contains(p.toString())) {
                    warnings.warn(p + ": skipped, a network or FUSE mount");
                } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                } else if (depth < MAX_DEPTH) {
                    list(p, depth + 1);
                } else {
                    tooDeepCount++;
                    if (tooDeep == null) {
                        tooDeep = p;
                    }
                }
            }
        }
    }

    /** Mount points whose file system may hang when touched (from this process's mountinfo). */
    private static Set<String> remoteMounts() {
        Set<String> out = new HashSet<>();
        try {
            // bytes, decoded lossily: one mount point that is not UTF-8 must not hide every remote mount
            String text = new String(Files.readAllBytes(MountinfoEntry.path(Path.of("/proc"), "self")),
                    StandardCharsets.UTF_8);
            for (MountinfoEntry m : MountinfoEntry.parseAll(text)) {
                if (m.fsType() != null && (m.fsType().startsWith("fuse") || m.fsType().startsWith("nfs")
                        || m.fsType().startsWith("cifs") || m.fsType().startsWith("smb") || m.fsType().equals("9p"))) {
                    out.add(m.mountPoint());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: nothing to avoid
        }
        return out;
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static Evidence requireRecognised(Evidence e, String name) throws UnrecognisedEvidenceException {
        if (e.isEmpty()) {
            throw new UnrecognisedEvidenceException(name + ": nothing recognised (understood: "
                    + EvidenceReader.UNDERSTOOD + ")");
        }
        return e;
    }
}
