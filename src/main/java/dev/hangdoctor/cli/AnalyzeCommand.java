package dev.hangdoctor.cli;

import dev.hangdoctor.collect.EvidenceLoader;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.model.Evidence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
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

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--rules", paramLabel = "DIR", description = "Also load known-hang rules from this directory.")
    List<Path> ruleDirs = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Evidence files or directories; '-' reads standard input.")
    List<String> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        output.check();
        Evidence all = new Evidence();
        for (String f : files) {
            all.mergeFrom(EvidenceLoader.load(f, System.in));
        }
        Diagnosis d = DiagnosisPipeline.withRules(ruleDirs).diagnose(all);
        output.emit(d, out, err);
        return d.hangFound() ? ExitCodes.PROBLEM : ExitCodes.OK;
    }
}
