package dev.hangdoctor.cli;

import dev.hangdoctor.collect.ProcTreeReader;
import dev.hangdoctor.collect.TimedReader;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.audit.AuditResult;
import dev.hangdoctor.diagnose.audit.Auditor;
import dev.hangdoctor.diagnose.audit.SettingsTable;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.report.AuditJsonView;
import dev.hangdoctor.report.AuditTextView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `hangdoctor audit`: which known hangs this host's kernel is exposed to, and which settings make a hang worse. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check the running kernel and its settings against the known hangs: which ones this host is "
                + "exposed to, and which settings make a hang worse. Exit 0: nothing found; 1: exposed or risky; "
                + "2: bad usage or input.")
public final class AuditCommand implements Callable<Integer> {
    private static final Duration EXTRA_READ_TIMEOUT = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the audit as JSON.")
    boolean json;

    @Option(names = "--rules", paramLabel = "DIR", description = "Also load known-hang rules from this directory.")
    List<Path> ruleDirs = new ArrayList<>();

    @Option(names = "--root", paramLabel = "DIR", description = "Audit a saved bundle or a /proc-shaped tree instead "
            + "of this host (default: /).")
    Path root = Path.of("/");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": not a directory");
        }
        Evidence ev = new ProcTreeReader(root).read();
        if (ev.host().kernelRelease() == null && ev.host().sysctls().isEmpty()) {
            throw new IllegalArgumentException(root + ": no /proc tree with proc/sys/kernel here (give / or the root "
                    + "of a saved bundle)");
        }
        SettingsTable settings = SettingsTable.builtIn();
        readMissingSysctls(ev, settings.keys());
        AuditResult all = new Auditor(DiagnosisPipeline.withRules(ruleDirs).knowledgeBase(), settings).audit(ev);
        AuditResult r = new AuditResult(all.kernelRelease(), all.exposures(), all.settings(),
                all.warnings().stream().filter(w -> !aboutProcesses(w)).toList());
        if (json) {
            out.println(AuditJsonView.render(r));
        } else {
            out.print(new AuditTextView(Ansi.enabled()).render(r));
        }
        out.flush();
        for (String w : r.warnings()) {
            err.println("hangdoctor: warning: " + w);
        }
        return r.problemFound() ? ExitCodes.PROBLEM : ExitCodes.OK;
    }

    /**
     * The scan reads only the hung-task and lockup sysctls; the settings table may name others (vm.panic_on_oom),
     * read here from proc/sys with the same per-file timeout guard.
     */
    private void readMissingSysctls(Evidence ev, List<String> keys) {
        Path proc = Files.isDirectory(root.resolve("proc").resolve("sys")) ? root.resolve("proc") : root;
        boolean bundle = !isProcfs(proc);
        Map<String, String> sysctls = ev.host().sysctls();
        long perOp = EXTRA_READ_TIMEOUT.toNanos();
        for (String key : keys) {
            if (sysctls.containsKey(key) || !(key.startsWith("kernel.") || key.startsWith("vm."))
                    || key.contains("..") || key.indexOf('/') >= 0) {
                continue;
            }
            Path file = proc.resolve("sys").resolve(key.replace('.', '/'));
            TimedReader.Result res = TimedReader.shared().run(TimedReader.Op.read(file), bundle, perOp,
                    System.nanoTime() + perOp);
            if (res.ok() && res.text() != null && !res.text().isBlank()) {
                sysctls.put(key, res.text().strip());
            }
        }
    }

    /** The scan also reads processes, which an audit does not use: their warnings (unreadable stacks) are noise here. */
    private static boolean aboutProcesses(String warning) {
        return warning.startsWith("kernel stacks") || warning.startsWith("pid ") || warning.startsWith("task ")
                || warning.startsWith("read the first ") || warning.startsWith("process scan ");
    }

    private static boolean isProcfs(Path proc) {
        try {
            return Files.getFileStore(proc).type().equals("proc");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
