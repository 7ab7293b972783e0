package dev.hangdoctor.collect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessOrderTest {
    @Test
    void processesWithAHotTaskComeFirstEachGroupInPidOrder() {
        assertThat(ProcessOrder.hotFirst(List.of(1, 5, 7, 9, 12), Set.of(9, 5))).containsExactly(5, 9, 1, 7, 12);
        assertThat(ProcessOrder.hotFirst(List.of(1, 5), Set.of())).containsExactly(1, 5);
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
