package dev.hangdoctor.act;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

/**
 * Appends one JSON line per remedy taken (or refused) to STATE_DIR/audit.jsonl: time, finding, action, target,
 * evidence before and after, result. The directory is created 0700 and the file 0600: it names processes and cgroups
 * (see {@link PrivateStateDir} for what a state directory must be).
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private final Path file;

    public AuditLog(Path stateDir) throws IOException {
        // root writes here: the directory and every one above it must be beyond other users' reach (no link they
        // could plant, no name they could replace), and the file is created or opened without following a link
        Path dir = PrivateStateDir.open(stateDir);
        file = dir.resolve("audit.jsonl");
        try {
            Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(OWNER_RW)).close();
        } catch (FileAlreadyExistsException e) {
            // an existing log: checked below
        }
        if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("audit log " + file + " is a symlink or not a regular file");
        }
        int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!PrivateStateDir.trusted(uid)) {
            throw new IOException("audit log " + file + " belongs to uid " + uid + ", not root");
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!view.readAttributes().permissions().equals(OWNER_RW)) {
            // our own regular file in a directory nobody else can write to; the view changes it through a descriptor
            // opened without following links
            view.setPermissions(OWNER_RW);
        }
    }

    public Path file() {
        return file;
    }

    /** Records one remedy; {@code result} is "attempting", "done", "refused: ...", "failed: ..." or "dry-run". */
    public synchronized void record(Action a, String before, String after, String result) throws IOException {
        Files.writeString(file, line(a, before, after, result), StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Loads and runs the writing path once without adding a line (an empty append): the OOM guard writes its intent
     * right before a kill, where a cold first write would cost the tens of milliseconds of class loading.
     */
    public void warmUp(Action a) {
        try {
            line(a, "warm-up", null, "warm-up");
            Files.write(file, new byte[0], StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            // warming is an optimisation only
        }
    }

    /** The line {@link #record} appends. */
    static String line(Action a, String before, String after, String result) throws IOException {
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
        return JSON.writeValueAsString(o) + "\n";
    }
}
