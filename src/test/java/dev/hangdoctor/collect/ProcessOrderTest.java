package dev.hangdoctor.collect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessOrderTest {
    @Test
    void processesWithAHotTaskComeFirstEachGroupInPidOrder() {
        assertThat(ProcessOrder.hotFirst(List.of(1, 5, 7, 9, 12), Set.of(9, 5))).containsExactly(5, 9, 1, 7, 12);
        assertThat(ProcessOrder.hotFirst(List.of(1, 5), Set.of())).containsExactly(1, 5);
    }

    @Test
    void processesWithManyThreadsComeAfterTheRestFewestFirstUnlessHot() {
        // 3 has 10 000 threads, 7 has 200, 9 has 4; 12 has 5 000 but a task in D
        Map<Integer, Integer> threads = Map.of(3, 10_000, 7, 200, 9, 4, 12, 5_000);
        assertThat(ProcessOrder.hotFirst(List.of(1, 3, 5, 7, 9, 12, 20), Set.of(12), threads))
                .containsExactly(12, 1, 5, 9, 20, 7, 3);
        assertThat(ProcessOrder.hotFirst(List.of(1, 3, 5), Set.of(), Map.of(3, ProcessOrder.MANY_THREADS)))
                .containsExactly(1, 3, 5);
    }

    @Test
    void aProcessWithinTheCapIsReadWholeInTidOrder() {
        assertThat(ProcessOrder.threads(10, Set.of(), 4, List.of(10, 11, 12))).containsExactly(10, 11, 12);
    }

    @Test
    void pastTheCapTheLeaderAndTheHotThreadsAreKeptThenTheRestAscending() {
        List<Integer> tids = List.of(10, 11, 12, 13, 14, 15);
        assertThat(ProcessOrder.threads(10, Set.of(15), 3, tids)).containsExactly(10, 15, 11);
        assertThat(ProcessOrder.threads(10, Set.of(13, 14, 15), 2, tids)).containsExactly(10, 13, 14, 15);
    }
}
