package dev.hangdoctor.cli;

import dev.hangdoctor.collect.LiveSampler;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.model.Evidence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `hangdoctor scan`: diagnose the running host, read-only, within a deadline even when its /proc files block. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Diagnose the live host: every thread's state and stack across a sampling window, memory cgroups,"
                + " FUSE connections, userfaultfds, recent kernel messages. Read-only; never blocks on a hung task's"
                + " files. Exit 0: no hang; 1: hang found; 2: bad usage.")
public final class ScanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "Sample stuck-looking tasks again after this long, so a task only passing through D is not"
                    + " reported (default: ${DEFAULT-VALUE}; 0 for a single sample).")
    Duration window;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Finish by then whatever blocks (default: the window plus 5s).")
    Duration deadline;

    @Option(names = "--save", paramLabel = "DIR", description = "Write every raw file read into DIR, an evidence"
            + " bundle that `hangdoctor analyze DIR` diagnoses the same way.")
    Path save;

    @Option(names = "--rules", paramLabel = "DIR", description = "Also load known-hang rules from this directory.")
    List<Path> ruleDirs = new ArrayList<>();

    @Option(names = "--root", paramLabel = "DIR", hidden = true, defaultValue = "/",
            description = "Host root to read (tests point it at a fixture tree).")
    Path root;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        output.check();
        if (save != null) {
            if (Files.exists(save) && (!Files.isDirectory(save) || Files.list(save).findAny().isPresent())) {
                throw new IllegalArgumentException("--save " + save + ": must be a new or empty directory");
            }
            Files.createDirectories(save);
        }
        LiveSampler.Options opts = LiveSampler.Options.defaults().withWindow(window).withSaveDir(save);
        if (deadline != null) {
            opts = opts.withDeadline(deadline);
        }
        Evidence evidence = new LiveSampler(root, opts).scan();
        Diagnosis d = DiagnosisPipeline.withRules(ruleDirs).diagnose(evidence);
        output.emit(d, out, err);
        if (save != null) {
            err.println("hangdoctor: evidence saved in " + save + " (hangdoctor analyze " + save + ")");
        }
        return d.hangFound() ? ExitCodes.PROBLEM : ExitCodes.OK;
    }
}
