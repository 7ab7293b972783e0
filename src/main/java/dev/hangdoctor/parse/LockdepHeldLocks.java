package dev.hangdoctor.parse;

import dev.hangdoctor.model.HeldLock;

/**
 * Lockdep's list of the locks each task holds (kernel/locking/lockdep.c, lockdep_print_held_locks, printed by the
 * hung-task detector's "Showing all locks held in the system:", by sysrq-d and in lockdep's own reports):
 * "%d lock%s held by %s/%d:" then one " #%d: " line per lock: the instance's address (none before 4.x; hashed
 * from 4.15), " (name){usage}" (5.8+ adds "-{wait:inner}"), ", at: " and the function that asked for it.
 */
final class LockdepHeldLocks {

    /** A list's first line: whose locks follow. */
    record Holder(String comm, int pid) {
    }

    private LockdepHeldLocks() {
    }

    /** Whether a message may be a list's first line (the trigger table's test: a count, then " held by "). */
    static boolean mayBeHolder(String s, int from, int end) {
        return RawText.isDigit(s.charAt(from)) && RawText.contains(s, from, Math.min(end, from + 20), " held by ");
    }

    /** Whether a message may be one entry (" #0: ..."). */
    static boolean mayBeEntry(String s, int from, int end) {
        int i = RawText.skipWhitespace(s, from, end);
        return i + 3 < end && s.charAt(i) == '#' && RawText.isDigit(s.charAt(i + 1));
    }

    /**
     * "2 locks held by syz-executor.4/5253:" (the name is whatever the task set: it ends where {@link KernelNames}
     * says, at the last '/' within a name's width that the pid follows), or null.
     */
    static Holder holder(String m) {
        String t = m.strip();
        if (!t.endsWith(":") || !RawText.isDigit(t.charAt(0))) {
            return null; // "no locks held by x/N." holds nothing
        }
        // where the name ends, as the name reader finds it (the last '/' a pid follows, within a name's width)
        int slash = KernelNames.heldLocksName(t, 0, t.length());
        if (slash < 0 || slash >= t.length() || t.charAt(slash) != '/') {
            return null;
        }
        Integer pid = TaskLineParser.parseIntOrNull(t.substring(slash + 1, t.length() - 1));
        return pid == null ? null : new Holder(t.substring(t.indexOf(" held by ") + 9, slash), pid);
    }

    /** " #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867", or null. */
    static HeldLock entry(String m) {
        String t = m.strip();
        if (t.length() < 4 || t.charAt(0) != '#') {
            return null;
        }
        int colon = t.indexOf(':');
        Integer index = colon > 1 && colon < 5 ? TaskLineParser.parseIntOrNull(t.substring(1, colon)) : null;
        if (index == null) {
            return null;
        }
        int i = RawText.skipWhitespace(t, colon + 1, t.length());
        String address = null;
        int word = i;
        while (i < t.length() && Character.digit(t.charAt(i), 16) >= 0) {
            i++;
        }
        if (i > word && i < t.length() && t.charAt(i) == ' ') {
            address = t.substring(word, i);
            i = RawText.skipWhitespace(t, i, t.length());
        } else {
            i = word;
        }
        int usage = t.indexOf("){", i);
        if (i >= t.length() || t.charAt(i) != '(' || usage < 0) {
            return null;
        }
        String name = t.substring(i + 1, usage);
        int at = t.indexOf(", at: ", usage);
        String function = at < 0 ? null : atFunction(t, at + 6);
        return new HeldLock(index, instance(address, name), name, function);
    }

    /**
     * Which lock an entry is: its address when printed (and not zero: a kernel that hides pointers prints
     * "(____ptrval____)" or zeros); else the name of a lock there is only one of (a static mutex or rwsem,
     * "rtnl_mutex"), never a class of many instances ("&type->s_umount_key#52"); none for the pseudo-locks every
     * worker or reader shares ("(wq_completion)events", "rcu_read_lock").
     */
    private static String instance(String address, String name) {
        if (name.startsWith("(") || name.startsWith("rcu_read_lock") || name.equals("rcu_callback")) {
            return null;
        }
        if (address != null && !address.chars().allMatch(c -> c == '0')) {
            return address;
        }
        return name.indexOf('&') < 0 && name.indexOf("->") < 0 ? name : null;
    }

    /** "[<ffffffff811e2f8e>] deactivate_super+0x3e/0x70", "__super_lock fs/super.c:56 [inline]": the function. */
    private static String atFunction(String t, int from) {
        int i = RawText.skipWhitespace(t, from, t.length());
        if (t.startsWith("[<", i)) {
            int close = t.indexOf("] ", i);
            i = close < 0 ? t.length() : RawText.skipWhitespace(t, close + 2, t.length());
        }
        int e = i;
        while (e < t.length() && t.charAt(e) != '+' && t.charAt(e) != ' ') {
            e++;
        }
        return e > i ? t.substring(i, e) : null;
    }
}
