package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.ReportLine;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wait channel given in the report's words rather than as {@code cat /proc/PID/wchan} output: "the caller blocks
 * forever in the kernel (`/proc/&lt;tid&gt;/wchan = request_wait_answer`)", "wchan: request_wait_answer &lt;- FUSE:
 * blocked waiting for the daemon", "the harness's kernel wchan is anon_pipe_read". When the line, or the line of the
 * same paragraph before or after it, says the task is stuck (blocked, hung, in D), the name is read as a one-frame stack of a task in D, so the rules on the
 * innermost frame apply as they do to a pasted wchan file. Only kernel function names count (one with an underscore,
 * or one of the scheduler's own waits), never a word of prose; "0" (a running task) names none; a line that gives
 * the task another state ("state=T (stopped)  wchan=do_signal_stop") makes no task. A ps table's WCHAN column is
 * read by {@link PsTableBlock}: its header and option lists ("wchan:32", "wchan=WIDE-WCHAN-COLUMN") name no
 * function.
 */
final class ProseWaitChannels {
    /** "wchan" (alone or ending a /proc path), a separator people write, then one symbol, maybe in backticks. */
    private static final Pattern WCHAN = Pattern.compile(
            "(?i:\\bwchan)`?\\)?(?:\\s*[=:]\\s*|\\s+(?:is|was|shows|showed|says|returns|returned|gives|gave)\\s+)`?"
                    + "([A-Za-z_][A-Za-z0-9_.]*)");
    /** Words that say the task is stuck. */
    static final Pattern STUCK = Pattern.compile(
            "(?i:\\b(?:block(?:s|ed|ing)?|stuck|hung|hangs?|hanging|wedged?|deadlock(?:ed)?|uninterruptible|D[- ]state"
                    + "|in `?D\\b|state(?::|=| is)? ?`?D\\b|disk sleep|never (?:returns|answered|completes)))");
    /** A state other than D given on the line itself ("state=T (stopped)", "stat: S", "state is `R`"). */
    private static final Pattern OTHER_STATE = Pattern.compile("(?i:\\bstate?\\s*(?:[=:]|\\s+is\\s+)\\s*)`?([RSTtZXI])\\b");
    /** The scheduler's waits whose names have no underscore. */
    private static final List<String> PLAIN_WAITS = List.of("schedule", "msleep");

    private ProseWaitChannels() {
    }

    /** Reads the report's own words ({@link dev.hangdoctor.model.Evidence#reportLines}) for wait channels in prose. */
    static void read(TraceTasks out) {
        List<ReportLine> lines = out.evidence.reportLines();
        for (int i = 0; i < lines.size(); i++) {
            ReportLine l = lines.get(i);
            if (l.text().toLowerCase(Locale.ROOT).indexOf("wchan") < 0 && !continuedOnNext(lines, i)) {
                continue;
            }
            // a long line is kept in pieces cut between words: the name may sit in the next piece
            StringBuilder t = new StringBuilder(l.text());
            while (continuedOnNext(lines, i)) {
                t.append(' ').append(lines.get(++i).text());
            }
            // the sentence that says the task is stuck may be wrapped onto the line before or after
            String name = wchanIn(t.toString(), neighbour(lines, first(lines, i) - 1, -1) + " "
                    + neighbour(lines, i + 1, 1));
            if (name != null) {
                TraceBlock block = new TraceBlock(new Task(0).state(TaskState.UNINTERRUPTIBLE).source(out.at(l.lineNo())),
                        true, "wchan in prose");
                block.addFrame(new Frame(name, "", null, false, StackContext.TASK), StackContext.TASK);
                out.add(block, true, null);
            }
        }
    }

    /** Index of the first piece of the line whose last piece is at {@code i}. */
    private static int first(List<ReportLine> lines, int i) {
        while (i > 0 && continuedOnNext(lines, i - 1)) {
            i--;
        }
        return i;
    }

    /** The text of the report line at {@code j} when it was read next to the one beside it ({@code dir}), or "". */
    private static String neighbour(List<ReportLine> lines, int j, int dir) {
        if (j < 0 || j >= lines.size()) {
            return "";
        }
        ReportLine near = lines.get(j - dir);
        ReportLine l = lines.get(j);
        return Math.abs(l.seq() - near.seq()) == 1 && l.seq() > 0 ? l.text() : "";
    }

    private static boolean continuedOnNext(List<ReportLine> lines, int i) {
        return i + 1 < lines.size() && lines.get(i + 1).lineNo() == lines.get(i).lineNo()
                && lines.get(i + 1).seq() == lines.get(i).seq();
    }

    /** The kernel function a line of prose gives as a stuck task's wait channel, or null. */
    static String wchanIn(String t) {
        return wchanIn(t, "");
    }

    /** As {@link #wchanIn(String)}, the words that say the task is stuck also looked for in {@code around}. */
    static String wchanIn(String t, String around) {
        if (!STUCK.matcher(t).find() && !STUCK.matcher(around).find()) {
            return null;
        }
        Matcher s = OTHER_STATE.matcher(t);
        while (s.find()) {
            if (!s.group(1).equals("D")) {
                return null;
            }
        }
        Matcher m = WCHAN.matcher(t);
        while (m.find()) {
            String name = m.group(1);
            while (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (isKernelName(name)) {
                return name;
            }
        }
        return null;
    }

    private static boolean isKernelName(String name) {
        if (name.length() > 128) {
            return false;
        }
        if (name.endsWith("_")) {
            // a prefix written for a family ("`nfs_...`")
            return false;
        }
        return name.indexOf('_') > 0 || name.startsWith("__") && name.length() > 2 || PLAIN_WAITS.contains(name);
    }
}
