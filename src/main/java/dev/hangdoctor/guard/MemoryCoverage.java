package dev.hangdoctor.guard;

/**
 * Whether the members' own memory explains a cgroup's usage, so that killing the ranked victim would bring usage back:
 * the resident memory and page tables of every member read at decision time (protected ones too) against the usage
 * read just before them, less the inactive page cache the kernel would drop anyway. When the members hold less than
 * half of it, something no process's RSS shows holds the rest — active page cache, shmem or tmpfs, kernel memory, or
 * the real hog that exited (or was OOM-killed) since usage was sampled — and the largest member left is a bystander.
 * Swap is left out on both sides: neither v1's usage_in_bytes nor v2's memory.current counts it.
 */
record MemoryCoverage(long usageBytes, long reclaimableBytes, long membersBytes, long victimBytes) {
    /** Below this share of the unreclaimable usage held by members, the guard does not know what it would free. */
    static final double MIN_SHARE = 0.5;

    /** The usage the kernel could not reclaim without killing: what a kill has to bring back. */
    long judgedBytes() {
        return Math.max(0, usageBytes - Math.max(0, reclaimableBytes));
    }

    /** Why killing the victim is not known to help, or null when the members explain the usage. */
    String refusal() {
        long judged = judgedBytes();
        if (judged == 0 || membersBytes >= MIN_SHARE * judged) {
            return null;
        }
        return "the members hold " + mib(membersBytes) + " of the " + mib(judged) + " in use ("
                + Math.round(100.0 * membersBytes / judged) + "%" + (reclaimableBytes > 0 ? ", reclaimable cache "
                + mib(reclaimableBytes) + " left out" : "") + "), the victim " + mib(victimBytes)
                + ": the rest is held by something no member's RSS shows (page cache, shmem, kernel memory, a process"
                + " that exited since usage was read), so killing it would not bring usage back; left to the kernel";
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
