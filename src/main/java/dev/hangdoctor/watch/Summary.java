package dev.hangdoctor.watch;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;

import java.nio.charset.StandardCharsets;

/**
 * One line per hang, for node-problem-detector (its custom-plugin message is cut at 80 bytes) and incident lists:
 * "HANG jbd2: ext4-repro-with-write:27225 blocks 3 tasks", or "OK: no hang". Control characters in task names are
 * replaced and the line is cut on a character boundary, so it is always one valid UTF-8 line.
 */
public final class Summary {
    /** What node-problem-detector keeps of a custom plugin's message. */
    public static final int NPD_MAX_BYTES = 80;
    /** The line when there is no hang. */
    public static final String OK = "OK: no hang";

    private Summary() {
    }

    /** The line for a whole diagnosis: its first (most important) finding, plus how many others. */
    public static String line(Diagnosis d, int maxBytes) {
        if (!d.hangFound()) {
            return cut(OK, maxBytes);
        }
        String first = text(d.findings().get(0));
        int more = d.findings().size() - 1;
        return cut(more > 0 ? first + " (+" + more + " more)" : first, maxBytes);
    }

    /** The line for one finding. */
    public static String line(Finding f, int maxBytes) {
        return cut(text(f), maxBytes);
    }

    private static String text(Finding f) {
        String cat = f.category() == null ? f.signature() : f.category().id();
        String who = f.rootCause() != null ? f.rootCause().toString() : f.blocker() != null ? f.blocker() : "?";
        int victims = f.victims().size();
        return "HANG " + cat + ": " + who + (victims > 0 ? " blocks " + victims + (victims == 1 ? " task" : " tasks")
                : "") + " [" + f.signature() + "]";
    }

    /** Replaces control characters and cuts to at most {@code maxBytes} UTF-8 bytes, ending in "..." when cut. */
    /** Any text as one line of at most {@code maxBytes} UTF-8 bytes (see {@link #cut}). */
    public static String fit(String s, int maxBytes) {
        return cut(s, maxBytes);
    }

    static String cut(String s, int maxBytes) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        String clean = b.toString();
        if (clean.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return clean;
        }
        int budget = Math.max(0, maxBytes - 3);
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < clean.length(); ) {
            int cp = clean.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > budget) {
                break;
            }
            out.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return maxBytes >= 3 ? out + "..." : out.toString();
    }
}
