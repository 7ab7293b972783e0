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
 * Every column but the last is one word (procps prints "-" for nothing); the last, the command line, keeps its spaces.
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
    /** Rows with no header above them, in the BSD default layout (see {@link #openBsdRow}). */
    private boolean headerless;

    PsTableBlock(TraceTasks out) {
        super(out);
    }

    /**
     * How a header's first word can start: one of the letters of ps's and top's first columns (USER, UID, PID, PPID,
     * F, S, STAT, TTY, LWP, %CPU...), then another upper-case letter, '%' or the end of a one-letter word.
     */
    static final String[] HEADER_STARTS = headerStarts("UPFSTL%");

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
     * task id column somewhere in the line.
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
                || RawText.contains(s, from, end, "TID"));
    }

    /** A header line {@code raw} (stripped: {@code t}); false when it is not one of a table with ids and states. */
    boolean openHeader(String t, String raw) {
        String[] names = t.split("\\s+");
        if (names.length < 3 || names.length > MAX_COLUMNS) {
            return false;
        }
        int pid = -1;
        int tid = -1;
        int state = -1;
        int ppid = -1;
        int wchan = -1;
        int command = -1;
        for (int k = 0; k < names.length; k++) {
            String n = names[k];
            if (!isColumnName(n)) {
                return false;
            }
            switch (n) {
                case "PID", "TGID" -> pid = pid < 0 ? k : pid;
                case "TID", "LWP", "SPID" -> tid = k;
                case "STAT", "S" -> state = k;
                case "PPID" -> ppid = k;
                case "WCHAN" -> wchan = k;
                case "COMMAND", "CMD" -> command = k;
                default -> { }
            }
        }
        if ((pid < 0 && tid < 0) || state < 0) {
            return false;
        }
        reset();
        columns = names.length;
        pidCol = pid;
        tidCol = tid;
        stateCol = state;
        ppidCol = ppid;
        wchanCol = wchan;
        commandCol = command;
        wchanWidth = wchan < 0 || wchan == names.length - 1 ? Integer.MAX_VALUE : columnWidth(raw, names, wchan);
        rows = 0;
        headerless = false;
        out.format("ps");
        return true;
    }

    /**
     * A row of `ps ax` / `ps x` / `ps PID` whose header was not pasted (a `| grep D` drops it): procps' BSD default
     * layout "pid,tname,stat,bsdtime,args" (`  1015 ?        D      0:04 [md2_raid1]`). Without a header every
     * column is checked for its shape (tty, state, minutes:seconds); false when {@code t} is not such a row.
     */
    boolean openBsdRow(String t, long lineNo) {
        reset();
        columns = 5;
        pidCol = 0;
        tidCol = -1;
        stateCol = 2;
        ppidCol = -1;
        wchanCol = -1;
        commandCol = 4;
        headerless = true;
        rows = 0;
        if (!extend(t, t, lineNo)) {
            return false;
        }
        out.format("ps");
        return true;
    }

    /** How many rows the table has had so far. */
    int rows() {
        return rows;
    }

    /** The task id of the last row. */
    int lastPid() {
        return lastPid;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        Task task = row(t);
        if (task == null) {
            return false;
        }
        rows++;
        lastPid = task.pid();
        out.addStandalone(task, "ps", lineNo);
        return true;
    }

    @Override
    void close() {
    }

    private Task row(String t) {
        String[] v = new String[columns];
        int i = 0;
        int n = t.length();
        for (int c = 0; c < columns; c++) {
            i = FrameLineParser.skipSpaces(t, i);
            if (i >= n) {
                return null;
            }
            int s = i;
            if (c == columns - 1) {
                i = n;
            } else {
                while (i < n && t.charAt(i) != ' ' && t.charAt(i) != '\t') {
                    i++;
                }
            }
            v[c] = t.substring(s, i).strip();
        }
        Integer pid = pidCol < 0 ? null : TaskLineParser.parseIntOrNull(v[pidCol]);
        Integer tid = tidCol < 0 ? null : TaskLineParser.parseIntOrNull(v[tidCol]);
        Integer id = tid != null ? tid : pid;
        if (id == null || id <= 0 || !isState(v[stateCol])) {
            return null;
        }
        if (headerless && !(isTty(v[1]) && isMinutesSeconds(v[3]))) {
            return null;
        }
        Task task = new Task(id).state(TaskState.parse(v[stateCol]));
        if (tid != null && pid != null) {
            task.tgid(pid);
        }
        if (ppidCol >= 0) {
            task.ppid(TaskLineParser.parseIntOrNull(v[ppidCol]));
        }
        if (commandCol >= 0) {
            task.comm(comm(v[commandCol]));
        }
        if (wchanCol >= 0) {
            String w = v[wchanCol];
            if (w.length() < wchanWidth && isSymbol(w)) {
                task.wchan(w).frames(java.util.List.of(Frame.of(w)));
            }
        }
        return task;
    }

    /**
     * The task's name from the command column: a kernel thread's args are its name in brackets (`[kworker/14:2]`),
     * a process's the program path and arguments (its name is the path's last part).
     */
    private static String comm(String cmd) {
        if (cmd.length() > 2 && cmd.charAt(0) == '[' && cmd.charAt(cmd.length() - 1) == ']') {
            return cmd.substring(1, cmd.length() - 1);
        }
        int sp = cmd.indexOf(' ');
        String prog = sp < 0 ? cmd : cmd.substring(0, sp);
        int slash = prog.lastIndexOf('/');
        String name = slash >= 0 && slash < prog.length() - 1 ? prog.substring(slash + 1) : prog;
        return name.isEmpty() ? null : name;
    }

    /** procps' state letter with its BSD modifiers: `D`, `Ds`, `Dl+`, `S<`, `R+`, `Ss`, `I<`, `Z`. */
    private static boolean isState(String s) {
        if (s.isEmpty() || s.length() > 6 || "DRSTtZXxIWKP".indexOf(s.charAt(0)) < 0) {
            return false;
        }
        for (int k = 1; k < s.length(); k++) {
            if ("<NLsl+".indexOf(s.charAt(k)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** procps' tname: "?" (no terminal), "pts/3", "tty1", "ttyS0", "console". */
    private static boolean isTty(String s) {
        if (s.equals("?")) {
            return true;
        }
        if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z' || s.length() > 16) {
            return false;
        }
        for (int k = 1; k < s.length(); k++) {
            char c = s.charAt(k);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** procps' bsdtime: CPU minutes and seconds, "0:04", "312:10". */
    private static boolean isMinutesSeconds(String s) {
        int colon = s.indexOf(':');
        if (colon < 1 || colon != s.length() - 3) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (k != colon && !FrameLineParser.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** A header name as procps' ps and top print them: upper case, digits, `%`, `_`, `-`, `+` (`%CPU`, `TIME+`). */
    private static boolean isColumnName(String n) {
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
                // a right-justified next column's padding belongs to its own width: then only procps' default
                // width of a name column is sure
                return isRightJustified(names[k]) ? DEFAULT_NAME_WIDTH : p - at - 1;
            }
            from = p + names[k].length();
        }
        return Integer.MAX_VALUE;
    }

    /** Columns procps right-justifies (numbers): their header may start after padding of their own. */
    private static boolean isRightJustified(String name) {
        return switch (name) {
            case "PID", "PPID", "TID", "LWP", "SPID", "TGID", "PGID", "SID", "SESS", "UID", "RSS", "VSZ", "SZ",
                    "NI", "PRI", "C", "%CPU", "%MEM", "TIME", "NLWP", "PSR", "RTPRIO" -> true;
            default -> false;
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
