package dev.hangdoctor.guard;

import dev.hangdoctor.config.GuardSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One entry of the guard's prefer/avoid/protect lists: a process matches when every key given matches — {@code comm}
 * (a regex over the whole 15-character command name), {@code cgroup} (a {@link CgroupGlob} over the memory cgroup the
 * process is in) and {@code user} (a user name or numeric uid, resolved to a uid when the guard starts).
 */
public final class ProcessRule {
    private final Pattern comm;
    private final CgroupGlob cgroup;
    private final String user;

    public ProcessRule(Pattern comm, CgroupGlob cgroup, String user) {
        if (comm == null && cgroup == null && user == null) {
            throw new IllegalArgumentException("a process rule needs comm, cgroup or user");
        }
        this.comm = comm;
        this.cgroup = cgroup;
        this.user = user;
    }

    public static ProcessRule comm(String regex) {
        return new ProcessRule(Pattern.compile(regex), null, null);
    }

    public static ProcessRule cgroup(String glob) {
        return new ProcessRule(null, CgroupGlob.parse(glob), null);
    }

    public static ProcessRule user(String nameOrUid) {
        return new ProcessRule(null, null, nameOrUid);
    }

    /** Compiles the bound prefer/avoid/protect entries; {@code key} names the list in errors ("guard.protect"). */
    static List<ProcessRule> listFrom(List<GuardSettings.ProcessMatch> entries, String key) {
        List<ProcessRule> out = new ArrayList<>();
        if (entries == null) {
            return out;
        }
        int i = 0;
        for (GuardSettings.ProcessMatch m : entries) {
            String where = key + "[" + i++ + "]";
            if (m == null || (m.comm() == null && m.cgroup() == null && m.user() == null)) {
                throw new IllegalArgumentException(where + " must be a map with comm, cgroup or user");
            }
            Pattern comm = null;
            CgroupGlob cg = null;
            if (m.comm() != null) {
                try {
                    comm = Pattern.compile(m.comm());
                } catch (PatternSyntaxException ex) {
                    throw new IllegalArgumentException(where + ".comm '" + m.comm() + "' is not a regex: "
                            + ex.getDescription());
                }
            }
            if (m.cgroup() != null) {
                try {
                    cg = CgroupGlob.parse(m.cgroup());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(where + ".cgroup: " + ex.getMessage());
                }
            }
            if (m.user() != null && m.user().isBlank()) {
                throw new IllegalArgumentException(where + ".user is empty");
            }
            out.add(new ProcessRule(comm, cg, m.user() == null ? null : m.user().trim()));
        }
        return out;
    }

    /** The user as written (name or uid), or null. */
    public String user() {
        return user;
    }

    /** True when the process matches; {@code uid} null means unknown (a user rule then does not match). */
    boolean matches(String processComm, String processCgroup, Integer uid, Map<String, Integer> uids) {
        if (comm != null && (processComm == null || !comm.matcher(processComm).matches())) {
            return false;
        }
        if (cgroup != null && (processCgroup == null || !cgroup.matches(processCgroup))) {
            return false;
        }
        if (user != null) {
            Integer want = uids.get(user);
            return uid != null && want != null && want.equals(uid);
        }
        return true;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (comm != null) {
            parts.add("comm: " + comm.pattern());
        }
        if (cgroup != null) {
            parts.add("cgroup: " + cgroup);
        }
        if (user != null) {
            parts.add("user: " + user);
        }
        return "{" + String.join(", ", parts) + "}";
    }
}
