package dev.hangdoctor.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.HungTaskLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input beyond every cap, run as `./hangdoctor` runs it (a JVM of its own with the launcher's 256 MB heap): 200 000
 * distinct hung tasks go through every view; when memory does run out, or the input never ends, the answer is one
 * line on stderr and exit 2 — never a stack trace, never exit 1 ("hang found"), never a hang. The logs are made on
 * the fly and streamed into the child's standard input.
 */
class LargeInputTest {
    private static final int TASKS = 200_000;
    /** Generous: the child is killed at this bound, which only a hang reaches (a run takes seconds). */
    private static final long LIMIT_SECONDS = 300;

    @TempDir
    Path dir;

    private static void assertNoStackTrace(ChildCli.Result r) {
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Error");
    }

    private ChildCli.Result analyze(String... options) throws IOException, InterruptedException {
        String[] args = new String[options.length + 2];
        args[0] = "analyze";
        System.arraycopy(options, 0, args, 1, options.length);
        args[args.length - 1] = "-";
        return ChildCli.run(dir, ChildCli.LAUNCHER_HEAP, HungTaskLog.ofTasks(TASKS), LIMIT_SECONDS, args);
    }

    @Test
    void twoHundredThousandTasksAsTerminalViewAndHtmlPage() throws Exception {
        Path html = dir.resolve("report.html");
        ChildCli.Result r = analyze("--html", html.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
        assertNoStackTrace(r);
        assertThat(r.err()).contains("more than " + Evidence.MAX_TASKS + " tasks");
        assertThat(Files.readString(r.out())).contains("HANG").contains(String.valueOf(Evidence.MAX_TASKS));
        assertThat(Files.readString(html)).endsWith("</html>\n").contains("kworker/u8:1001");
    }

    @Test
    void twoHundredThousandTasksAsJsonStreamedWhole() throws Exception {
        ChildCli.Result r = analyze("--json");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
        assertNoStackTrace(r);
        // read back token by token: the document lists every kept task (in its stack group and its graph node)
        long pids = 0;
        int total = -1;
        boolean capStated = false;
        try (JsonParser p = new ObjectMapper().getFactory().createParser(r.out().toFile())) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("pid")) {
                    pids++;
                } else if (t == JsonToken.FIELD_NAME && p.currentName().equals("total") && total < 0) {
                    p.nextToken();
                    total = p.getIntValue();
                } else if (t == JsonToken.VALUE_STRING && p.getText().contains("more than " + Evidence.MAX_TASKS)) {
                    capStated = true;
                }
            }
        }
        assertThat(total).isEqualTo(Evidence.MAX_TASKS);
        assertThat(pids).isGreaterThanOrEqualTo(2L * Evidence.MAX_TASKS);
        assertThat(capStated).as("the cap is in the document's warnings").isTrue();
    }

    @Test
    void twoHundredThousandTasksAsMarkdown() throws Exception {
        ChildCli.Result r = analyze("--markdown");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
        assertNoStackTrace(r);
        assertThat(Files.readString(r.out())).startsWith("#").contains(String.valueOf(Evidence.MAX_TASKS));
    }

    @Test
    void runningOutOfMemoryIsOneLineAndExitTwo() throws Exception {
        // a heap too small for the caps: the same input must then be refused cleanly, whatever view was asked for
        ChildCli.Result r = ChildCli.run(dir, "24m", HungTaskLog.ofTasks(TASKS), LIMIT_SECONDS, "analyze", "--json", "-");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().strip()).startsWith("hangdoctor: out of memory").doesNotContain("\n").contains("HANGDOCTOR_HEAP");
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }

    @Test
    void endlessZerosOnStandardInputAreRefused() throws Exception {
        // `analyze - < /dev/zero`: no newline and no end; the bound is only there to turn a hang into a failure
        ChildCli.Result r = ChildCli.runWithInputFrom(dir, ChildCli.LAUNCHER_HEAP, new File("/dev/zero"), LIMIT_SECONDS,
                "analyze", "-");
        assertThat(r.exit()).as("ended by itself: " + r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().strip()).startsWith("hangdoctor: <stdin>: binary data").doesNotContain("\n");
        assertThat(Files.readString(r.out(), StandardCharsets.UTF_8)).isEmpty();
    }
}
