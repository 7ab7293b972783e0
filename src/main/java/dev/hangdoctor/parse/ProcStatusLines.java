package dev.hangdoctor.parse;

import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the lines of {@code /proc/PID/status} that matter to a hang ({@code Name:}, {@code State:}, {@code Tgid:},
 * {@code Pid:}, {@code PPid:}, {@code NSpid:}, {@code SigPnd:}, {@code ShdPnd:}, {@code SigBlk:}) into a task, from
 * a whole file or from {@code grep Pnd} output. Pastes may turn the tab after the key into spaces.
 */
public final class ProcStatusLines {
    private ProcStatusLines() {
    }

    /** True for a {@code Key:} line of the status file's shape (a short word, a colon, whitespace or the end). */
    static boolean looksLikeStatusLine(String t) {
        int colon = t.indexOf(':');
        if (colon < 2 || colon > 28) {
            return false;
        }
        for (int k = 0; k < colon; k++) {
            char ch = t.charAt(k);
            if (!(Character.isLetterOrDigit(ch) || ch == '_')) {
                return false;
            }
        }
        return colon + 1 == t.length() || t.charAt(colon + 1) == '\t' || t.charAt(colon + 1) == ' ';
    }

    /** The {@code Pid:} value of a status line, or null. */
    static Integer pidOf(String t) {
        return t.startsWith("Pid:") ? TaskLineParser.parseIntOrNull(t.substring(4)) : null;
    }

    /**
     * Applies one status line to {@code task}; returns false for keys it does not keep. Unknown values leave the
     * field untouched rather than guessing.
     */
    public static boolean apply(Task task, String line) {
        String t = line.strip();
        int colon = t.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String key = t.substring(0, colon);
        String value = t.substring(colon + 1).strip();
        switch (key) {
            case "Name":
                if (!value.isEmpty()) {
                    task.comm(value);
                }
                return true;
            case "State":
                TaskState s = TaskState.parse(value);
                if (s != TaskState.UNKNOWN) {
                    task.state(s);
                }
                return true;
            case "Tgid":
                task.tgid(TaskLineParser.parseIntOrNull(value));
                return true;
            case "PPid":
                task.ppid(TaskLineParser.parseIntOrNull(value));
                return true;
            case "NSpid":
                List<Integer> pids = new ArrayList<>();
                for (String p : value.split("\\s+")) {
                    Integer v = TaskLineParser.parseIntOrNull(p);
                    if (v != null) {
                        pids.add(v);
                    }
                }
                task.nsPids(pids);
                return true;
            case "SigPnd":
                task.sigPnd(hex(value));
                return true;
            case "ShdPnd":
                task.shdPnd(hex(value));
                return true;
            case "SigBlk":
                task.sigBlk(hex(value));
                return true;
            default:
                return false;
        }
    }

    private static Long hex(String v) {
        if (v.isEmpty() || v.length() > 16) {
            return null;
        }
        for (int k = 0; k < v.length(); k++) {
            if (!FrameLineParser.isHexDigit(v.charAt(k))) {
                return null;
            }
        }
        return Long.parseUnsignedLong(v, 16);
    }
}
