package dev.hangdoctor.act;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * Appends one JSON line per remedy taken (or refused) to STATE_DIR/audit.jsonl: time, finding, action, target,
 * evidence before and after, result. The directory is created 0700 and the file 0600: it names processes and cgroups.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public AuditLog(Path stateDir) throws IOException {
        if (!Files.exists(stateDir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        // root writes here: a symlink planted in place of the directory or the file would redirect root's writes (or
        // the chmod) to any file on the host, so neither may be a link, and both must belong to us
        if (Files.isSymbolicLink(stateDir) || !Files.isDirectory(stateDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("state directory " + stateDir + " is a symlink or not a directory");
        }
        checkOwner(stateDir);
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
        file = stateDir.resolve("audit.jsonl");
        if (Files.isSymbolicLink(file)) {
            throw new IOException("audit log " + file + " is a symlink");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        checkOwner(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static void checkOwner(Path p) throws IOException {
        String me = System.getProperty("user.name");
        String owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        if (me != null && !me.equals(owner)) {
            throw new IOException(p + " belongs to " + owner + ", not " + me);
        }
    }

    public Path file() {
        return file;
    }

    /** Records one remedy; {@code result} is "done", "refused: ...", "failed: ..." or "dry-run". */
    public synchronized void record(Action a, String before, String after, String result) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", Instant.now().toString());
        o.put("finding", a.finding());
        o.put("action", a.id());
        o.put("summary", a.summary());
        o.put("target", String.join("; ", a.touches()));
        o.put("commands", String.join("; ", a.commands()));
        o.put("before", before);
        if (after == null) {
            o.putNull("after");
        } else {
            o.put("after", after);
        }
        o.put("result", result);
        Files.writeString(file, JSON.writeValueAsString(o) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
    }
}
