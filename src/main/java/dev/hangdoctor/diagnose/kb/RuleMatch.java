package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.model.Task;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A rule that matched the evidence: how sure (0..1), which tasks play which role, the sentences and log lines
 * that made it match, which signals fired, and where the host's kernel stands against the rule's ranges.
 */
public record RuleMatch(
        Rule rule,
        double confidence,
        Map<Role, List<Task>> tasksByRole,
        List<String> evidence,
        List<String> matchedSignals,
        KernelVerdict kernelVerdict) {

    public RuleMatch {
        EnumMap<Role, List<Task>> copy = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            copy.put(r, List.copyOf(tasksByRole.getOrDefault(r, List.of())));
        }
        tasksByRole = java.util.Collections.unmodifiableMap(copy);
        evidence = List.copyOf(evidence);
        matchedSignals = List.copyOf(matchedSignals);
    }

    /** Tasks in this role; a task is listed under one role only (blocker before victim before context). */
    public List<Task> tasks(Role role) {
        return tasksByRole.get(role);
    }
}
