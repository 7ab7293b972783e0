package dev.hangdoctor.parse;

import dev.hangdoctor.model.KernelEventKind;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hangdoctor.parse.KernelMessageText.commaKeyValues;
import static dev.hangdoctor.parse.KernelMessageText.intAt;
import static dev.hangdoctor.parse.KernelMessageText.longAt;
import static dev.hangdoctor.parse.KernelMessageText.trimUnit;

/**
 * The OOM killer's and the memory cgroup's messages, 3.10 to 6.x (fields: see {@link KernelEventSink}). Keeps
 * the scope of the last "Kill process" line for the "Killed process" line that follows it on older kernels.
 */
final class KernelOomMessages {
    private final KernelEventOut out;
    /** "Memory cgroup out of memory: Kill process" tells the scope of the "Killed process" line after it. */
    private String chosenScope;

    KernelOomMessages(KernelEventOut out) {
        this.out = out;
    }

    /** "stress invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0" */
    boolean invoked(LogLine line, String m, int at) {
        if (at <= 0) {
            return false;
        }
        String comm = m.substring(0, at);
        Map<String, String> f = new LinkedHashMap<>();
        int gfp = m.indexOf("gfp_mask=", at);
        int i = gfp < 0 ? at + 21 : gfp;
        int n = m.length();
        while (i < n) {
            int sep = m.indexOf(", ", i);
            int to = sep < 0 ? n : sep;
            int eq = m.indexOf('=', i);
            if (eq > i && eq < to) {
                String key = m.substring(i, eq);
                String value = m.substring(eq + 1, to);
                if (key.equals("gfp_mask")) {
                    int paren = value.indexOf('(');
                    if (paren > 0) {
                        int close = value.lastIndexOf(')');
                        f.put("gfp_flags", value.substring(paren + 1, close > paren ? close : value.length()));
                        value = value.substring(0, paren);
                    }
                }
                f.put(key, value);
            }
            i = to + 2;
        }
        return out.emit(line, KernelEventKind.OOM_INVOKED, null, comm, null, f);
    }

    /**
     * After "Memory cgroup out of memory: " or "Out of memory: ": "Kill process 27158 (comm) score 511 or
     * sacrifice child" (up to 4.18) or "Killed process 1234 (comm) total-vm:..." (4.19+).
     */
    boolean kill(LogLine line, String m, int at, String scope) {
        if (m.startsWith("Killed process ", at)) {
            return killed(line, m, at, scope);
        }
        if (!m.startsWith("Kill process ", at)) {
            return false;
        }
        int pid = intAt(m, at + 13);
        int open = m.indexOf(" (", at + 13);
        int score = m.lastIndexOf(") score ");
        String comm = open > 0 && score > open ? m.substring(open + 2, score) : null;
        Map<String, String> f = new LinkedHashMap<>();
        if (score > 0) {
            long s = longAt(m, score + 8);
            if (s >= 0) {
                f.put("score", Long.toString(s));
            }
        }
        f.put("scope", scope);
        chosenScope = scope;
        return out.emit(line, KernelEventKind.OOM_KILL_CHOSEN, pid >= 0 ? pid : null, comm, null, f);
    }

    /**
     * "Killed process 27153 (comm), UID 0, total-vm:848900kB, anon-rss:499124kB, file-rss:868kB, shmem-rss:0kB"
     * (RHEL 7), "Killed process N (comm) total-vm:...kB, anon-rss:...kB, file-rss:...kB[, shmem-rss:...kB]"
     * (3.10 .. 4.x) and "... shmem-rss:92kB, UID:0 pgtables:1372kB oom_score_adj:986" (5.x+).
     */
    boolean killed(LogLine line, String m, int at, String scope) {
        int pidAt = at + 15;
        int pid = intAt(m, pidAt);
        int open = m.indexOf(" (", pidAt);
        // the last: the name before it (which any local user sets) may hold the words too
        int vm = m.lastIndexOf("total-vm:");
        vm = vm < pidAt ? -1 : vm;
        int close = vm > 0 ? m.lastIndexOf(')', vm) : m.lastIndexOf(')');
        String comm = open > 0 && close > open ? m.substring(open + 2, close) : null;
        Map<String, String> f = new LinkedHashMap<>();
        int i = close > 0 ? close + 1 : pidAt;
        int n = m.length();
        while (i < n) {
            while (i < n && (m.charAt(i) == ' ' || m.charAt(i) == ',')) {
                i++;
            }
            int sp = m.indexOf(' ', i);
            int to = sp < 0 ? n : sp;
            if (to <= i) {
                break;
            }
            int colon = m.indexOf(':', i);
            if (colon > i && colon < to) {
                String key = m.substring(i, colon);
                String value = trimUnit(m.substring(colon + 1, to));
                putKilledField(f, key, value);
            } else if (m.startsWith("UID", i) && to == i + 3 && sp > 0) {
                // RHEL 7: "UID 0,"
                int next = sp + 1;
                int nsp = m.indexOf(' ', next);
                putKilledField(f, "UID", trimUnit(m.substring(next, nsp < 0 ? n : nsp)));
                to = nsp < 0 ? n : nsp;
            }
            i = to + 1;
        }
        String s = scope != null ? scope : chosenScope;
        if (s != null) {
            f.put("scope", s);
        }
        chosenScope = null;
        return out.emit(line, KernelEventKind.OOM_KILLED, pid >= 0 ? pid : null, comm, null, f);
    }

    private static void putKilledField(Map<String, String> f, String key, String value) {
        switch (key) {
            case "total-vm", "anon-rss", "file-rss", "shmem-rss", "pgtables" -> f.put(key + "-kb", value);
            case "UID" -> f.put("uid", value);
            case "oom_score_adj" -> f.put("oom_score_adj", value);
            default -> {
            }
        }
    }

    /** "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,...,task=stress,pid=1234,uid=0" */
    boolean context(LogLine line, String m) {
        Map<String, String> f = commaKeyValues(m, 9, m.length());
        if (f.isEmpty()) {
            return false;
        }
        // "task=%s,pid=%d,uid=%d": the task's name (which any local user sets) may hold ',' and "pid=": it ends at
        // the kernel's last ",pid=", and the pid and uid are the ones after it
        KernelNames.Span name = KernelNames.names(m, 0, m.length());
        if (name != null && name.end() < m.length() && m.startsWith(",pid=", name.end())) {
            f.put("task", m.substring(name.start(), name.end()));
            f.putAll(commaKeyValues(m, name.end() + 1, m.length()));
        }
        String pid = f.get("pid");
        int p = pid == null ? -1 : intAt(pid, 0);
        return out.emit(line, KernelEventKind.OOM_KILL_CONTEXT, p >= 0 ? p : null, f.get("task"), null, f);
    }

    /** "Task in /x killed as a result of limit of /y" (up to 4.18). */
    boolean memcgTaskIn(LogLine line, String m) {
        int killed = m.indexOf(" killed as a result of limit of ", 8);
        if (killed < 0) {
            return false;
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("task_memcg", m.substring(8, killed));
        f.put("limit_memcg", m.substring(killed + 32).trim());
        return out.emit(line, KernelEventKind.MEMCG_STATUS, null, null, null, f);
    }

    /**
     * "Memory cgroup stats for /kubepods/pod...:" (mm/memcontrol.c, mem_cgroup_print_oom_info on 3.x-4.x with the
     * counters on the same line, mem_cgroup_print_oom_meminfo since): printed only for a memory cgroup's OOM, so it
     * names the scope when the report's own first and last lines were cut off.
     */
    boolean memcgStats(LogLine line, String m) {
        int colon = m.indexOf(':', 23);
        String path = (colon > 23 ? m.substring(23, colon) : m.substring(23)).strip();
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        return out.emit(line, KernelEventKind.MEMCG_STATUS, null, null, null, Map.of("memcg", path));
    }

    /** The line of the last task-table event: the rows under it (or under a first row) belong to that table. */
    private long taskTableLine = -10;

    /**
     * The OOM killer's task table (mm/oom_kill.c dump_tasks, printed by the global and the memory cgroup's killer
     * alike): its "Tasks state (memory values in pages):" title (4.19+), its header ("[ pid ]   uid  tgid total_vm
     * rss ..." up to 4.18, "[  pid  ]   uid  tgid ..." since) and its rows ("[  18568]     0 18568    43758 ...
     * 0 nginx"). One event per table: a row within a few lines of the table's last line is folded into it (a paste
     * may put a blank line after every row).
     */
    boolean taskTable(LogLine line, String m, String what) {
        long at = line.lineNo();
        boolean sameTable = at - taskTableLine <= 3 && taskTableLine >= 0;
        taskTableLine = at;
        if (sameTable) {
            return true;
        }
        return out.emit(line, KernelEventKind.OOM_TASK_LIST, null, null, null, Map.of("what", what));
    }

    /**
     * A header or a whole row of the OOM task table in {@code s[from, end)}: '[', the pid (or the word pid) in
     * brackets, then the header's "uid  tgid total_vm" or a row's numbers (uid, tgid, total_vm, rss, then 3 to 6 more
     * counters by kernel: nr_ptes, nr_pmds, rss_anon/rss_file/rss_shmem, pgtables_bytes, swapents; 2.6.32's cpu and
     * oom_adj; last oom_score_adj, which may be negative) and the task's name, which may itself be a number. A row
     * cut before its name is none unless the counters before the cut could hold a name.
     */
    static boolean taskTableLine(String s, int from, int end) {
        if (from >= end || s.charAt(from) != '[') {
            return false;
        }
        int i = from + 1;
        while (i < end && s.charAt(i) == ' ') {
            i++;
        }
        boolean header = RawText.startsWith(s, i, end, "pid");
        int j = header ? i + 3 : i;
        if (!header) {
            while (j < end && RawText.isDigit(s.charAt(j))) {
                j++;
            }
            if (j == i) {
                return false;
            }
        }
        while (j < end && s.charAt(j) == ' ') {
            j++;
        }
        if (j >= end || s.charAt(j) != ']') {
            return false;
        }
        j++;
        if (header) {
            j = RawText.skipWhitespace(s, j, end);
            return RawText.startsWith(s, j, end, "uid") && RawText.contains(s, j, end, "tgid")
                    && RawText.contains(s, j, end, "total_vm");
        }
        int numbers = 0;
        while (true) {
            int k = j;
            while (k < end && s.charAt(k) == ' ') {
                k++;
            }
            if (k >= end) {
                // the numbers ran to the end: the last was the name (any local user may call a task "9"), or the row
                // was cut after a counter; white space after the last one is a blank name
                return k > j ? numbers >= 7 && numbers <= 10 : numbers >= 8 && numbers <= 11;
            }
            if (k == j) {
                return false;
            }
            int d = s.charAt(k) == '-' ? k + 1 : k;
            int e = d;
            while (e < end && RawText.isDigit(s.charAt(e))) {
                e++;
            }
            if (e > d && (e == end || s.charAt(e) == ' ')) {
                numbers++;
                j = e;
                continue;
            }
            // the name: after 7 to 10 numbers
            return numbers >= 7 && numbers <= 10;
        }
    }

    /** "memory: usage 102400kB, limit 102400kB, failcnt 123" (and memory+swap, kmem, swap). */
    boolean memcgCounter(LogLine line, String m, String counter, int at) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("counter", counter);
        long usage = longAt(m, at);
        if (usage < 0) {
            return false;
        }
        f.put("usage-kb", Long.toString(usage));
        int limit = m.indexOf("limit ", at);
        if (limit > 0 && longAt(m, limit + 6) >= 0) {
            f.put("limit-kb", Long.toString(longAt(m, limit + 6)));
        }
        int fail = m.indexOf("failcnt ", at);
        if (fail > 0 && longAt(m, fail + 8) >= 0) {
            f.put("failcnt", Long.toString(longAt(m, fail + 8)));
        }
        return out.emit(line, KernelEventKind.MEMCG_STATUS, null, null, null, f);
    }
}
