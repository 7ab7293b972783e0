package dev.hangdoctor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/** The `hangdoctor` command line: one subcommand per way of looking at a host. */
@Command(name = "hangdoctor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Says which task blocks a hung Linux host, which are only victims, which known kernel bug it is,"
                + " and what un-hangs it.")
public final class Main {
    /**
     * The subcommands, in the order help lists them. They are added to the command line by {@link #commandLine}, not
     * by the annotation: picocli builds the model of every command it is given by reflection, at start-up, with
     * classes the JVM cannot keep in its class data archive (picocli's are Java 5 class files).
     */
    private static final List<Class<?>> COMMANDS = List.of(AnalyzeCommand.class, ScanCommand.class, FixCommand.class,
            AuditCommand.class, WatchCommand.class, CheckCommand.class, CommandLine.HelpCommand.class,
            picocli.AutoComplete.GenerateCompletion.class);

    public static void main(String[] args) {
        // a thread of the agent or of a scan that dies of an Error leaves the process in an unknown state: say so in
        // one line and end with "unknown" rather than print a stack trace and carry on half-working
        Thread.setDefaultUncaughtExceptionHandler((t, ex) -> {
            System.err.println("hangdoctor: " + describe(ex) + " (thread " + t.getName() + ")");
            System.err.flush();
            if (ex instanceof Error) {
                Runtime.getRuntime().halt(ExitCodes.BAD_INPUT);
            }
        });
        if (args.length > 0 && DIAGNOSING.contains(args[0])) {
            // the rules are parsed while the command line is and the evidence read (two cores: a third off a small run)
            dev.hangdoctor.diagnose.kb.KnowledgeBase.preloadBuiltIns();
        }
        System.exit(run(args));
    }

    /** The commands that diagnose, and so load the knowledge base. */
    private static final java.util.Set<String> DIAGNOSING = java.util.Set.of("analyze", "scan", "fix", "check", "audit", "watch");

    /** Runs the CLI and returns its exit code: 0 no hang, 1 hang found, 2 bad usage or input. */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /** Runs the CLI with its output and errors sent to the given writers (null: the process's own). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = commandLine(args.length > 0 ? args[0] : null);
        if (args.length > 0 && args[0].equals("gen-manpage")) {
            // the man page generator loads picocli-codegen's classes: only when asked, so no start-up pays for it
            cl.addSubcommand(new picocli.codegen.docgen.manpage.ManPageGenerator());
        }
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("hangdoctor: " + oneLine(ex));
            return ExitCodes.BAD_INPUT;
        });
        cl.setParameterExceptionHandler((ex, parsed) -> {
            String name = ex.getCommandLine().getCommandName();
            ex.getCommandLine().getErr().println("hangdoctor: " + ex.getMessage()
                    + " (see 'hangdoctor " + (name.equals("hangdoctor") ? "" : name + " ") + "--help')");
            return ExitCodes.BAD_INPUT;
        });
        try {
            return cl.execute(args);
        } catch (Throwable ex) {
            // picocli hands Exceptions to the handler above; Errors (out of memory, stack overflow) come here.
            // Catching OutOfMemoryError is sound: what filled the heap belonged to the command's frames, now gone.
            cl.getErr().println("hangdoctor: " + describe(ex));
            cl.getErr().flush();
            return ExitCodes.BAD_INPUT;
        }
    }

    /**
     * The command line for a run whose first argument is {@code first}: with only that subcommand when it names one of
     * hangdoctor's own (its model is all the run needs), else with every one (help, the completion script, usage
     * errors and the man pages list them all).
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = null;
        for (Class<?> c : COMMANDS) {
            // help and the completion script describe the others: they need them all
            if (c.getPackage() == Main.class.getPackage() && c.getAnnotation(Command.class).name().equals(first)) {
                only = c;
            }
        }
        for (Class<?> c : only != null ? List.<Class<?>>of(only) : COMMANDS) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    /** One line for an error nobody expected: what happened and, for memory, what to do about it. */
    static String describe(Throwable ex) {
        if (ex instanceof OutOfMemoryError) {
            return "out of memory (" + oneLine(ex) + ", heap limit " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB): the input is too large for this heap; give fewer or smaller files, or a larger heap"
                    + " (HANGDOCTOR_HEAP=1g with the ./hangdoctor launcher, -Xmx1g with java)";
        }
        if (ex instanceof StackOverflowError) {
            return "internal error: stack overflow (input nested too deeply?)";
        }
        return "internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(ex);
    }

    /** `hangdoctor --version`: version, commit and knowledge-base version of this build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {dev.hangdoctor.config.BuildInfo.current().line()};
        }
    }

    static String oneLine(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }
}
