package dev.hangdoctor.diagnose.audit;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.MemCgroup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host facts an audit tests, flat by key: every sysctl-like fact of the evidence ("kernel.hung_task_panic",
 * "cgroup.cpu.quota_set", ...) plus counts derived from the live objects, which exposure factors and the settings
 * table name like sysctls.
 */
public final class AuditFacts {
    /** FUSE connections under /sys/fs/fuse/connections (or mounts naming one). */
    public static final String FUSE_CONNECTIONS = "fuse.connections";
    /** Memory cgroups with a limit. */
    public static final String MEMCG_LIMITED = "cgroup.memory.limited";
    /** Memory cgroups whose OOM killer is disabled (v1 memory.oom_control oom_kill_disable 1). */
    public static final String MEMCG_OOM_KILL_DISABLE = "cgroup.memory.oom_kill_disable";

    private final Map<String, String> values;
    private final Map<String, List<String>> where;

    private AuditFacts(Map<String, String> values, Map<String, List<String>> where) {
        this.values = Collections.unmodifiableMap(values);
        this.where = Collections.unmodifiableMap(where);
    }

    /** Reads the facts out of the evidence of a live scan or a saved bundle. */
    public static AuditFacts from(Evidence ev) {
        Map<String, String> v = new TreeMap<>(ev.host().sysctls());
        Map<String, List<String>> w = new TreeMap<>();
        if (!ev.fuseConnections().isEmpty()) {
            v.put(FUSE_CONNECTIONS, Integer.toString(ev.fuseConnections().size()));
        }
        if (!ev.memCgroups().isEmpty() || v.containsKey("cgroup.memory.walked")) {
            int limited = 0;
            List<String> disabled = new ArrayList<>();
            for (MemCgroup c : ev.memCgroups()) {
                if (c.limitBytes() != null && !c.unlimited()) {
                    limited++;
                }
                if (Boolean.TRUE.equals(c.oomKillDisable())) {
                    disabled.add(c.path());
                }
            }
            v.put(MEMCG_LIMITED, Integer.toString(limited));
            v.put(MEMCG_OOM_KILL_DISABLE, Integer.toString(disabled.size()));
            if (!disabled.isEmpty()) {
                w.put(MEMCG_OOM_KILL_DISABLE, List.copyOf(disabled));
            }
        }
        return new AuditFacts(v, w);
    }

    /** Facts given directly (tests). */
    public static AuditFacts of(Map<String, String> values) {
        return new AuditFacts(new TreeMap<>(values), new TreeMap<>());
    }

    /** The value of a fact, or null when the host did not say. */
    public String value(String key) {
        return values.get(key);
    }

    /** Where a counted fact was seen (cgroup paths), empty when not applicable. */
    public List<String> where(String key) {
        return where.getOrDefault(key, List.of());
    }

    public Map<String, String> values() {
        return values;
    }
}
