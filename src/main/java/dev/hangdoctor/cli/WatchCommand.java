package dev.hangdoctor.cli;

import dev.hangdoctor.watch.WatchAgent;
import dev.hangdoctor.watch.WatchConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/** `hangdoctor watch`: the long-lived node agent (detects hangs as they start, keeps incidents, serves metrics). */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Run as a node agent: a cheap sample every interval, a full scan when a task has been stuck for"
                + " the threshold or the kernel reports a hang, incidents that open, update and resolve with their"
                + " evidence under the state directory, Prometheus metrics and a read-only JSON API (loopback by"
                + " default). Runs until stopped (SIGTERM/SIGINT).")
public final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (see the README); options below win.")
    Path config;

    @Option(names = "--config-if-exists", paramLabel = "FILE",
            description = "Like --config, but a missing file means the defaults (for service units: nothing to create in /etc).")
    Path optionalConfig;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Where the API and /metrics listen (default 127.0.0.1:9462; 'off' for none).")
    String listen;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Incidents, bundles and the audit log (default /var/lib/hangdoctor).")
    Path stateDir;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Cheap sample period (default 1s).")
    Duration interval;

    @Option(names = "--stuck-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a task stays stuck before a full scan (default 10s).")
    Duration stuckAfter;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class, hidden = true,
            description = "Stop after this long (tests, benchmarks).")
    Duration runFor;

    @Option(names = "--root", paramLabel = "DIR", hidden = true, description = "Host root (tests).")
    Path root;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (config != null && optionalConfig != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--config and --config-if-exists cannot be combined");
        }
        if (config != null && !java.nio.file.Files.exists(config)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--config " + config
                    + ": no such file (leave --config out, or use --config-if-exists, to run with the defaults)");
        }
        Path file = config != null ? config
                : optionalConfig != null && java.nio.file.Files.exists(optionalConfig) ? optionalConfig : null;
        WatchConfig cfg = file == null ? WatchConfig.defaults() : WatchConfig.load(file);
        if (listen != null) {
            cfg = cfg.withListen(listen);
        }
        if (stateDir != null) {
            cfg = cfg.withStateDir(stateDir);
        }
        if (interval != null) {
            cfg = cfg.withInterval(interval);
        }
        if (stuckAfter != null) {
            cfg = cfg.withStuckAfter(stuckAfter);
        }
        if (root != null) {
            cfg = cfg.withRoot(root);
        }
        cfg = cfg.validated();
        CountDownLatch stop = new CountDownLatch(1);
        Object lock = new Object();
        try (WatchAgent agent = new WatchAgent(cfg, line -> {
            synchronized (lock) {
                err.println(Instant.now() + " hangdoctor: " + line);
                err.flush();
            }
        })) {
            Thread hook = new Thread(stop::countDown, "hangdoctor-watch-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            agent.start();
            long heapMb = Runtime.getRuntime().maxMemory() >> 20;
            if (heapMb > 128) {
                // a one-shot command's JVM flags (or none) let a months-long agent grow far past its bound
                err.println("hangdoctor: warning: the agent runs with a " + heapMb + " MB heap limit; start it with"
                        + " ./hangdoctor watch or the JVM flags of deploy/hangdoctor.service (-Xmx64m -Xmn6m ...) to keep"
                        + " it within 80 MB resident");
            }
            if (runFor != null) {
                stop.await(runFor.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down
                }
            } else {
                stop.await();
            }
        }
        return ExitCodes.OK;
    }
}
