package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.MemCgroup;

import java.util.List;
import java.util.Map;

/**
 * The one result every command produces and every view renders: findings (most important first), the grouped
 * stacks, counts of tasks by state, what the evidence was, what was skipped, and (live scans) the kernel messages
 * about hangs that are over ({@code history}, each with when).
 */
public record Diagnosis(
        List<Finding> findings,
        List<StackGroup> stackGroups,
        Map<String, Integer> tasksByState,
        int taskCount,
        String kernelVersion,
        List<String> formats,
        List<String> logLines,
        List<String> goroutines,
        List<String> warnings,
        GraphView graph,
        Map<String, String> hostFacts,
        List<MemCgroup> memCgroups,
        List<FuseConnection> fuseConnections,
        List<String> history) {

    public Diagnosis {
        findings = List.copyOf(findings);
        stackGroups = List.copyOf(stackGroups);
        tasksByState = Map.copyOf(tasksByState);
        formats = List.copyOf(formats);
        logLines = List.copyOf(logLines);
        goroutines = List.copyOf(goroutines);
        warnings = List.copyOf(warnings);
        graph = graph == null ? GraphView.empty() : graph;
        hostFacts = Map.copyOf(hostFacts);
        memCgroups = List.copyOf(memCgroups);
        fuseConnections = List.copyOf(fuseConnections);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A diagnosis without kernel history (evidence that is not a live scan). */
    public Diagnosis(List<Finding> findings, List<StackGroup> stackGroups, Map<String, Integer> tasksByState,
                     int taskCount, String kernelVersion, List<String> formats, List<String> logLines,
                     List<String> goroutines, List<String> warnings, GraphView graph, Map<String, String> hostFacts,
                     List<MemCgroup> memCgroups, List<FuseConnection> fuseConnections) {
        this(findings, stackGroups, tasksByState, taskCount, kernelVersion, formats, logLines, goroutines, warnings,
                graph, hostFacts, memCgroups, fuseConnections, List.of());
    }

    public boolean hangFound() {
        return !findings.isEmpty();
    }
}
