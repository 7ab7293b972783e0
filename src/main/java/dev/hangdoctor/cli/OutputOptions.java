package dev.hangdoctor.cli;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.report.HtmlReport;
import dev.hangdoctor.report.JsonReport;
import dev.hangdoctor.report.MarkdownReport;
import dev.hangdoctor.report.TerminalReport;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** How a diagnosis is shown, shared by the commands that produce one: terminal, --json, --markdown, and --html FILE. */
public final class OutputOptions {
    @Option(names = "--json", description = "Print the diagnosis as JSON (schema in the README).")
    boolean json;

    @Option(names = "--markdown", description = "Print the diagnosis as Markdown (for a ticket) instead of the terminal view.")
    boolean markdown;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the diagnosis as one self-contained HTML page (wait-for graph as SVG) to FILE.")
    Path html;

    /** Refuses contradictory options before any work is done. */
    void check() {
        if (json && markdown) {
            throw new IllegalArgumentException("--json and --markdown cannot be combined");
        }
    }

    /** Writes the HTML file (first: a file that cannot be written is a usage error), then prints the chosen view. */
    void emit(Diagnosis d, PrintWriter out, PrintWriter err) throws IOException {
        if (html != null) {
            try {
                Files.writeString(html, HtmlReport.render(d), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot write the HTML report to " + html + ": " + e, e);
            }
        }
        if (json) {
            JsonReport.write(d, out); // streamed: the document of a huge diagnosis is never held whole
            out.println();
        } else if (markdown) {
            out.print(MarkdownReport.render(d));
        } else {
            out.print(new TerminalReport(Ansi.enabled()).render(d));
        }
        out.flush();
        for (String w : d.warnings()) {
            err.println("hangdoctor: warning: " + w);
        }
    }
}
