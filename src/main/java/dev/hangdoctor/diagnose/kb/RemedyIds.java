package dev.hangdoctor.diagnose.kb;

import java.util.List;

/** The remedies `hangdoctor fix` knows how to take; rules name the ones that end their hang. */
public final class RemedyIds {
    /** Abort the FUSE connection the blocked tasks wait on (/sys/fs/fuse/connections/N/abort). */
    public static final String FUSE_ABORT = "fuse-abort";
    /** Raise the stuck memory cgroup's limit by a bounded amount so the pending charge succeeds. */
    public static final String MEMCG_RAISE_LIMIT = "memcg-raise-limit";
    /** Kill the one process the kernel OOM killer would choose inside that cgroup. */
    public static final String MEMCG_KILL_OOM_VICTIM = "memcg-kill-oom-victim";
    /** End the process that owns memory registered with a userfaultfd nobody serves. */
    public static final String UFFD_KILL_OWNER = "uffd-kill-owner";

    /** In the order `fix` prefers them when a rule names several: least destructive first. */
    public static final List<String> ALL = List.of(FUSE_ABORT, MEMCG_RAISE_LIMIT, MEMCG_KILL_OOM_VICTIM, UFFD_KILL_OWNER);

    private RemedyIds() {
    }
}
