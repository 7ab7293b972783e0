package dev.hangdoctor.model;

import java.util.Map;

/**
 * One kernel message that matters to hang diagnosis (hung task, lockup, RCU stall, OOM kill, ...), with what
 * could be read out of it. {@code message} is the text without log prefixes; {@code raw} the line as found.
 */
public record KernelEvent(
        KernelEventKind kind,
        Double timestamp,
        Integer pid,
        String comm,
        Integer cpu,
        Map<String, String> fields,
        String message,
        String source) {

    public KernelEvent {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    public String field(String name) {
        return fields.get(name);
    }
}
