package dev.hangdoctor.diagnose;

import java.util.Locale;

/** The classes of hang a finding belongs to; the JSON names are the stable ids. */
public enum Category {
    JBD2("jbd2"), MEMCG_OOM("memcg-oom"), FUSE("fuse"), NFS("nfs"), UFFD("uffd"), RWSEM_MMAP("rwsem-mmap"),
    PIDNS_ZAP("pidns-zap"), CFS_BANDWIDTH_LOCKUP("cfs-bandwidth-lockup"), HARD_LOCKUP("hard-lockup"),
    SOFT_LOCKUP("soft-lockup"),
    RCU_STALL("rcu-stall"), BLOCK_IO("block-io"), OVERLAYFS("overlayfs"), XFS("xfs"), OTHER("other");

    private final String id;

    Category(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses a JSON/YAML id ("memcg-oom"); unknown ids are an error the rule loader reports. */
    public static Category fromId(String id) {
        String want = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (Category c : values()) {
            if (c.id.equals(want)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category '" + id + "'");
    }
}
