package dev.hangdoctor.watch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The API against hostile clients: slow ones do not starve /healthz, names that are not ours are refused everywhere. */
class WatchApiAbuseTest {
    @TempDir
    Path tmp;

    private WatchAgent agent;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (agent != null) {
            agent.close();
        }
    }

    private void start() throws Exception {
        WatchConfig cfg = WatchConfig.defaults().withRoot(dev.hangdoctor.collect.ProcFixtures.copyBundle(tmp.resolve("host")))
                .withStateDir(tmp.resolve("state")).withListen("127.0.0.1:0").withKmsgDevice(null)
                .withInterval(Duration.ofMillis(200)).withStuckAfter(Duration.ofHours(1));
        agent = new WatchAgent(cfg, line -> { }).start();
    }

    /** One raw HTTP/1.1 exchange (so any Host header can be sent); the whole answer's head, or what came in time. */
    private String request(String method, String path, String host) throws IOException {
        InetSocketAddress a = agent.apiAddress();
        try (Socket s = new Socket()) {
            s.connect(a, 3000);
            s.setSoTimeout(3000);
            String req = method + " " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                    + "Connection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        }
    }

    private static int status(String head) {
        return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
    }

    @Test
    void healthzAnswersWhileTwoHundredSlowClientsHoldTheirConnections() throws Exception {
        start();
        String loopback = "127.0.0.1:" + agent.apiAddress().getPort();
        // each sends the start of a request and then nothing, as a slowloris does
        for (int i = 0; i < 200; i++) {
            Socket s = new Socket();
            sockets.add(s);
            s.connect(agent.apiAddress(), 3000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/incidents HTTP/1.1\r\nHost: " + loopback + "\r\nX-Slow: ").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        Thread.sleep(300);
        // within the slow clients' request time (5 s), so they all still hold their connections
        assertThat(status(request("GET", "/healthz", loopback))).isEqualTo(200);
        assertThat(status(request("GET", "/metrics", loopback))).isEqualTo(200);
        assertThat(status(request("GET", "/api/incidents", loopback))).isEqualTo(200);

        // and the slow ones are cut off once their request time is over, not held for ever
        Socket first = sockets.get(0);
        first.setSoTimeout(15_000);
        InputStream in = first.getInputStream();
        long t0 = System.nanoTime();
        while (in.read() >= 0) {
            // whatever comes, until the server closes
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(12));
    }

    @Test
    void metricsCheckTheHostHeaderLikeEveryOtherPath() throws Exception {
        start();
        int port = agent.apiAddress().getPort();
        assertThat(status(request("GET", "/metrics", "127.0.0.1:" + port))).isEqualTo(200);
        assertThat(status(request("GET", "/metrics", "rebind.attacker.example:" + port))).isEqualTo(421);
        assertThat(status(request("GET", "/metrics", "bad.cafe"))).isEqualTo(421);
        assertThat(status(request("GET", "/healthz", "bad.cafe:" + port))).isEqualTo(421);
        assertThat(status(request("GET", "/", "[::1]:" + port))).isEqualTo(200);
    }

    @Test
    void everyAnswerForbidsSniffingAndCarriesAPolicy() throws Exception {
        start();
        String host = "127.0.0.1:" + agent.apiAddress().getPort();
        for (String path : List.of("/healthz", "/metrics", "/api/incidents", "/nothing", "/")) {
            String head = request("GET", path, host).toLowerCase();
            assertThat(head).as(path).contains("x-content-type-options: nosniff").contains("content-security-policy: ");
        }
        String refused = request("GET", "/metrics", "evil.example").toLowerCase();
        assertThat(refused).contains("x-content-type-options: nosniff");
    }
}
