package dev.hangdoctor.parse;

/**
 * A {@code /proc/PID[/task/TID]/FILE} path named on a pasted line: a shell command ({@code # cat /proc/1/stack},
 * {@code grep Pnd /proc/1/status}, {@code ls /proc/1/task}, {@code cat /proc/123558/wchan ; echo}), a {@code head}/{@code tail} banner
 * ({@code ==> /proc/1/stack <==}), or a {@code grep -r} prefix ({@code /proc/1/stack:[<0>] do_wait+0x156/0x2f0}).
 * {@code pid} is the thread the file describes (the TID when the path goes through {@code task/}).
 */
record ProcPathRef(int pid, String file, int bodyStart) {
    /**
     * What the paste listed: a stack, a status file, the thread list of {@code ls /proc/PID/task}, or the wait
     * channel (the one kernel function the task sleeps in).
     */
    static final String STACK = "stack";
    static final String STATUS = "status";
    static final String TASKS = "task";
    static final String WCHAN = "wchan";

    /**
     * Finds the first {@code /proc/N...} path on the line; {@code bodyStart} is where the file's content starts
     * on the same line (grep -r style), or -1 when the line only names the file.
     */
    static ProcPathRef find(String t) {
        int p = t.indexOf("/proc/");
        if (p < 0) {
            return null;
        }
        int i = p + 6;
        int s = i;
        while (i < t.length() && FrameLineParser.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == s || i - s > 9 || i >= t.length() || t.charAt(i) != '/') {
            return null;
        }
        int pid = Integer.parseInt(t.substring(s, i));
        i++;
        if (t.startsWith("task/", i) && i + 5 < t.length() && FrameLineParser.isDigit(t.charAt(i + 5))) {
            int j = i + 5;
            int ts = j;
            while (j < t.length() && FrameLineParser.isDigit(t.charAt(j))) {
                j++;
            }
            if (j - ts <= 9 && j < t.length() && t.charAt(j) == '/') {
                pid = Integer.parseInt(t.substring(ts, j));
                i = j + 1;
            }
        }
        String file;
        int end;
        if (t.startsWith(STACK, i)) {
            file = STACK;
            end = i + STACK.length();
        } else if (t.startsWith(STATUS, i)) {
            file = STATUS;
            end = i + STATUS.length();
        } else if (t.startsWith(WCHAN, i)) {
            file = WCHAN;
            end = i + WCHAN.length();
        } else if (t.startsWith(TASKS, i)) {
            file = TASKS;
            end = i + TASKS.length();
        } else if (t.startsWith("任務", i) || t.startsWith("任务", i)) {
            // machine-translated pastes turn `task` into Chinese
            file = TASKS;
            end = i + 2;
        } else {
            return null;
        }
        if (end < t.length()) {
            char after = t.charAt(end);
            if (after == ':' && p == 0) {
                return new ProcPathRef(pid, file, end + 1);
            }
            if (after != ' ' && after != '\t' && after != '/' && after != '|' && after != ';') {
                return null;
            }
        }
        return new ProcPathRef(pid, file, -1);
    }
}
