package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.ReportLine;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.List;

/**
 * Stacks people write by hand when they tell where a task sleeps: a call chain on one line joined by arrows
 * ({@code __x64_sys_close -> filp_close -> fuse_flush -> request_wait_answer}, callers first), or function names one
 * a line without addresses (copied from a sysrq dump's symbols, indented as a call tree, or ftrace's stack trace
 * {@code  => __schedule}). A task with no pid and no state is made of it, innermost frame first, as the kernel
 * prints stacks. Only a chain of at least {@link #MIN_NAMES} symbols of which one is a place a task sleeps counts:
 * menus ("Settings -> Network -> Proxy") and lists of words stay prose.
 */
final class HandWrittenStacks {
    /** Fewer names are a mention ("fuse_flush -> request_wait_answer"), not a stack. */
    static final int MIN_NAMES = 3;
    /** A name line is short: a symbol and, at most, a note after it ("__flush_work   <- D-state here"). */
    private static final int MAX_NAME_LINE = 120;
    /** Words in a symbol that say the task sleeps there (the scheduler's entries, waits, sleeping locks, flushes). */
    private static final String[] SLEEP_WORDS = {
        "schedule", "wait", "sleep", "mutex", "rwsem", "down_read", "down_write", "__down", "lock_page", "flush",
        "refrigerator", "synchronize_", "completion",
    };

    private static final java.util.regex.Pattern FORWARD = java.util.regex.Pattern.compile("\\s+(?:->|→)\\s+");
    private static final java.util.regex.Pattern BACKWARD = java.util.regex.Pattern.compile("\\s+(?:<-|←)\\s+");

    private HandWrittenStacks() {
    }

    /**
     * Reads the report's own words (the lines no parser took, {@link Evidence#reportLines}) for stacks written by
     * hand: name lines next to each other (as read, a page's double spacing undone) are one list; a line with arrows
     * is a chain of its own.
     */
    static void read(TraceTasks out) {
        List<ReportLine> lines = out.evidence.reportLines();
        List<ReportLine> run = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ReportLine l = lines.get(i);
            String t = l.text();
            String name = nameOf(t);
            boolean next = !run.isEmpty() && l.seq() > 0 && l.seq() == run.get(run.size() - 1).seq() + 1;
            if (name == null || !next) {
                list(out, run);
            }
            if (name != null) {
                run.add(l);
            } else {
                // a mailer or a page wrapped the chain at a space beside an arrow: "... at `a ->" / "b -> c`", or
                // "... at `a" / "-> b -> c`"
                while (i + 1 < lines.size() && lines.get(i + 1).seq() == lines.get(i).seq() + 1
                        && (endsWithArrow(t) || startsWithArrow(lines.get(i + 1).text()))) {
                    t = t + ' ' + lines.get(++i).text();
                }
                if (hasArrow(t)) {
                    chain(out, t, l.lineNo());
                }
            }
        }
        list(out, run);
        joinedLists(out, lines);
    }

    /**
     * Name lines a page joined into one line (it lost the line breaks, as a page without {@code <pre>} does): each
     * line's indentation (and quote marks) now stands between the names, the same run of blanks between every two
     * ("... 491 seconds.         schedule         schedule_timeout         __down_timeout ..."). A run of at least
     * {@link #MIN_NAMES} symbols apart by one such gap of two or more characters is the list the lines were; a
     * single space is a sentence's, whose words may be symbols too. The pieces a long line is kept as are read as
     * the one line they were: where one was cut, the gap is not known and matches any.
     */
    private static void joinedLists(TraceTasks out, List<ReportLine> lines) {
        for (int i = 0; i < lines.size(); ) {
            ReportLine l = lines.get(i);
            StringBuilder joined = new StringBuilder(l.text());
            int j = i + 1;
            while (l.seq() > 0 && j < lines.size() && lines.get(j).seq() == l.seq()) {
                joined.append(CUT).append(lines.get(j++).text());
            }
            if (nameOf(l.text()) == null && !hasArrow(joined.toString())) {
                gapped(out, joined.toString(), l.lineNo());
            }
            i = j;
        }
    }

    /** Stands for the place a long line was cut into pieces (between words): a gap of unknown width. */
    private static final char CUT = '\n';

    /** Reads the runs of names {@link #joinedLists} describes in {@code t}; each that is a stack becomes one. */
    static void gapped(TraceTasks out, String t, long lineNo) {
        int n = t.length();
        List<String> run = new ArrayList<>();
        String runGap = null;
        int i = 0;
        while (i < n) {
            int gapStart = i;
            while (i < n && gapChar(t.charAt(i))) {
                i++;
            }
            String gap = t.substring(gapStart, i);
            int start = i;
            while (i < n && !gapChar(t.charAt(i))) {
                i++;
            }
            if (start == i) {
                break;
            }
            String name = listedName(t.substring(start, i));
            boolean cut = gap.indexOf(CUT) >= 0;
            if (name != null && !run.isEmpty() && (cut || gap.length() >= 2 && (runGap == null || gap.equals(runGap)))) {
                run.add(name);
                if (!cut && runGap == null) {
                    runGap = gap;
                }
                continue;
            }
            listed(out, run, lineNo);
            run = new ArrayList<>();
            runGap = null;
            if (name != null) {
                run.add(name);
            }
        }
        listed(out, run, lineNo);
    }

    private static boolean gapChar(char c) {
        return c == ' ' || c == '\t' || c == '>' || c == CUT;
    }

    /** A word of a joined list as a symbol: not one that ends a sentence or a clause ("seconds.", "this:"). */
    private static String listedName(String word) {
        char last = word.charAt(word.length() - 1);
        return last == '.' || last == ',' ? null : symbol(word);
    }

    /** A run of {@link #gapped} names, innermost first as the lines were: a stack when it is one. */
    private static void listed(TraceTasks out, List<String> run, long lineNo) {
        if (run.size() >= MIN_NAMES && sleepsIn(run) && underscored(run) >= 2) {
            emit(out, run.size() > TraceBlock.MAX_FRAMES ? run.subList(0, TraceBlock.MAX_FRAMES) : run, lineNo);
        }
    }

    private static final String[] ARROWS = {"->", "<-", "→", "←"};

    private static boolean hasArrow(String t) {
        return java.util.Arrays.stream(ARROWS).anyMatch(t::contains);
    }

    private static boolean endsWithArrow(String t) {
        return java.util.Arrays.stream(ARROWS).anyMatch(a -> t.endsWith(" " + a));
    }

    private static boolean startsWithArrow(String t) {
        return java.util.Arrays.stream(ARROWS).anyMatch(a -> t.startsWith(a + " "));
    }

    /** A run of name lines: a stack when it is one (enough names, a place to sleep among them); emptied. */
    private static void list(TraceTasks out, List<ReportLine> run) {
        List<String> names = new ArrayList<>();
        List<Integer> indents = new ArrayList<>();
        int marked = -1;
        for (ReportLine l : run) {
            if (names.size() >= TraceBlock.MAX_FRAMES) {
                break;
            }
            String t = l.text();
            if (marked < 0 && (t.indexOf("<-") > 0 || t.indexOf('←') > 0)) {
                marked = names.size();
            }
            names.add(nameOf(t));
            indents.add(l.indent());
        }
        long first = run.isEmpty() ? 0 : run.get(0).lineNo();
        run.clear();
        if (names.size() < MIN_NAMES || !sleepsIn(names) || underscored(names) < 2) {
            return;
        }
        List<String> frames = names;
        if (stepsRight(indents)) {
            // a tree whose lines step right runs from the caller to the callee: the kernel's order is the reverse;
            // a note on one line ("__flush_work  <- D-state here") marks where the task sleeps: the lines above it
            // are its callers, and what the tree puts below it is the writer's afterthought (the syscall it came in
            // by), outer still
            int mark = marked >= 0 ? marked + 1 : frames.size();
            List<String> inner = new ArrayList<>(frames.subList(0, mark));
            java.util.Collections.reverse(inner);
            inner.addAll(frames.subList(mark, frames.size()));
            frames = inner;
        }
        emit(out, frames, first);
    }

    /**
     * A call chain joined by arrows on one line, within prose or alone: made into a task at once. False when the
     * line holds no such chain of {@link #MIN_NAMES} symbols with a place to sleep among them.
     */
    static boolean chain(TraceTasks out, String t, long lineNo) {
        if (offsetChain(out, t, lineNo)) {
            return true;
        }
        // arrows with space on both sides: C's member access ("inode->i_mapping->host") is no call chain
        boolean backwards = !FORWARD.matcher(t).find();
        String[] parts = (backwards ? BACKWARD : FORWARD).split(t, -1);
        if (parts.length < MIN_NAMES) {
            return false;
        }
        // the longest run of single symbols between arrows; the ends may sit in prose ("stuck in `a -> b -> c`.")
        List<String> best = List.of();
        List<String> run = new ArrayList<>();
        for (int k = 0; k < parts.length; k++) {
            String p = parts[k].strip();
            String whole = symbol(p);
            String edge = k == 0 ? symbol(lastWord(p)) : null;
            if (whole != null) {
                run.add(whole);
            } else if (edge != null) {
                run = new ArrayList<>(List.of(edge));
            } else {
                String head = k > 0 ? symbol(firstWord(p)) : null;
                if (head != null) {
                    run.add(head);
                }
                if (run.size() > best.size()) {
                    best = run;
                }
                run = new ArrayList<>();
                String tail = symbol(lastWord(p));
                if (tail != null) {
                    run.add(tail);
                }
            }
        }
        if (run.size() > best.size()) {
            best = run;
        }
        if (best.size() < MIN_NAMES || !sleepsIn(best) || underscored(best) < 2) {
            return false;
        }
        List<String> frames = new ArrayList<>(best);
        // arrows mostly run from caller to callee; a chain that starts where the task sleeps and ends in a place that
        // is none ("request_wait_answer -> __fuse_simple_request -> fuse_readdir_uncached") was copied off a stack
        // in the kernel's own order, innermost first
        boolean kernelOrder = sleepsIn(best.subList(0, 1)) && !sleepsIn(best.subList(best.size() - 1, best.size()));
        if (!backwards && !kernelOrder) {
            java.util.Collections.reverse(frames);
        }
        emit(out, frames, lineNo);
        return true;
    }

    /** One frame as the kernel prints it, "fn+0x4a/0x1c0" and maybe " [module]", maybe in backticks. */
    private static final String OFFSET_FRAME =
            "`?([A-Za-z_][A-Za-z0-9_.]*)\\+0x[0-9a-fA-F]+/0x[0-9a-fA-F]+(?: \\[[A-Za-z0-9_]+\\])?`?";
    private static final java.util.regex.Pattern OFFSET_CHAIN = java.util.regex.Pattern.compile(
            OFFSET_FRAME + "(?:\\s+(?:->|→|<-|←)\\s+" + OFFSET_FRAME + ")+");
    private static final java.util.regex.Pattern OFFSET_ONE = java.util.regex.Pattern.compile(OFFSET_FRAME);

    /**
     * Frames copied off a stack with their offsets and joined by arrows in a sentence ("(`/proc/<pid>/stack`:
     * `del_connection+0x4a/0x1c0 [drbd]` ← `drbd_adm_down+0xcf/0x390`)"): the offsets are the kernel's own printing,
     * no prose has them, so two frames are a stack and need no place to sleep among them. Left arrows keep the
     * kernel's order (innermost first), right arrows run from the caller.
     */
    private static boolean offsetChain(TraceTasks out, String t, long lineNo) {
        java.util.regex.Matcher m = OFFSET_CHAIN.matcher(t);
        if (!m.find()) {
            return false;
        }
        String chain = m.group();
        List<String> frames = new ArrayList<>();
        java.util.regex.Matcher one = OFFSET_ONE.matcher(chain);
        while (one.find() && frames.size() < TraceBlock.MAX_FRAMES) {
            frames.add(one.group(1));
        }
        if (!BACKWARD.matcher(chain).find()) {
            java.util.Collections.reverse(frames);
        }
        // the sentence saying the task is stuck there ("went D-state, uninterruptible, inside ...") gives its state
        Task task = new Task(0).source(out.at(lineNo));
        if (ProseWaitChannels.STUCK.matcher(t).find()) {
            task.state(TaskState.UNINTERRUPTIBLE);
        }
        emit(out, task, frames);
        return true;
    }

    private static void emit(TraceTasks out, List<String> innermostFirst, long lineNo) {
        emit(out, new Task(0).source(out.at(lineNo)), innermostFirst);
    }

    private static void emit(TraceTasks out, Task task, List<String> innermostFirst) {
        TraceBlock block = new TraceBlock(task, true, "hand-written stack");
        for (String name : innermostFirst) {
            block.addFrame(Frame.of(name), StackContext.TASK);
        }
        out.add(block, true, null);
    }

    /** The symbol a name line holds ("name", "  name()", "=> name", "`name`", "name   <- note"), or null. */
    static String nameOf(String t) {
        int n = t.length();
        if (n > MAX_NAME_LINE) {
            return null;
        }
        int from = t.startsWith("=>") ? RawText.skipWhitespace(t, 2, n) : 0;
        int end = nameEnd(t, from, n);
        if (end <= from) {
            return null;
        }
        return symbol(t.substring(from, end));
    }

    /**
     * Where a name line's symbol ends (after "()" and backticks), when what follows it is nothing or a note that
     * starts with an arrow or a comment mark; {@code from} when the line is no name line.
     */
    private static int nameEnd(String s, int from, int end) {
        int i = from;
        if (i < end && s.charAt(i) == '`') {
            i++;
        }
        if (i >= end || !(Character.isLetter(s.charAt(i)) || s.charAt(i) == '_')) {
            return from;
        }
        while (i < end && FrameLineParser.isSymbolChar(s.charAt(i))) {
            i++;
        }
        int symbolEnd = i;
        if (RawText.startsWith(s, i, end, "()")) {
            i += 2;
        }
        if (i < end && s.charAt(i) == '`') {
            i++;
        }
        int j = i;
        while (j < end && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
            j++;
        }
        if (j >= end || RawText.startsWith(s, j, end, "<-") || RawText.startsWith(s, j, end, "//")
                || RawText.startsWith(s, j, end, "/*") || RawText.startsWith(s, j, end, "#")
                || RawText.startsWith(s, j, end, "←")) {
            return symbolEnd;
        }
        return from;
    }

    /** {@code p} as one C symbol (backticks and "()" off), or null. */
    private static String symbol(String p) {
        String s = p.strip();
        if (s.startsWith("`")) {
            s = s.substring(1);
        }
        if (s.endsWith("`")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("()")) {
            s = s.substring(0, s.length() - 2);
        }
        if (s.length() < 3 || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
            return null;
        }
        for (int k = 0; k < s.length(); k++) {
            if (!FrameLineParser.isSymbolChar(s.charAt(k)) || s.charAt(k) == '$') {
                return null;
            }
        }
        return s;
    }

    private static String lastWord(String p) {
        int sp = Math.max(p.lastIndexOf(' '), p.lastIndexOf('\t'));
        return p.substring(sp + 1);
    }

    private static String firstWord(String p) {
        int sp = p.indexOf(' ');
        String w = sp < 0 ? p : p.substring(0, sp);
        // a chain ending a sentence: "... -> request_wait_answer."
        return w.endsWith(".") || w.endsWith(",") || w.endsWith(";") || w.endsWith(":") ? w.substring(0, w.length() - 1) : w;
    }

    private static boolean sleepsIn(List<String> names) {
        for (String n : names) {
            for (String w : SLEEP_WORDS) {
                if (n.contains(w)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int underscored(List<String> names) {
        int k = 0;
        for (String n : names) {
            if (n.indexOf('_') >= 0) {
                k++;
            }
        }
        return k;
    }

    /** True when the lines step right at least once and never back left: a call tree drawn caller first. */
    private static boolean stepsRight(List<Integer> indents) {
        boolean right = false;
        for (int k = 1; k < indents.size(); k++) {
            if (indents.get(k) < indents.get(k - 1)) {
                return false;
            }
            right |= indents.get(k) > indents.get(k - 1);
        }
        return right;
    }
}
