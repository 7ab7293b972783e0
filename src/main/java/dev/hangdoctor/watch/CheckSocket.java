package dev.hangdoctor.watch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * The agent's answer for `hangdoctor check`, on a unix socket in the state directory: on each connection it writes
 * one line, "{@code <exit> <message>}", and closes. A unix socket works from any pid and network namespace that can
 * see the file (node-problem-detector mounts the directory), needs no port and no HTTP, and the client sends nothing,
 * so a slow or silent client cannot hold the agent.
 */
final class CheckSocket implements AutoCloseable {
    /** File name of the socket in the state directory. */
    static final String FILE = "check.sock";

    private final ServerSocketChannel server;
    private final Path path;
    private final Thread thread;

    private CheckSocket(ServerSocketChannel server, Path path, Supplier<String> answer) {
        this.server = server;
        this.path = path;
        this.thread = new Thread(() -> serve(answer), "hangdoctor-check-socket");
        thread.setDaemon(true);
        thread.start();
    }

    /** Listens on {@code path}, replacing a socket left by an earlier agent; the socket is the owner's only (0600). */
    static CheckSocket open(Path path, Supplier<String> answer) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!"socket".equals(fileType(path))) {
                throw new IOException(path + " exists and is not a socket");
            }
            Files.delete(path);
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return new CheckSocket(s, path, answer);
    }

    private static String fileType(Path p) throws IOException {
        Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return ((Integer) mode & 0170000) == 0140000 ? "socket" : "other";
    }

    private void serve(Supplier<String> answer) {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                // a line of at most a few hundred bytes fits the fresh socket's buffer: the write does not block
                ByteBuffer b = ByteBuffer.wrap((answer.get() + "\n").getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    c.write(b);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // one failed client (it went away) does not stop the others
            }
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the agent is stopping; a stale socket is replaced at the next start
        }
    }
}
