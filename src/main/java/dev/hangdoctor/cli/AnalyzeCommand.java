package dev.hangdoctor.cli;

import dev.hangdoctor.collect.EvidenceLoader;
import dev.hangdoctor.diagnose.Diagnoser;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.report.HtmlReport;
import dev.hangdoctor.report.JsonReport;
import dev.hangdoctor.report.MarkdownReport;
import dev.hangdoctor.report.TerminalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `hangdoctor analyze FILE...`: diagnose a hang from saved evidence. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Diagnose a kernel hang from saved evidence: kernel logs, hung-task reports, sysrq dumps, "
                + "crash output, /proc stacks or bundles, Go goroutine dumps. Exit 0: no hang; 1: hang found; "
                + "2: bad usage or input.")
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the diagnosis as JSON (schema in the README).")
    boolean json;

    @Option(names = "--markdown", description = "Print the diagnosis as Markdown (for a ticket) instead of the terminal view.")
    boolean markdown;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write a self-contained HTML report (verdict, wait-for graph, stacks) to FILE.")
    Path html;

    @Option(names = "--rules", paramLabel = "DIR", description = "Also load known-hang rules from this directory.")
    List<Path> ruleDirs = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Evidence files or directories; '-' reads standard input.")
    List<String> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json && markdown) {
            throw new IllegalArgumentException("--json and --markdown cannot be combined");
        }
        Evidence all = new Evidence();
        for (String f : files) {
            all.mergeFrom(EvidenceLoader.load(f, System.in));
        }
        Diagnosis d = new Diagnoser(KnowledgeBase.load(ruleDirs)).diagnose(all);
        if (html != null) {
            // written before anything is printed: a file that cannot be written is a usage error (exit 2)
            try {
                Files.writeString(html, HtmlReport.render(d), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot write the HTML report to " + html + ": " + e, e);
            }
        }
        if (json) {
            out.println(JsonReport.render(d));
        } else if (markdown) {
            out.print(MarkdownReport.render(d));
        } else {
            out.print(new TerminalReport(Ansi.enabled()).render(d));
        }
        out.flush();
        for (String w : d.warnings()) {
            err.println("hangdoctor: warning: " + w);
        }
        return d.hangFound() ? ExitCodes.PROBLEM : ExitCodes.OK;
    }
}
