package dev.hangdoctor.watch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Asks a running agent for `hangdoctor check`'s answer over its check socket ({@link CheckSocket}). */
public final class CheckClient {
    private static final int MAX_BYTES = 1024;

    /** The agent's verdict: exit code 0 or 1 and the line to print. */
    public record Answer(int exit, String line) {
    }

    private CheckClient() {
    }

    /**
     * The agent's answer, or null when no agent answers there (no socket, refused, silent for {@code timeout}, or it
     * says it is not sampling): the caller then scans by itself.
     */
    public static Answer ask(Path socket, Duration timeout) {
        if (socket == null || !Files.exists(socket)) {
            return null;
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocate(MAX_BYTES);
            long end = System.nanoTime() + timeout.toNanos();
            try (Selector sel = Selector.open()) {
                c.register(sel, SelectionKey.OP_READ);
                while (buf.hasRemaining()) {
                    long left = (end - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        return null;
                    }
                    sel.select(left);
                    sel.selectedKeys().clear();
                    if (c.read(buf) < 0) {
                        break;
                    }
                }
            }
            return parse(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "1 HANG ..." / "0 OK: no hang"; anything else (an agent not sampling says "- ...") is no answer. */
    static Answer parse(String text) {
        String t = text.strip();
        if (t.length() < 3 || t.charAt(1) != ' ' || (t.charAt(0) != '0' && t.charAt(0) != '1') || t.contains("\n")) {
            return null;
        }
        return new Answer(t.charAt(0) - '0', Summary.fit(t.substring(2), Summary.NPD_MAX_BYTES));
    }
}
