package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEventKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays bounded however much evidence streams through: a generated 400 MB log of 5.9.x-style hung-task reports,
 * every one for a new pid (the worst case: nothing folds by pid), read with the test JVM's heap. The caps keep the
 * tasks and events; identical stacks are shared.
 */
class StreamingMemoryTest {

    @Test
    void fourHundredMegabytesOfDistinctHungTasksStayWithinTheCaps() throws IOException {
        Evidence e = EvidenceReader.read(HungTaskLog.ofBytes(400L << 20), "generated");
        assertThat(e.tasks()).hasSize(Evidence.MAX_TASKS);
        assertThat(e.tasksDropped()).isPositive();
        assertThat(e.events(KernelEventKind.HUNG_TASK)).hasSize(Evidence.EVENTS_PER_KIND);
        assertThat(e.eventCount(KernelEventKind.HUNG_TASK)).isGreaterThan(Evidence.MAX_TASKS);
        // every task's stack is the one shared list (the stream may end inside a last, shorter one)
        assertThat(e.tasks().stream().map(t -> System.identityHashCode(t.frames())).distinct().count()).isLessThanOrEqualTo(2);
        System.gc();
        long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(used).as("heap in use after reading 400 MB").isLessThan(200L << 20);
    }
}
