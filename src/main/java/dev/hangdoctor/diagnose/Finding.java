package dev.hangdoctor.diagnose;

import java.util.List;

/**
 * One diagnosed hang: which known problem (knowledge-base id), who blocks, who only suffers, why, and what ends it.
 * {@code rootCause} is null when the blocker is not a task the evidence names (a stack pasted without its pid, a CPU
 * in an interrupt); {@code blocker} always says in words what blocks.
 * {@code chain} is the wait-for chain as sentences, blocker last ("jbd2/md127-8:587 waits for t_updates of the
 * running transaction, held by ext4-repro-with-write:27225").
 */
public record Finding(
        String signature,
        Category category,
        String title,
        double confidence,
        TaskRef rootCause,
        String blocker,
        String rootCauseResource,
        List<TaskRef> victims,
        List<String> chain,
        List<String> evidence,
        String explanation,
        Fix fix,
        List<String> remediation,
        List<String> actions) {

    public Finding {
        victims = List.copyOf(victims);
        chain = List.copyOf(chain);
        evidence = List.copyOf(evidence);
        remediation = List.copyOf(remediation);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /**
     * Identifies this finding among others of the same signature (several hangs of one kind, each its own blocker).
     * A hang with no blocking task (a memory cgroup at its limit, a FUSE connection no process serves) is told from
     * another of its kind by its lowest stuck pid: two stalled cgroups of one host are two findings, and acting on
     * one (fix --pid) must not judge the other by the same key.
     */
    public String key() {
        if (rootCause != null) {
            return signature + "@" + rootCause.pid();
        }
        return victims.stream().mapToInt(TaskRef::pid).filter(p -> p > 0).min()
                .stream().mapToObj(p -> signature + "@task:" + p).findFirst().orElse(signature);
    }

    /** Where a known bug is fixed: kernel versions, commits, bug links. */
    public record Fix(List<String> kernels, List<String> commits, List<String> links, String note) {
        public Fix {
            kernels = kernels == null ? List.of() : List.copyOf(kernels);
            commits = commits == null ? List.of() : List.copyOf(commits);
            links = links == null ? List.of() : List.copyOf(links);
        }
    }
}
