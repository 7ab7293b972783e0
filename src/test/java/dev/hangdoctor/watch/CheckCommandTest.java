package dev.hangdoctor.watch;

import dev.hangdoctor.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `hangdoctor check` speaks node-problem-detector's custom plugin protocol: one short line, exit 0/1/2. */
class CheckCommandTest {
    @TempDir
    Path empty;

    private record Run(int exit, String out) {
    }

    private static Run check(String... args) {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "check";
        System.arraycopy(args, 0, all, 1, args.length);
        int rc = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), all);
        return new Run(rc, out.toString());
    }

    @Test
    void aHungHostIsExitOneWithOneShortLine() {
        Run r = check("--no-agent", "--window", "200ms", "--root", "src/test/resources/proc/bundle-6.18");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("HANG ").endsWith("\n");
        assertThat(r.out().strip()).doesNotContain("\n");
        assertThat(r.out().strip().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(80);
    }

    @Test
    void aQuietHostIsExitZero() {
        Run r = check("--no-agent", "--window", "0", "--root", empty.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("OK: no hang\n");
    }

    @Test
    void badUsageIsExitTwo() {
        assertThat(check("--window", "soon").exit()).isEqualTo(2);
    }
}
