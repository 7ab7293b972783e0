package dev.hangdoctor.cli;

import dev.hangdoctor.collect.LiveSampler;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.watch.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `hangdoctor check`: a node-problem-detector custom plugin. One quick live scan, one line of at most 80 bytes on
 * stdout, exit 0 (no hang), 1 (hang) or 2 (could not tell), as the plugin protocol wants.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "One quick scan for node-problem-detector's custom plugin monitor: prints one line (at most 80"
                + " bytes) such as 'OK: no hang' or 'HANG fuse: daemon:4242 blocks 3 tasks [...]'. Exit 0: no hang;"
                + " 1: hang; 2: unknown (the scan failed).")
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "Sampling window (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--kmsg", description = "Also read the kernel's message buffer (off by default: an old report in"
            + " the buffer would keep the condition set after the hang is gone).")
    boolean kmsg;

    @Option(names = "--rules", paramLabel = "DIR", description = "Also load known-hang rules from this directory.")
    List<Path> ruleDirs = new ArrayList<>();

    @Option(names = "--root", paramLabel = "DIR", hidden = true, defaultValue = "/", description = "Host root (tests).")
    Path root;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            LiveSampler.Options opts = LiveSampler.Options.defaults().withWindow(window)
                    .withDeadline(window.plus(Duration.ofSeconds(4)));
            if (!kmsg) {
                opts = opts.withKmsgDevice(null);
            }
            Evidence ev = new LiveSampler(root, opts).scan();
            Diagnosis d = DiagnosisPipeline.withRules(ruleDirs).diagnose(ev);
            out.println(Summary.line(d, Summary.NPD_MAX_BYTES));
            out.flush();
            return d.hangFound() ? ExitCodes.PROBLEM : ExitCodes.OK;
        } catch (Exception | Error e) {
            out.println(Summary.fit("UNKNOWN: " + Main.oneLine(e), Summary.NPD_MAX_BYTES));
            out.flush();
            return ExitCodes.BAD_INPUT;
        }
    }
}
