package dev.hangdoctor.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.cli.ExitCodes;
import dev.hangdoctor.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;

/** What `analyze --json` answered for one corpus report, compared with the source's conclusion. */
record CorpusVerdict(CorpusReport report, int exit, String category, Integer blocker, long millis) {

    /** Text that an expert reads as kernel evidence of a hang: a hang/lockup/stall message or a kernel stack frame. */
    private static final Pattern KERNEL_EVIDENCE = Pattern.compile(
            "blocked for more than|hung_task_timeout_secs|Call [Tt]race:|Backtrace:|soft lockup|hard LOCKUP"
                    + "|detected stalls? on CPU|rcu_\\w+ self-detected stall|Out of memory|oom-kill"
                    + "|[A-Za-z_.][\\w.]*\\+0x[0-9a-f]+/0x[0-9a-f]+");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs the report through the CLI in-process, as a user would with `hangdoctor analyze --json FILE`. */
    static CorpusVerdict of(CorpusReport report) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "analyze", "--json", report.text().toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        String category = exit == ExitCodes.BAD_INPUT ? "nothing recognised" : "no hang";
        Integer blocker = null;
        if (exit != ExitCodes.BAD_INPUT) {
            try {
                JsonNode findings = JSON.readTree(out.toString()).path("findings");
                if (findings.size() > 0) {
                    JsonNode first = findings.get(0);
                    category = first.path("category").asText();
                    JsonNode pid = first.path("rootCause").path("pid");
                    blocker = pid.isIntegralNumber() ? pid.asInt() : null;
                }
            } catch (Exception e) {
                category = "bad JSON: " + e.getMessage();
            }
        }
        return new CorpusVerdict(report, exit, category, blocker, millis);
    }

    boolean categoryRight() {
        return category.equals(report.category());
    }

    boolean blockerRight() {
        return report.blocker() != null && report.blocker().equals(blocker);
    }

    /** Exit 2 ("nothing recognised") on text that holds a kernel stack or a hang message. */
    boolean unrecognisedEvidence() {
        return exit == ExitCodes.BAD_INPUT && KERNEL_EVIDENCE.matcher(report.body()).find();
    }
}
