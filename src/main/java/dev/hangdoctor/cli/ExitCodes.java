package dev.hangdoctor.cli;

/** node-problem-detector's custom-plugin convention: 0 OK, 1 problem, anything else unknown. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int PROBLEM = 1;
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
