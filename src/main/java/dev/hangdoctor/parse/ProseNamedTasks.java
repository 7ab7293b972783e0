package dev.hangdoctor.parse;

import dev.hangdoctor.model.ReportLine;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task the report's words name, with its pid, as the one a hang caught: "The last kernel log entries show a CPU 3
 * RCU stall with `runc` (PID 1284521) stuck spinning in ...", "runc:1284521 stuck in D state". Only on a line that
 * itself names the hang (a stall, a lockup, D state, hung or blocked), and only a pid the evidence does not already hold: the task is
 * then a stackless one whose state the words give (D for D state or uninterruptible, R for a stall or a lockup, which
 * spin), so a rule that reads the report's words can name it as the blocker. A task named in a question ("is runc
 * (PID 12) stuck?") or by a fix ("fixes a possible RCU stall in runc (PID 1)") is not taken. A live scan takes no
 * task from its log ({@link dev.hangdoctor.model.Evidence#mergeLogIntoLive} only adds to the tasks it read from
 * /proc, and a task of words has neither frames nor a blocked time to add), and the rules that read the words
 * speak only for evidence handed in.
 */
final class ProseNamedTasks {
    /** A command name as people quote it, and its pid: "`runc` (PID 1284521)", "runc (pid: 12)", "runc:1284521". */
    private static final Pattern NAMED = Pattern.compile(
            "`?([A-Za-z][A-Za-z0-9_.-]{0,15})`?\\s*\\((?i:pid)[: ]\\s*([0-9]{1,7})\\)"
                    + "|(?<![\\w/:.-])(?!(?i:pid|tgid|ppid|cpu|line|port|irq|state):)([A-Za-z][A-Za-z0-9_.-]{0,15}):([0-9]{2,7})\\b(?![:.0-9])");
    /** A kernel line's "name:number" field. */
    private static final Pattern FIELD = Pattern.compile("(?<![\\w/])[A-Za-z]+:\\s*[0-9]");
    /** A state the words give: D. */
    private static final Pattern D_STATE = Pattern.compile("(?i:\\bD[- ]state\\b|\\bin `?D`? state|\\buninterruptible\\b|disk sleep)");
    /** A spinning hang: an RCU stall or a soft or hard lockup. */
    private static final Pattern SPIN = Pattern.compile("(?i:\\brcu\\b.{0,40}\\bstall|\\bstall(s|ed)? on cpu|\\b(soft|hard)[ -]lockup)");
    /** Other words that say a task hangs. */
    private static final Pattern HUNG = Pattern.compile("(?i:\\bstuck\\b|\\bhung\\b|\\bhangs\\b|\\bblocked (for|in|on)\\b)");
    /** A mention, not a report: a fix, a question. */
    private static final Pattern MENTION = Pattern.compile("(?i:\\b(fix(es|ed)?|avoid(s|ed)?|prevent(s|ed)?|possible|potential)\\b)|\\?\\s*$");

    private ProseNamedTasks() {
    }

    /** Reads the report's own words for tasks named with their pid as caught by a hang. */
    static void read(TraceTasks out) {
        List<ReportLine> lines = out.evidence.reportLines();
        for (ReportLine l : lines) {
            Task t = named(l.text());
            if (t != null && out.evidence.taskOrNull(t.pid()) == null) {
                out.addStandalone(t, "task named in prose", l.lineNo());
            }
        }
    }

    /** The task a line of prose names as caught by a hang, or null. */
    static Task named(String line) {
        boolean d = D_STATE.matcher(line).find();
        boolean spin = SPIN.matcher(line).find();
        if (!d && !spin && !HUNG.matcher(line).find() || MENTION.matcher(line).find()) {
            return null;
        }
        Matcher m = NAMED.matcher(line);
        // two "name:number" pairs or more are a kernel line's fields ("stack:11608 pid:1105"), not a task named
        boolean fields = FIELD.matcher(line).results().count() > 1;
        while (m.find()) {
            if (fields && m.group(3) != null) {
                continue;
            }
            String comm = m.group(1) != null ? m.group(1) : m.group(3);
            String pid = m.group(1) != null ? m.group(2) : m.group(4);
            int p = Integer.parseInt(pid);
            if (p <= 1) {
                continue;
            }
            TaskState state = d ? TaskState.UNINTERRUPTIBLE : spin ? TaskState.RUNNING : TaskState.UNKNOWN;
            return new Task(p).comm(comm).state(state);
        }
        return null;
    }
}
