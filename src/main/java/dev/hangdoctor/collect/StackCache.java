package dev.hangdoctor.collect;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.procfs.PidStack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed kernel stacks by their text: threads parked alike print the same text (addresses are hidden, "[<0>]"), so
 * ten thousand of them cost one parse. Bounded; past the bound, stacks are parsed one by one. One per scan.
 */
final class StackCache {
    private static final int MAX_CACHED_STACKS = 4096;

    private final Map<String, List<Frame>> byText = new HashMap<>();

    /** The frames of one /proc/PID/task/TID/stack text. */
    List<Frame> frames(String text) {
        List<Frame> f = byText.get(text);
        if (f == null) {
            f = List.copyOf(PidStack.parse(text));
            if (byText.size() < MAX_CACHED_STACKS) {
                byText.put(text, f);
            }
        }
        return f;
    }
}
