package dev.hangdoctor.collect;

import org.junit.jupiter.api.Test;

import static dev.hangdoctor.collect.ThreadFile.CGROUP;
import static dev.hangdoctor.collect.ThreadFile.STACK;
import static dev.hangdoctor.collect.ThreadFile.STAT;
import static dev.hangdoctor.collect.ThreadFile.STATUS;
import static dev.hangdoctor.collect.ThreadFile.WCHAN;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadFileTest {
    @Test
    void aLiveScanReadsWhatPsReadsFirstAndTheRestOnlyForThreadsThatCouldMatter() {
        assertThat(ThreadFile.firstBatch(false, false)).containsExactly(STAT, WCHAN);
        assertThat(ThreadFile.firstBatch(false, true)).containsExactly(STAT, WCHAN, CGROUP);
        assertThat(ThreadFile.fullBatch()).containsExactly(STATUS, STACK);
    }

    @Test
    void aBundleIsReadWholeInOneBatch() {
        assertThat(ThreadFile.firstBatch(true, true)).containsExactly(STAT, STATUS, WCHAN, STACK, CGROUP);
    }

    @Test
    void everyFileIsKeptInItsOwnSlotNeverInAnothersAndWarningsFollowTheTableOrder() {
        ThreadFiles tf = new ThreadFiles(7, java.nio.file.Path.of("proc/7/task/7"));
        StackCache stacks = new StackCache();
        TimedReader.Result cg = new TimedReader.Result(TimedReader.Status.OK, "0::/a\n", null);
        TimedReader.Result st = new TimedReader.Result(TimedReader.Status.OK,
                "7 (x) S 1 7 7 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 99\n", null);
        tf.take(CGROUP, cg, stacks);
        tf.take(STAT, st, stacks);
        assertThat(tf.result(CGROUP)).isSameAs(cg);
        assertThat(tf.result(WCHAN)).isNull();
        assertThat(tf.stat().comm()).isEqualTo("x");
        assertThat(tf.results()).containsExactly(st, cg);
    }
}
