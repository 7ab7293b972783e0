package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hangdoctor.act.PrivateStateDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The incidents on disk: STATE_DIR/incidents/ID/{incident.json, diagnosis.json, diagnosis.txt, bundle/} and
 * STATE_DIR/incidents/index.json (every incident's incident.json, newest first, for people and scripts; the agent
 * itself reloads from the incident.json files). Files are written to a temporary name and moved into place, so a
 * crash leaves the old version or the new one. incidents/ and tmp/ are 0700: bundles hold process names and stacks.
 */
public final class IncidentStore {
    static final String INCIDENT = "incident.json";
    static final String DIAGNOSIS_JSON = "diagnosis.json";
    static final String DIAGNOSIS_TXT = "diagnosis.txt";
    static final String BUNDLE = "bundle";
    /** incident.json is a few KB; more is not ours. */
    private static final int MAX_INCIDENT_JSON = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<java.nio.file.attribute.PosixFilePermission> FILE_MODE =
            PosixFilePermissions.fromString("rw-------");

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path stateDir;
    private final Path dir;
    private final Path tmp;

    public IncidentStore(Path stateDir) throws IOException {
        // root writes here: the state directory is checked (owner, mode, every directory above it; a shared sticky
        // one is replaced by a private subdirectory) and its two subdirectories are ours alone. Bundles hold every
        // task's stack and the mount table, so they are 0700 even when the state directory is not (a DaemonSet's
        // hostPath DirectoryOrCreate makes it 0755); an existing directory's mode is never changed.
        this.stateDir = PrivateStateDir.open(stateDir);
        this.dir = PrivateStateDir.privateSubdir(this.stateDir, "incidents");
        this.tmp = PrivateStateDir.privateSubdir(this.stateDir, "tmp");
    }

    /** The directory state is kept in: the one given, or its private subdirectory when that one is shared. */
    public Path stateDir() {
        return stateDir;
    }

    public Path dir() {
        return dir;
    }

    /** A fresh empty directory for a scan's bundle; left-overs of earlier runs are removed first. */
    Path newScanDir(long n) throws IOException {
        Path p = tmp.resolve("scan-" + n);
        deleteTree(p);
        Files.createDirectory(p, PrivateStateDir.ownerOnly());
        return p;
    }

    /** Removes every scan directory left in tmp/ (a crash mid-scan). */
    void clearTmp() {
        try (Stream<Path> s = Files.list(tmp)) {
            s.forEach(IncidentStore::deleteTree);
        } catch (IOException e) {
            // nothing to clear
        }
    }

    /** Every incident readable from disk, oldest first; broken ones are reported through {@code warn} and skipped. */
    List<Incident> load(java.util.function.Consumer<String> warn) {
        List<Incident> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Path f = p.resolve(INCIDENT);
                // a link in place of an incident directory or its file would have the agent read, serve and later
                // delete whatever it points to
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                    Incident inc = Incident.fromJson(new ObjectMapper().readTree(in.readNBytes(MAX_INCIDENT_JSON)));
                    // the id names directories this store writes and deletes: it must be the directory's own name
                    if (!inc.id().matches("[0-9A-Za-z-]{1,64}") || !inc.id().equals(p.getFileName().toString())) {
                        warn.accept(f + ": not read (id '" + inc.id() + "' does not match its directory)");
                        continue;
                    }
                    out.add(inc);
                } catch (IOException | RuntimeException e) {
                    warn.accept(f + ": not read (" + e.getMessage() + ")");
                }
            }
        } catch (IOException e) {
            warn.accept(dir + ": not listed (" + e.getMessage() + ")");
        }
        out.sort(Comparator.comparing(Incident::openedAt).thenComparing(Incident::id));
        return out;
    }

    /** Writes a new incident's diagnosis and moves (or links, when another incident has it) the scan's bundle in. */
    void create(Incident i, String diagnosisJson, String diagnosisText, Path scanBundle, Path sharedBundle)
            throws IOException {
        Path d = incidentDir(i.id());
        write(d.resolve(DIAGNOSIS_JSON), diagnosisJson);
        write(d.resolve(DIAGNOSIS_TXT), diagnosisText);
        Path bundle = d.resolve(BUNDLE);
        if (sharedBundle != null) {
            linkTree(sharedBundle, bundle);
        } else if (scanBundle != null && Files.isDirectory(scanBundle)) {
            Files.move(scanBundle, bundle);
        }
        i.bytes = size(d);
        save(i);
    }

    /** Rewrites incident.json. */
    void save(Incident i) throws IOException {
        write(incidentDir(i.id()).resolve(INCIDENT), JSON.writeValueAsString(i.toJson()));
    }

    /** The incident's directory, created 0700; refused when something else (a link) stands in its place. */
    private Path incidentDir(String id) throws IOException {
        if (!id.matches("[0-9A-Za-z-]{1,64}")) {
            throw new IOException("incident id '" + id + "' is not a directory name");
        }
        Path d = dir.resolve(id);
        try {
            Files.createDirectory(d, PrivateStateDir.ownerOnly());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(d + " is not a directory (a link?): not written through");
            }
        }
        return d;
    }

    /** Rewrites index.json from the given incidents (newest first). */
    void writeIndex(List<Incident> all) throws IOException {
        ArrayNode a = JSON.createArrayNode();
        for (int k = all.size() - 1; k >= 0; k--) {
            a.add(all.get(k).toJson());
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("schemaVersion", 1);
        o.set("incidents", a);
        write(dir.resolve("index.json"), JSON.writeValueAsString(o));
    }

    void delete(Incident i) {
        deleteTree(dir.resolve(i.id()));
    }

    /** The incident's bundle directory, or null when it has none. */
    Path bundle(String id) {
        Path d = dir.resolve(id);
        Path b = d.resolve(BUNDLE);
        return !Files.isSymbolicLink(d) && Files.isDirectory(b, LinkOption.NOFOLLOW_LINKS) ? b : null;
    }

    /** A stored file of the incident (diagnosis.json, diagnosis.txt), or null. */
    String read(String id, String file) {
        Path d = dir.resolve(id);
        Path f = d.resolve(file);
        if (Files.isSymbolicLink(d) || Files.isSymbolicLink(f) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (var ch = Files.newByteChannel(f, java.nio.file.StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(ch.size(), 16L << 20));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read up to the cap
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** Streams the bundle as a zip whose entries are the bundle's relative paths (unzip, then `hangdoctor analyze`). */
    static void zip(Path bundle, OutputStream out) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(out); Stream<Path> files = Files.walk(bundle)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                z.putNextEntry(new ZipEntry(bundle.relativize(p).toString()));
                // opened without following links: a link swapped in after the check is not followed
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    in.transferTo(z);
                }
                z.closeEntry();
            }
        }
    }

    /**
     * Writes a file whole: into a new temporary file of an unguessable name, created without following links (a link
     * planted under a predictable name would make root write wherever it points), then renamed over the old one.
     */
    private static void write(Path f, String text) throws IOException {
        Path t = f.resolveSibling("." + f.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        try (SeekableByteChannel ch = Files.newByteChannel(t, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(FILE_MODE))) {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            Files.deleteIfExists(t);
            throw e;
        }
        try {
            Files.move(t, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(t, f, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void linkTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Path target = to.resolve(from.relativize(f).toString());
                try {
                    Files.createLink(target, f);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(f, target, LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Bytes under a directory (files only). */
    static long size(Path d) {
        long[] n = {0};
        try {
            Files.walkFileTree(d, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                    n[0] += a.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // count what was seen
        }
        return n[0];
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // best effort: retention retries next time
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
