package dev.hangdoctor.cli;

import dev.hangdoctor.collect.LiveSampler;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.watch.CheckClient;
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
 * `hangdoctor check`: a node-problem-detector custom plugin. One line of at most 80 bytes on stdout, exit 0 (no
 * hang), 1 (hang) or 2 (could not tell), as the plugin protocol wants. When the node agent runs, its answer (open
 * incidents) is read from its check socket in milliseconds, from whatever pid namespace check runs in; otherwise
 * check scans by itself, which is only right in the host's pid namespace, so elsewhere it says UNKNOWN.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "One quick scan for node-problem-detector's custom plugin monitor: prints one line (at most 80"
                + " bytes) such as 'OK: no hang' or 'HANG fuse: daemon:4242 blocks 3 tasks [...]'. Asks the running"
                + " agent (watch) over its socket when there is one, else scans. Exit 0: no hang; 1: hang; 2: unknown"
                + " (the scan failed, or no agent and not in the host's pid namespace).")
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

    @Option(names = "--agent-socket", paramLabel = "PATH", defaultValue = "/var/lib/hangdoctor/check.sock",
            description = "The agent's check socket (STATE_DIR/check.sock; default: ${DEFAULT-VALUE}).")
    Path agentSocket;

    @Option(names = "--no-agent", description = "Never ask the agent: always scan.")
    boolean noAgent;

    @Option(names = "--root", paramLabel = "DIR", hidden = true, defaultValue = "/", description = "Host root (tests).")
    Path root;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            CheckClient.Answer a = noAgent ? null : CheckClient.ask(agentSocket, Duration.ofSeconds(2));
            if (a != null) {
                out.println(a.line());
                out.flush();
                return a.exit() == 1 ? ExitCodes.PROBLEM : ExitCodes.OK;
            }
            if (root.toString().equals("/") && !inHostPidNamespace()) {
                // our own /proc shows only this namespace's processes: "no hang" would be a guess
                out.println(Summary.fit("UNKNOWN: no agent at " + agentSocket + " and not in the host's pid namespace",
                        Summary.NPD_MAX_BYTES));
                out.flush();
                return ExitCodes.BAD_INPUT;
            }
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

    /** Kernel threads (kthreadd is pid 2) are visible only from the initial pid namespace's /proc. */
    static boolean inHostPidNamespace() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/2/stat")).startsWith("2 (kthreadd) ");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
