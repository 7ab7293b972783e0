package dev.hangdoctor.cli;

import picocli.CommandLine.Help;

/** Whether to colour output: only on a terminal, never with NO_COLOR set (picocli's AUTO rules). */
public final class Ansi {
    private Ansi() {
    }

    public static boolean enabled() {
        String noColor = System.getenv("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        return Help.Ansi.AUTO.enabled();
    }
}
