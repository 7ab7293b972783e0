package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

/**
 * A procps `ps` table (`ps aux`, `ps ax`, `ps -l`, `ps axl`, `ps -eLo pid,tid,stat,wchan:32,cmd`, ...) or a `top -b`
 * task list, read by its header: the column names are procps' own (ps/output.c), so whatever `-o` list or BSD/SysV macro printed it, the
 * task's id is under PID (a thread's under TID, LWP or SPID), its state under STAT or S, its parent under PPID, the
 * kernel function it sleeps in under WCHAN and its name under COMMAND or CMD. Each row is one task; a WCHAN naming a
 * function becomes a one-frame stack (a longer stack read elsewhere for the same pid replaces it).
 * <p>
 * Every column but the command line is one word (procps prints "-" for nothing); the command line keeps its spaces,
 * also when an `-o` list puts it before other columns (`ps -o ppid,state,cmd,wchan:32`: procps then cuts it to its
 * width, and the columns after it are read from the line's end). A table without a task id column (`ps -p PID -o
 * ppid,state,cmd,wchan`) still makes a task of each row, one the evidence does not name (see
 * {@link TraceTasks#addStandalone}): its pid is never guessed.
 */
final class PsTableBlock extends BlockParser {
    /** Longer than any header procps prints with sensible `-o` lists. */
    private static final int MAX_COLUMNS = 40;
    /** The width procps gives WCHAN unless told otherwise (`wchan:32`): longer names are cut to it. */
    private static final int DEFAULT_NAME_WIDTH = 6;

    private int columns;
    private int pidCol;
    private int tidCol;
    private int stateCol;
    private int ppidCol;
    private int wchanCol;
    /** The WCHAN column's printed width (procps cuts a longer name to it), or MAX_VALUE when it is the last. */
    private int wchanWidth;
    private int commandCol;
    private int rows;
    private int lastPid;
    /**
     * A row whose last column was not on its line (a mailer wrapped its command line or WCHAN to the next one): it
     * waits for that line before it is recorded, as read so far ({@link #pendingText}).
     */
    private Task pending;
    private String pendingText;
    private long pendingLine;
    /** The last row read had every column but its last (see {@link #values}). */
    private boolean lastMissing;
    /**
     * Where each header name starts in its line, or -1 (see {@link #cutAtHeaderEnd}), and how many words at most the
     * header's wrapped rest adds to a row (0: the header was whole on its line).
     */
    private int[] headerAt = new int[0];
    private int restWords;
    /** The last line read was a row of a table whose header was wrapped: its rest may be on the next line. */
    private boolean rowRestDue;
    /** The words of the row being read: where each starts and ends (see {@link #words}). */
    private int[] wordStart = new int[64];
    private int[] wordEnd = new int[64];
    /** The open table's column names (procps' headers; for rows without a header, their layout's). */
    private String[] names = new String[0];
    /**
     * Every value must have its column's shape ({@link #fits}): rows with no header above them (see
     * {@link #openHeaderlessRow}), and rows of a table without a task id, where nothing else tells a row from prose.
     */
    private boolean strict;
    /**
     * A headerless row of a short `-o` list (pid, state, maybe WCHAN, command): few columns tell it from prose
     * ("12 D x"), so its command must look like one: a kernel thread's bracketed name or a program's path.
     */
    private boolean shortRow;

    /**
     * procps' layouts with a state column (ps/output.c: BSD "OL_u", "OL_j", "OL_l" and the default
     * "pid,tname,stat,bsdtime,args"; SysV "Std_l" and "Std_fl"), by their headers: what `ps ax`, `ps aux`, `ps ajx`,
     * `ps axl`, `ps -el` and `ps -elf` print, and the two short `-o` lists below. People paste their rows without the header (`ps aux | grep D` drops it).
     */
    private static final String[][] HEADERLESS_LAYOUTS = {
        {"PID", "TTY", "STAT", "TIME", "COMMAND"},
        {"USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT", "START", "TIME", "COMMAND"},
        {"PPID", "PID", "PGID", "SID", "TTY", "TPGID", "STAT", "UID", "TIME", "COMMAND"},
        {"F", "UID", "PID", "PPID", "PRI", "NI", "VSZ", "RSS", "WCHAN", "STAT", "TTY", "TIME", "COMMAND"},
        {"F", "S", "UID", "PID", "PPID", "C", "PRI", "NI", "ADDR", "SZ", "WCHAN", "TTY", "TIME", "CMD"},
        {"F", "S", "UID", "PID", "PPID", "C", "PRI", "NI", "ADDR", "SZ", "WCHAN", "STIME", "TTY", "TIME", "CMD"},
        // the short `-o` lists people give to find D tasks: `ps -eo pid,stat,wchan,cmd`, `ps -eo pid,state,cmd`
        // (procps-ng 4: "  PID STAT WCHAN  CMD", "  PID S CMD"); the WCHAN form first, whose rows the other also fits
        {"PID", "STAT", "WCHAN", "CMD"},
        {"PID", "S", "CMD"},
        // `ps -eLo state,comm,tid,wchan | grep ^D` (procps: "S COMMAND           TID WCHAN"): the state first, the
        // comm (15 characters, spaces allowed), the thread's id, the function it sleeps in
        {"S", "COMMAND", "TID", "WCHAN"},
    };

    PsTableBlock(TraceTasks out) {
        super(out);
    }

    /**
     * How a header's first word can start: an upper-case letter (an `-o` list may begin with any column: USER, PID,
     * PPID, F, S, STAT, WCHAN, CMD, NI...) or '%' (%CPU), then another upper-case letter, '%' or the end of a
     * one-letter word.
     */
    static final String[] HEADER_STARTS = headerStarts("ABCDEFGHIJKLMNOPQRSTUVWXYZ%");

    private static String[] headerStarts(String firsts) {
        java.util.List<String> out = new java.util.ArrayList<>();
        String seconds = "ABCDEFGHIJKLMNOPQRSTUVWXYZ% \t";
        for (char a : firsts.toCharArray()) {
            for (char b : seconds.toCharArray()) {
                out.add("" + a + b);
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * The cheap pre-check of a header: an upper-case first word (`USER`, `PID`, `F`, `S`, `UID`, `%CPU`...) and a
     * task id column (PID, PPID, LWP, TID) or a WCHAN somewhere in the line.
     */
    static boolean mayBeHeader(String s, int from, int end) {
        int k = from;
        while (k < end && s.charAt(k) != ' ' && s.charAt(k) != '\t') {
            char c = s.charAt(k);
            if (!(c >= 'A' && c <= 'Z' || c == '%')) {
                return false;
            }
            k++;
        }
        return k - from <= 8 && (RawText.contains(s, from, end, "PID") || RawText.contains(s, from, end, "LWP")
                || RawText.contains(s, from, end, "TID") || RawText.contains(s, from, end, "WCHAN"));
    }

    /**
     * A header line {@code raw} (stripped: {@code t}); false when it is not one of a table with states and either
     * task ids or something a task without an id is known by (its WCHAN or command).
     */
    boolean openHeader(String t, String raw) {
        String[] header = t.split("\\s+");
        if (header.length < 3 || header.length > MAX_COLUMNS) {
            return false;
        }
        for (String n : header) {
            if (!isColumnName(n)) {
                return false;
            }
        }
        if (!layout(header) || pidCol < 0 && tidCol < 0 && wchanCol < 0 && commandCol < 0) {
            return false;
        }
        if (!padded(raw)) {
            // one space between every two names: not as procps printed it (it pads each column to its width), but
            // re-spaced by whatever joined the table's lines: the places of the names tell nothing
            wchanWidth = Integer.MAX_VALUE;
            strict = pidCol < 0 && tidCol < 0;
            shortRow = false;
            out.format("ps");
            return true;
        }
        wchanWidth = wchanCol < 0 || wchanCol == columns - 1 ? Integer.MAX_VALUE : columnWidth(raw, header, wchanCol);
        headerAt = new int[columns];
        for (int k = 0, from = 0; k < columns; k++) {
            headerAt[k] = from < 0 ? -1 : indexOfWord(raw, header[k], from);
            from = headerAt[k] < 0 ? -1 : headerAt[k] + header[k].length();
        }
        strict = pidCol < 0 && tidCol < 0;
        shortRow = false;
        out.format("ps");
        return true;
    }

    /**
     * Whether header {@code raw} is spaced as procps pads its columns: a right-justified first name after its padding
     * ("    PID S CMD"), or a run of spaces (or a tab) between two names.
     */
    private static boolean padded(String raw) {
        String t = raw.strip();
        return t.length() < raw.length() && Character.isWhitespace(raw.charAt(0)) || t.indexOf('\t') >= 0
                || t.contains("  ");
    }

    /** Places the columns {@code header} names; false without a state column. */
    private boolean layout(String[] header) {
        int pid = -1;
        int tid = -1;
        int state = -1;
        int ppid = -1;
        int wchan = -1;
        int command = -1;
        for (int k = 0; k < header.length; k++) {
            switch (header[k]) {
                case "PID", "TGID" -> pid = pid < 0 ? k : pid;
                case "TID", "LWP", "SPID" -> tid = k;
                case "STAT", "S" -> state = k;
                case "PPID" -> ppid = k;
                case "WCHAN" -> wchan = k;
                case "COMMAND", "CMD" -> command = k;
                default -> { }
            }
        }
        if (state < 0) {
            return false;
        }
        flush();
        reset();
        names = header;
        columns = header.length;
        headerAt = new int[0];
        restWords = 0;
        rowRestDue = false;
        pidCol = pid;
        tidCol = tid;
        stateCol = state;
        ppidCol = ppid;
        wchanCol = wchan;
        commandCol = command;
        rows = 0;
        return true;
    }

    /**
     * A row of `ps ax`, `ps aux`, `ps ajx` or `ps axl` whose header was not pasted (a `| grep D` drops it), in one
     * of procps' BSD layouts ({@link #HEADERLESS_LAYOUTS}): `  1015 ?        D      0:04 [md2_raid1]`,
     * `root  9178  0.0  0.0  0  0 ?  D<  13:35  0:00 [lockd]`. Without a header every value is checked for its
     * column's shape (tty, state, minutes:seconds, percentages...); false when {@code t} is no such row.
     */
    boolean openHeaderlessRow(String t, long lineNo) {
        for (String[] header : HEADERLESS_LAYOUTS) {
            layout(header);
            // WCHAN of `ps axl` is not last: procps cut it to its default width; a last one is printed whole
            wchanWidth = wchanCol < 0 || wchanCol == columns - 1 ? Integer.MAX_VALUE : DEFAULT_NAME_WIDTH;
            strict = true;
            shortRow = header.length <= 4;
            if (extend(t, t, lineNo)) {
                out.format("ps");
                return true;
            }
        }
        return false;
    }

    /**
     * A cheap pre-check of a `ps aux` row without its header: a user name (or a uid) as first word, then a pid.
     */
    static boolean mayBeUserRow(String s, int from, int end) {
        int k = from;
        while (k < end && PsColumnValues.isUserNameChar(s.charAt(k))) {
            k++;
        }
        if (k == from || k - from > 32 || k == end || s.charAt(k) != ' ' && s.charAt(k) != '\t') {
            return false;
        }
        k = RawText.skipWhitespace(s, k, end);
        int pid = k;
        while (k < end && RawText.isDigit(s.charAt(k))) {
            k++;
        }
        // the pid is a whole word, and %CPU follows it ("pci 0000:00:01.0:", "sd 2:0:0:0:" are no rows)
        if (k == pid || k == end || s.charAt(k) != ' ' && s.charAt(k) != '\t') {
            return false;
        }
        k = RawText.skipWhitespace(s, k, end);
        return k < end && RawText.isDigit(s.charAt(k));
    }

    /** How many rows the table has had so far. */
    int rows() {
        return rows;
    }

    /** The task id of the last row (0 for a table without ids). */
    int lastPid() {
        return lastPid;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        if (rows == 0 && restWords == 0 && headerAt.length > 0) {
            int more = headerRestWords(t);
            if (more > 0) {
                // the header's last names, which a console or a mailer wrapped to the next line: the rows are
                // wrapped alike, each row's rest on the line after it
                restWords = more;
                return true;
            }
        }
        boolean restDue = rowRestDue;
        rowRestDue = false;
        if (restWords > 0) {
            Task task = row(t);
            if (task == null && restDue && isRowRest(t)) {
                return true; // the values of the wrapped columns, which nothing here reads
            }
            if (task == null) {
                String cut = cutAtHeaderEnd(raw);
                if (cut != null && row(cut) != null) {
                    t = cut;
                }
            }
        }
        if (pending != null && isWrappedRest(t)) {
            Task whole = row(pendingText + " " + t);
            if (whole != null && !lastMissing) {
                pending = whole;
                flush();
                return true;
            }
        }
        Task task = row(t);
        if (task == null) {
            return false;
        }
        flush();
        rows++;
        rowRestDue = restWords > 0;
        lastPid = task.pid();
        if (lastMissing) {
            pending = task;
            pendingText = t;
            pendingLine = lineNo;
        } else {
            out.addStandalone(task, "ps", lineNo);
        }
        return true;
    }

    @Override
    void close() {
        flush();
    }

    private void flush() {
        if (pending != null) {
            out.addStandalone(pending, "ps", pendingLine);
            pending = null;
        }
    }

    /**
     * The words a row's rest may hold when {@code t} is the rest of a wrapped header (procps' names only, none of
     * them a column read here), or 0: a start date's five words, the command line's many, one for the others.
     */
    private static int headerRestWords(String t) {
        int words = 0;
        for (String n : t.split("\\s+")) {
            if (n.length() < 2 || !isColumnName(n)) {
                return 0;
            }
            switch (n) {
                case "PID", "TID", "LWP", "SPID", "TGID", "PPID", "STAT", "S", "WCHAN" -> {
                    return 0;
                }
                case "STARTED", "START" -> words += 5;
                case "COMMAND", "CMD", "ARGS" -> words += MAX_COLUMNS;
                default -> words++;
            }
        }
        return words;
    }

    /**
     * The rest of a row whose header was wrapped ({@link #restWords}): no more words than the wrapped columns
     * take, made of what procps prints under them (numbers, names, dates, times), no stack frame or log line.
     */
    private boolean isRowRest(String t) {
        int words = 1;
        for (int k = 0; k < t.length(); k++) {
            char c = t.charAt(k);
            if (c == ' ' || c == '\t') {
                if (t.charAt(k - 1) != ' ' && t.charAt(k - 1) != '\t') {
                    words++;
                }
            } else if (!(Character.isLetterOrDigit(c) || ":.,-+/%".indexOf(c) >= 0)) {
                return false;
            }
        }
        return words <= restWords;
    }

    /**
     * Row {@code raw} without what follows its last column's field (the header's wrapped columns, which a console
     * cut the row inside: "D flush_old_exec       Wed Fe"), by the header's own places: a left-justified column's
     * value starts where its name does, a right-justified one's ends where its name ends; null when it is not found.
     */
    private String cutAtHeaderEnd(String raw) {
        int last = columns - 1;
        int at = headerAt[last];
        if (at < 0 || at >= raw.length()) {
            return null;
        }
        int end;
        if (isRightJustified(names[last])) {
            end = at + names[last].length();
            if (end > raw.length() || raw.charAt(end - 1) == ' ' || end < raw.length() && raw.charAt(end) != ' ') {
                return null;
            }
        } else {
            if (raw.charAt(at) == ' ' || at > 0 && raw.charAt(at - 1) != ' ') {
                return null;
            }
            end = at;
            while (end < raw.length() && raw.charAt(end) != ' ' && raw.charAt(end) != '\t') {
                end++;
            }
        }
        return raw.substring(0, end).strip();
    }

    /**
     * The rest of a row a mailer wrapped before its last column: a command line starting with a program path
     * (`/sbin/mount.nfs ...`, `./a.out`) or a kernel thread's bracketed name, or the one word of another column (a
     * WCHAN's function); words of a reply are not taken for it.
     */
    private boolean isWrappedRest(String t) {
        if (commandCol == columns - 1) {
            // "[<0>] ..." is a /proc stack pasted under the row, not a kernel thread's name
            char c = t.charAt(0);
            return c == '/' || c == '[' && !t.startsWith("[<") || t.startsWith("./");
        }
        return t.indexOf(' ') < 0 && t.indexOf('\t') < 0 && (wchanCol != columns - 1 || isSymbol(t));
    }

    private Task row(String t) {
        Task task = row(t, false);
        if (task == null && commandCol >= 0 && commandCol < columns - 1 && wchanCol == columns - 1) {
            // a WCHAN after the command line that a mailer wrapped to the next line: the row without it
            task = row(t, true);
        }
        return task;
    }

    /** The task of row {@code t}; {@code lastAbsent}: its last column is not on the line. */
    private Task row(String t, boolean lastAbsent) {
        String[] v = values(t, lastAbsent);
        if (v == null || !PsColumnValues.isState(v[stateCol])) {
            return null;
        }
        if (shortRow && !programOrThread(v[commandCol]) && !(wchanCol > commandCol && isSleepFunction(v[wchanCol]))) {
            // (a bare comm before the id and a WCHAN naming a kernel function, "D java 4177339 xfs_buf_lock", is a
            // row too: prose seldom ends in a function's name with '_' after a number)
            return null;
        }
        if (strict) {
            for (int c = 0; c < columns; c++) {
                if (v[c] != null && !PsColumnValues.fits(names[c], v[c])) {
                    return null;
                }
            }
        }
        Integer pid = pidCol < 0 ? null : TaskLineParser.parseIntOrNull(v[pidCol]);
        Integer tid = tidCol < 0 ? null : TaskLineParser.parseIntOrNull(v[tidCol]);
        Integer id = tid != null ? tid : pid;
        if (pidCol >= 0 || tidCol >= 0) {
            if (id == null || id <= 0) {
                return null;
            }
        } else {
            // the table names no task id: the task is one the evidence does not name (a pid of its own comes later)
            id = 0;
        }
        Task task = new Task(id).state(TaskState.parse(v[stateCol]));
        if (tid != null && pid != null) {
            task.tgid(pid);
        }
        if (ppidCol >= 0) {
            task.ppid(TaskLineParser.parseIntOrNull(v[ppidCol]));
        }
        if (commandCol >= 0 && v[commandCol] != null) {
            task.comm(comm(v[commandCol]));
        }
        if (wchanCol >= 0) {
            String w = v[wchanCol];
            if (w != null && w.length() < wchanWidth && isSymbol(w)) {
                task.wchan(w).frames(java.util.List.of(Frame.of(w)));
            }
        }
        return task;
    }

    /**
     * The row's values by column, or null when it has too few: one word each but the command line (which keeps its
     * spaces) and a start date ({@link PsColumnValues#wordsFrom}: `lstart`'s "Wed Feb 13 03:15:50 2019", `start`'s
     * or `bsdstart`'s "Feb 13"); when columns follow the command line, they are the line's last words.
     */
    private String[] values(String t, boolean lastAbsent) {
        int words = words(t);
        String[] v = new String[columns];
        int free = commandCol >= 0 ? commandCol : columns - 1;
        lastMissing = lastAbsent;
        int w = 0;
        for (int c = 0; c < free; c++) {
            if (w >= words) {
                return null;
            }
            int k = PsColumnValues.wordsFrom(names[c], t, wordStart, wordEnd, w, words);
            v[c] = t.substring(wordStart[w], wordEnd[w + k - 1]);
            w += k;
        }
        // columns after the command line: words taken from the end, the command keeps what is left
        int e = words;
        for (int c = lastAbsent ? columns - 2 : columns - 1; c > free; c--) {
            if (e <= w + 1) {
                return null;
            }
            int k = PsColumnValues.wordsBefore(names[c], t, wordStart, wordEnd, e, w + 1);
            v[c] = t.substring(wordStart[e - k], wordEnd[e - 1]);
            e -= k;
        }
        if (w >= e) {
            if (free == columns - 1 && free >= 3 && (free == commandCol || free == wchanCol)) {
                // every column but the last (the command line, a WCHAN), which a mailer wrapped to the next line
                lastMissing = true;
                return v;
            }
            return null;
        }
        v[free] = t.substring(wordStart[w], wordEnd[e - 1]);
        return v;
    }

    /** Where the words of {@code t} start and end ({@link #wordStart}, {@link #wordEnd}); returns their count. */
    private int words(String t) {
        int n = t.length();
        if (wordStart.length < n / 2 + 1) {
            wordStart = new int[n / 2 + 1];
            wordEnd = new int[n / 2 + 1];
        }
        int count = 0;
        int i = FrameLineParser.skipSpaces(t, 0);
        while (i < n) {
            wordStart[count] = i;
            while (i < n && t.charAt(i) != ' ' && t.charAt(i) != '\t') {
                i++;
            }
            wordEnd[count++] = i;
            i = FrameLineParser.skipSpaces(t, i);
        }
        return count;
    }

    /**
     * The task's name from the command column: a kernel thread's args are its name in brackets (`[kworker/14:2]`),
     * a process's the program path and arguments (its name is the path's last part).
     */
    private static String comm(String cmd) {
        if (cmd.length() > 2 && cmd.charAt(0) == '[' && cmd.charAt(cmd.length() - 1) == ']') {
            return workerName(cmd.substring(1, cmd.length() - 1));
        }
        if (cmd.length() > 1 && cmd.charAt(0) == '[' && cmd.indexOf(']') < 0) {
            // a kernel thread's name that procps cut to the column's width (`ps -o cmd,wchan`)
            return workerName(cmd.substring(1));
        }
        if (cmd.startsWith("kworker/")) {
            return workerName(cmd); // `ps -o comm`: the name without brackets
        }
        int sp = cmd.indexOf(' ');
        String prog = sp < 0 ? cmd : cmd.substring(0, sp);
        int slash = prog.lastIndexOf('/');
        String name = slash >= 0 && slash < prog.length() - 1 && isPath(prog) ? prog.substring(slash + 1) : prog;
        if (name.length() > 1 && name.endsWith(":")) {
            // a title the process set for itself ("postgres: main: checkpointer", "sshd: root@pts/0")
            name = name.substring(0, name.length() - 1);
        }
        return name.isEmpty() ? null : name;
    }

    /**
     * Whether a command's first word is a program's path, not a kernel thread's name that holds a slash: `ps -o comm`
     * prints "xfsaild/loop0" or "jbd2/sda1-8" without the brackets `ps aux` gives them, and the rules know those threads
     * by that whole name (6.x prints longer kernel thread names there, "rcu_exp_par_gp_kthread_worker/0"). A path
     * starts with '/', '.' or '~', or has more than one slash.
     */
    private static boolean isPath(String prog) {
        char c = prog.charAt(0);
        return c == '/' || c == '.' || c == '~' || prog.indexOf('/') != prog.lastIndexOf('/');
    }

    /** A WCHAN naming a kernel function as functions are named ("xfs_buf_lock", "io_schedule"): a '_' inside. */
    private static boolean isSleepFunction(String w) {
        return w != null && w.indexOf('_') > 0 && isSymbol(w);
    }

    /**
     * The cheap pre-check of a headerless `ps -o state,comm,tid,wchan` row: a one-letter state, a space, and a line
     * ending in a number and a kernel function's name ("D kworker/93:3+xf 3025535 xfs_buf_lock").
     */
    static boolean mayBeStateFirstRow(String s, int from, int end) {
        if (end - from < 8 || "DRSTZI".indexOf(s.charAt(from)) < 0 || s.charAt(from + 1) != ' ') {
            return false;
        }
        int sp = end - 1;
        while (sp > from && s.charAt(sp) != ' ') {
            sp--;
        }
        if (sp <= from + 2 || RawText.indexOf(s, sp, end, '_') < 0) {
            return false;
        }
        int k = sp;
        while (k > from && s.charAt(k - 1) == ' ') {
            k--;
        }
        return k > from + 2 && RawText.isDigit(s.charAt(k - 1));
    }

    /**
     * A workqueue worker's name as /proc shows it (kernel/workqueue.c wq_worker_comm: the comm, then "+" and the
     * workqueue it runs or "-" and the last it ran, "kworker/93:3+xfs-buf/sdb", cut to 15 characters by ps:
     * "kworker/81:1+xf"): the kernel's own name, "kworker/81:1", as its hung-task and stack lines print it.
     */
    static String workerName(String name) {
        if (!name.startsWith("kworker/")) {
            return name;
        }
        int colon = name.indexOf(':', 8);
        if (colon < 0) {
            return name;
        }
        int k = colon + 1;
        while (k < name.length() && RawText.isDigit(name.charAt(k))) {
            k++;
        }
        if (k < name.length() && name.charAt(k) == 'H') {
            k++; // a high-priority pool's worker: "kworker/0:1H"
        }
        return k > colon + 1 && k < name.length() && (name.charAt(k) == '+' || name.charAt(k) == '-')
                ? name.substring(0, k) : name;
    }

    /** A kernel thread's bracketed name ("[jbd2/dm-8-8]") or a program's path ("/opt/x/bin/auoms", "./a.out"). */
    private static boolean programOrThread(String cmd) {
        return cmd != null && cmd.length() > 2 && (cmd.charAt(0) == '[' && cmd.indexOf(']') > 1
                || cmd.charAt(0) == '/' || cmd.startsWith("./"));
    }

    /** A header name as procps' ps and top print them: upper case, digits, `%`, `_`, `-`, `+` (`%CPU`, `TIME+`). */
    static boolean isColumnName(String n) {
        for (int k = 0; k < n.length(); k++) {
            char c = n.charAt(k);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '%' || c == '_' || c == '-' || c == '+')) {
                return false;
            }
        }
        return !n.isEmpty();
    }

    /** A kernel function name (WCHAN shows "-" when running, "*" for a multi-threaded process, a number with `n`). */
    private static boolean isSymbol(String w) {
        if (w.length() < 2 || FrameLineParser.isDigit(w.charAt(0))) {
            return false;
        }
        for (int k = 0; k < w.length(); k++) {
            char c = w.charAt(k);
            if (!FrameLineParser.isSymbolChar(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The width of left-justified column {@code col} as the header prints it: from its name to the next name, less
     * the one space procps puts between columns.
     */
    private static int columnWidth(String raw, String[] names, int col) {
        int at = -1;
        int from = 0;
        for (int k = 0; k <= col + 1; k++) {
            int p = indexOfWord(raw, names[k], from);
            if (p < 0) {
                return Integer.MAX_VALUE;
            }
            if (k == col) {
                at = p;
            } else if (k == col + 1) {
                // a right-justified next column's padding belongs to its own width: less the widest procps
                // gives that column by default when it is known, else only procps' default width of a name
                // column is sure
                if (!isRightJustified(names[k])) {
                    return p - at - 1;
                }
                int next = defaultWidth(names[k]);
                return next < 0 ? DEFAULT_NAME_WIDTH
                        : Math.max(DEFAULT_NAME_WIDTH, p - at - 1 - Math.max(0, next - names[k].length()));
            }
            from = p + names[k].length();
        }
        return Integer.MAX_VALUE;
    }

    /** Columns procps right-justifies (numbers): their header may start after padding of their own. */
    private static boolean isRightJustified(String name) {
        return switch (name) {
            case "PID", "PPID", "TID", "LWP", "SPID", "TGID", "PGID", "SID", "SESS", "UID", "RSS", "VSZ", "SZ",
                    "NI", "PRI", "C", "%CPU", "%MEM", "TIME", "NLWP", "PSR", "RTPRIO", "STARTED", "START", "STIME",
                    "ELAPSED" -> true;
            default -> false;
        };
    }

    /**
     * The widest procps prints a right-justified time column by default (ps/output.c: lstart 24 and start 8 under
     * STARTED, bsdstart 6 and start_time 5 under START, stime 5, etime 11, time 8 and bsdtime 6 under TIME), or -1.
     */
    private static int defaultWidth(String name) {
        return switch (name) {
            case "STARTED" -> 24;
            case "START" -> 6;
            case "STIME" -> 5;
            case "ELAPSED" -> 11;
            case "TIME" -> 8;
            default -> -1;
        };
    }

    private static int indexOfWord(String raw, String word, int from) {
        for (int p = raw.indexOf(word, from); p >= 0; p = raw.indexOf(word, p + 1)) {
            boolean startOk = p == 0 || raw.charAt(p - 1) == ' ' || raw.charAt(p - 1) == '\t';
            int e = p + word.length();
            boolean endOk = e == raw.length() || raw.charAt(e) == ' ' || raw.charAt(e) == '\t';
            if (startOk && endOk) {
                return p;
            }
        }
        return -1;
    }
}
