package dev.hangdoctor.act;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Aborts a FUSE connection: every request waiting on it fails with ENOTCONN at once, so tasks stuck in
 * request_wait_answer (even exiting ones that ignore SIGKILL) return. The mount stays until unmounted.
 */
public final class FuseAbortAction implements Action {
    private final String finding;
    private final Path connectionDir;
    private final int id;
    private final List<String> mountPoints;

    public FuseAbortAction(String finding, Path sysFuseConnections, int id, List<String> mountPoints) {
        this.finding = finding;
        this.connectionDir = sysFuseConnections.resolve(Integer.toString(id));
        this.id = id;
        this.mountPoints = List.copyOf(mountPoints);
    }

    @Override
    public String id() {
        return "fuse-abort";
    }

    @Override
    public String finding() {
        return finding;
    }

    public int connectionId() {
        return id;
    }

    @Override
    public String summary() {
        return "abort FUSE connection " + id + (mountPoints.isEmpty() ? "" : " (" + String.join(", ", mountPoints) + ")")
                + ": its unanswered requests fail and the tasks waiting on them return";
    }

    @Override
    public List<String> touches() {
        return List.of(connectionDir.resolve("abort").toString());
    }

    @Override
    public List<String> commands() {
        return List.of("echo 1 > " + connectionDir.resolve("abort"));
    }

    @Override
    public String precheck() {
        Long waiting = waiting();
        if (waiting == null) {
            return "FUSE connection " + id + " is gone";
        }
        if (waiting == 0) {
            return "FUSE connection " + id + " has no request waiting any more";
        }
        return null;
    }

    @Override
    public String observe() {
        Long w = waiting();
        return w == null ? "connection " + id + " gone" : "connection " + id + " waiting=" + w;
    }

    @Override
    public void apply() throws IOException {
        Files.writeString(connectionDir.resolve("abort"), "1", StandardCharsets.US_ASCII);
    }

    private Long waiting() {
        try {
            return Long.parseLong(Files.readString(connectionDir.resolve("waiting")).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
