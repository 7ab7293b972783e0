package dev.hangdoctor.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a remediation step ("Give the cgroup more memory: echo &lt;bytes&gt; &gt; /sys/fs/...") into prose and the
 * parts an operator would copy (shell commands, /proc and /sys paths, sysctl settings), so views can set those as code.
 */
final class CommandSpans {
    /** One piece of a step: code (to copy) or prose. */
    record Span(String text, boolean code) {
    }

    private static final Set<String> COMMANDS = Set.of("echo", "kill", "cat", "ls", "iostat", "multipath", "umount",
            "mount", "sysctl", "dmesg", "ps", "docker", "kubectl", "crictl", "systemctl", "grep", "crash", "perf");
    // where a command stops and the sentence resumes
    private static final String[] STOPS = {" (", ", ", "; ", " where ", " for ", " instead ", " or ", " and ", " then "};

    private CommandSpans() {
    }

    /** Prose and code: `quoted` parts first, then commands, paths and sysctls found in the rest. */
    static List<Span> split(String step) {
        List<Span> out = new ArrayList<>();
        for (Span s : backticks(step)) {
            if (s.code()) {
                out.add(s);
            } else {
                out.addAll(heuristic(s.text()));
            }
        }
        return out;
    }

    /** Only the parts a rule author quoted in backticks (`ps`) are code; an unpaired backtick stays text. */
    static List<Span> backticks(String text) {
        List<Span> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        int from = 0;
        while (true) {
            int a = text.indexOf('`', from);
            int b = a < 0 ? -1 : text.indexOf('`', a + 1);
            if (b < 0 || b == a + 1) {
                if (from < text.length()) {
                    out.add(new Span(text.substring(from), false));
                }
                return out;
            }
            if (a > from) {
                out.add(new Span(text.substring(from, a), false));
            }
            out.add(new Span(text.substring(a + 1, b), true));
            from = b + 1;
        }
    }

    private static List<Span> heuristic(String step) {
        List<Span> out = new ArrayList<>();
        StringBuilder prose = new StringBuilder();
        int i = 0;
        while (i < step.length()) {
            int end = commandEnd(step, i);
            if (end < 0) {
                end = tokenEnd(step, i);
            }
            if (end > i) {
                if (prose.length() > 0) {
                    out.add(new Span(prose.toString(), false));
                    prose.setLength(0);
                }
                out.add(new Span(step.substring(i, end), true));
                i = end;
            } else {
                prose.append(step.charAt(i++));
            }
        }
        if (prose.length() > 0) {
            out.add(new Span(prose.toString(), false));
        }
        return out;
    }

    /** A known command word right after the start, "(", or ": " / ", " / "; ": its end, or -1. */
    private static int commandEnd(String s, int i) {
        boolean inParen = i > 0 && s.charAt(i - 1) == '(';
        boolean boundary = i == 0 || inParen
                || (i >= 2 && s.charAt(i - 1) == ' ' && ":,;".indexOf(s.charAt(i - 2)) >= 0);
        if (!boundary) {
            return -1;
        }
        int w = i;
        while (w < s.length() && (Character.isLetterOrDigit(s.charAt(w)) || s.charAt(w) == '-')) {
            w++;
        }
        if (w == i || !COMMANDS.contains(s.substring(i, w))) {
            return -1;
        }
        if (w < s.length() && s.charAt(w) != ' ') {
            return -1;
        }
        int end = s.length();
        for (String stop : STOPS) {
            int p = s.indexOf(stop, w);
            if (p >= 0 && p < end) {
                end = p;
            }
        }
        if (inParen) {
            int p = s.indexOf(')', w);
            if (p >= 0 && p < end) {
                end = p;
            }
        }
        return trimEnd(s, i, end);
    }

    /** An absolute path or a sysctl assignment standing alone as a word: its end, or -1. */
    private static int tokenEnd(String s, int i) {
        if (i > 0 && " (".indexOf(s.charAt(i - 1)) < 0) {
            return -1;
        }
        int end = i;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        end = trimEnd(s, i, end);
        if (end - i < 3) {
            return -1;
        }
        String tok = s.substring(i, end);
        boolean path = tok.charAt(0) == '/' && Character.isLetter(tok.charAt(1));
        boolean sysctl = tok.matches("(kernel|vm|fs|net)\\.[a-z0-9_.]+(=\\S+)?");
        return path || sysctl ? end : -1;
    }

    private static int trimEnd(String s, int start, int end) {
        while (end > start && ".,;:)".indexOf(s.charAt(end - 1)) >= 0 && !balancedClose(s, start, end)) {
            end--;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return end;
    }

    // keep a ")" that closes a "(" inside the span ("cpu.max (v2)" is not a case, but "$(cat x)" would be)
    private static boolean balancedClose(String s, int start, int end) {
        if (s.charAt(end - 1) != ')') {
            return false;
        }
        int depth = 0;
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        return depth == 0;
    }
}
