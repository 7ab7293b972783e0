package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.diagnose.audit.HostTree;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AuditCommandTest {

    /** Exit code, standard output and standard error of one run. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void exposedCentos7HostWithRiskySettingsExitsOne(@TempDir Path dir) throws Exception {
        HostTree.at(dir).kernel("3.10.0-862.el7.x86_64").safeSysctls()
                .sysctl("kernel.hung_task_panic", "1").sysctl("vm.panic_on_oom", "2")
                .memCgroup("/docker/db", 1L << 30, true);
        Run r = run("audit", "--root", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.PROBLEM);
        assertThat(r.out()).startsWith("kernel: 3.10.0-862.el7.x86_64\n")
                .contains("exposed  centos7-jbd2-oom-getblk-deadlock (jbd2)")
                .contains("why:      3.10.0-862.el7.x86_64 is in 3.10.0-862.el7 <= v < 3.10.0-1161.el7")
                .contains("94dc24c0c59a")
                .contains("risky  kernel.hung_task_panic = 1")
                // read by the command itself: the scan reads only kernel.* watchdog settings
                .contains("risky  vm.panic_on_oom = 2")
                .contains("risky  cgroup.memory.oom_kill_disable = 1 (in /docker/db)")
                .contains("host at risk: 2 known hang(s), 3 risky setting(s)")
                .doesNotContain("\u001b[");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void json(@TempDir Path dir) throws Exception {
        HostTree.at(dir).kernel("6.8.0-1015-aws").safeSysctls().sysctl("kernel.watchdog_thresh", "0").fuseConnection(7);
        Run r = run("audit", "--json", "--root", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.PROBLEM);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("kernelVersion").asText()).isEqualTo("6.8.0-1015-aws");
        JsonNode e = j.get("exposures").get(0);
        assertThat(e.get("signature").asText()).isEqualTo("fuse-flush-exit-pidns");
        assertThat(e.get("category").asText()).isEqualTo("fuse");
        assertThat(e.get("title").asText()).isNotBlank();
        assertThat(e.get("range").asText()).isEqualTo("6.3 <= v < 6.13");
        assertThat(e.get("verdict").asText()).isEqualTo("still-reported");
        assertThat(e.get("note").asText()).isEqualTo("fixed upstream in 6.3; reports on 6.8 and 6.12");
        assertThat(e.get("fix").get("links").size()).isPositive();
        assertThat(e.get("factors").get(0).asText()).isEqualTo("1 FUSE connection(s) on this host");
        JsonNode s = j.get("settings").get(0);
        assertThat(s.get("key").asText()).isEqualTo("kernel.watchdog_thresh");
        assertThat(s.get("value").asText()).isEqualTo("0");
        assertThat(s.get("risk").asText()).contains("lockup detection");
        assertThat(s.get("recommended").asText()).startsWith("10");
        assertThat(j.get("warnings").isArray()).isTrue();
    }

    @Test
    void quietHostExitsZero(@TempDir Path dir) {
        HostTree.at(dir).kernel("6.18.44").safeSysctls().memCgroup("/docker/web", 1L << 30, false);
        Run r = run("audit", "--root", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("kernel: 6.18.44").contains("nothing found");
        Run j = run("audit", "--root", dir.toString(), "--json");
        assertThat(j.code()).isEqualTo(ExitCodes.OK);
        assertThat(j.out()).contains("\"exposures\" : [ ]").contains("\"settings\" : [ ]");
    }

    @Test
    void badInputIsOneLineOnStderrAndExitTwo(@TempDir Path dir) throws Exception {
        Run missing = run("audit", "--root", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).isEqualTo("hangdoctor: " + dir.resolve("nope") + ": not a directory\n".replace("\n", System.lineSeparator()));
        assertThat(missing.out()).isEmpty();

        Files.writeString(dir.resolve("notes.txt"), "hello");
        Run empty = run("audit", "--root", dir.toString());
        assertThat(empty.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(empty.err().strip()).startsWith("hangdoctor: " + dir + ": no /proc tree").doesNotContain("\n")
                .doesNotContain("Exception");

        Run option = run("audit", "--frobnicate");
        assertThat(option.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(option.err().strip()).startsWith("hangdoctor: Unknown option: '--frobnicate'").doesNotContain("\n");
    }

    @Test
    void brokenUserRuleIsAWarningNotAFailure(@TempDir Path dir) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("broken.yaml"), "id: broken\n");
        Path host = Files.createDirectories(dir.resolve("host"));
        HostTree.at(host).kernel("6.18.44").safeSysctls();
        Run r = run("audit", "--rules", rules.toString(), "--root", host.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).contains("hangdoctor: warning: ").contains("broken.yaml");
    }

    /** Live: audits this machine. Checks only that it completes and names the running kernel. */
    @Tag("live")
    @Test
    void liveHost() throws Exception {
        Path osrelease = Path.of("/proc/sys/kernel/osrelease");
        assumeTrue(Files.isReadable(osrelease), "needs a Linux /proc");
        String release = Files.readString(osrelease).strip();
        Run r = run("audit");
        assertThat(r.code()).as(r.err()).isIn(ExitCodes.OK, ExitCodes.PROBLEM);
        assertThat(r.out()).startsWith("kernel: " + release + "\n");
        Run j = run("audit", "--json");
        assertThat(j.code()).isEqualTo(r.code());
        assertThat(new ObjectMapper().readTree(j.out()).get("kernelVersion").asText()).isEqualTo(release);
    }
}
