package dev.hangdoctor.watch;

import dev.hangdoctor.cli.Main;
import dev.hangdoctor.collect.ProcFixtures;
import dev.hangdoctor.watch.CheckFixture.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shell fast path of `check` (deploy/hangdoctor-check, also sourced by the ./hangdoctor launcher) reads the
 * agent's socket without a JVM, and prints exactly what the JVM's `check` prints, with its exit code: against a real
 * agent, from another pid and network namespace, with each socket helper, and with no agent (the JVM's scan).
 */
class CheckLauncherTest {
    private static final Path SCRIPT = Path.of("deploy/hangdoctor-check").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("hangdoctor").toAbsolutePath();

    @TempDir
    Path tmp;

    private WatchAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private Run run(Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
            return new Run(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }

    /** A jar of nothing but a manifest naming this build's classes: what the script runs when no agent answers. */
    private Path manifestJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, List.of(System.getProperty("java.class.path")
                .split(File.pathSeparator)).stream().map(e -> Path.of(e).toUri().toString())
                .collect(Collectors.joining(" ")));
        Path jar = tmp.resolve("hangdoctor.jar");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            j.flush();
        }
        return jar;
    }

    private Path startAgent(Path root) throws Exception {
        agent = CheckFixture.startAgent(root, tmp.resolve("state"));
        return tmp.resolve("state").resolve(CheckSocket.FILE);
    }

    /** A PATH of only the named tools (links to the real ones), to choose the socket helper. */
    private String pathWith(String... tools) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin-" + String.join("-", tools)));
        for (String t : tools) {
            Path real = t.equals("java") ? Path.of(System.getProperty("java.home"), "bin", "java") : Path.of("/usr/bin", t);
            Assumptions.assumeTrue(Files.isExecutable(real), real + " is not installed");
            Files.createSymbolicLink(bin.resolve(t), real);
        }
        return bin.toString();
    }

    private List<String> script(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void theAgentsAnswerWithoutAJvmIsTheJvmsAnswer() throws Exception {
        Path socket = startAgent(ProcFixtures.copyBundle(tmp.resolve("host")));
        // no java on the PATH and no jar: an answer can only come from the shell and its helper
        Map<String, String> noJava = Map.of("PATH", pathWith("perl"), "HANGDOCTOR_JAR", tmp.resolve("none.jar").toString());
        Run ok = run(noJava, script("--agent-socket", socket.toString()));
        assertThat(ok).isEqualTo(new Run(0, "OK: no hang\n")).isEqualTo(CheckFixture.jvmCheck("--agent-socket", socket.toString()));

        CheckFixture.awaitIncident(agent);
        assertThat(agent.tracker().open()).isNotEmpty();
        Run jvm = CheckFixture.jvmCheck("--agent-socket", socket.toString());
        assertThat(jvm.exit()).isEqualTo(1);
        assertThat(run(noJava, script("--agent-socket", socket.toString()))).isEqualTo(jvm);
        assertThat(run(noJava, script("--agent-socket=" + socket))).isEqualTo(jvm);
        assertThat(run(Map.of("PATH", pathWith("python3")), script("--agent-socket", socket.toString()))).isEqualTo(jvm);
        // the launcher asks before it would build or start anything
        assertThat(run(Map.of("PATH", pathWith("perl", "dirname")), List.of("/bin/bash", LAUNCHER.toString(), "check",
                "--agent-socket", socket.toString()))).isEqualTo(jvm);
        // with no helper at all, the JVM's check asks the agent itself: the same answer
        Map<String, String> javaOnly = Map.of("PATH", pathWith("java", "dirname"), "HANGDOCTOR_JAR", manifestJar().toString());
        assertThat(run(javaOnly, script("--agent-socket", socket.toString()))).isEqualTo(jvm);

        // from a pid and network namespace of its own (node-problem-detector's pod): the socket file is all it needs
        Assumptions.assumeTrue(run(Map.of(), List.of("unshare", "-p", "-n", "-f", "--mount-proc", "true")).exit() == 0,
                "unshare cannot make pid and network namespaces here");
        List<String> inNamespaces = new ArrayList<>(List.of("unshare", "-p", "-n", "-f", "--mount-proc"));
        inNamespaces.addAll(script("--agent-socket", socket.toString()));
        assertThat(run(noJava, withUnshareOnPath(inNamespaces))).isEqualTo(jvm);
    }

    /** unshare itself is found through the caller's PATH; the script then runs with the test's PATH. */
    private static List<String> withUnshareOnPath(List<String> cmd) {
        List<String> c = new ArrayList<>(cmd);
        c.set(0, "/usr/bin/unshare");
        return c;
    }

    @Test
    void withoutAnAgentTheJvmScans() throws Exception {
        Map<String, String> env = Map.of("PATH", pathWith("java", "dirname", "perl"), "HANGDOCTOR_JAR", manifestJar().toString());
        Path absent = tmp.resolve("absent.sock");
        // --root (a host root for tests) is not for the fast path: the JVM scans that root, a hung host
        List<String> args = List.of("--agent-socket", absent.toString(), "--window", "200ms",
                "--root", Path.of("src/test/resources/proc/bundle-6.18").toAbsolutePath().toString());
        Run hung = run(env, script(args.toArray(String[]::new)));
        assertThat(hung.exit()).isEqualTo(1);
        assertThat(hung).isEqualTo(CheckFixture.jvmCheck(args.toArray(String[]::new)));
        Files.createDirectories(tmp.resolve("empty"));
        Run quiet = run(env, script("--agent-socket", absent.toString(), "--window", "0", "--root", tmp.resolve("empty").toString()));
        assertThat(quiet).isEqualTo(new Run(0, "OK: no hang\n"));
        // bad usage stays the JVM's exit 2
        assertThat(run(env, script("--window", "soon")).exit()).isEqualTo(2);
    }

    @Test
    void inItsOwnPidNamespaceWithNoAgentItSaysUnknownNeverOk() throws Exception {
        Assumptions.assumeTrue(run(Map.of(), List.of("unshare", "-p", "-f", "--mount-proc", "true")).exit() == 0,
                "unshare -p cannot make a pid namespace here");
        Map<String, String> env = Map.of("PATH", pathWith("java", "dirname", "perl"), "HANGDOCTOR_JAR", manifestJar().toString());
        // a socket file nobody listens on (an agent that died), and no socket at all
        Path dead = tmp.resolve("dead.sock");
        try (var s = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            s.bind(java.net.UnixDomainSocketAddress.of(dead));
        }
        for (Path socket : List.of(dead, tmp.resolve("absent.sock"))) {
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/unshare", "-p", "-f", "--mount-proc"));
            cmd.addAll(script("--agent-socket", socket.toString()));
            Run r = run(env, cmd);
            assertThat(r.exit()).as(r.out()).isEqualTo(2);
            assertThat(r.out()).startsWith("UNKNOWN: no agent at ").endsWith("\n").doesNotContain("OK");
        }
    }
}
