package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class LiveSamplerTest {

    @TempDir
    Path dir;

    private LiveSampler.Options opts() {
        return LiveSampler.Options.defaults().withWindow(Duration.ofMillis(200)).withReader(new TimedReader(4))
                .withKmsgDevice(KmsgReaderTest.records());
    }

    /**
     * The captured bundle as a "host" whose tasks change during the window: 4892 leaves D (its counters move),
     * 5213 stays in D untouched, 4891 (S in handle_userfault) exits.
     */
    static Runnable changes(Path host) {
        return () -> {
            try {
                Path t = host.resolve("proc/4892/task/4892");
                Files.writeString(t.resolve("stat"), Files.readString(t.resolve("stat")).replace(") D ", ") S "));
                Files.writeString(t.resolve("status"), Files.readString(t.resolve("status"))
                        .replace("State:\tD (disk sleep)", "State:\tS (sleeping)")
                        .replace("voluntary_ctxt_switches:\t1\n", "voluntary_ctxt_switches:\t4\n"));
                delete(host.resolve("proc/4889/task/4891"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static void delete(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(x);
            }
        }
    }

    @Test
    void aTaskPassingThroughDIsNotHungAndOneThatStaysIs() throws Exception {
        Path host = ProcFixtures.copyBundle(dir.resolve("host"));
        Evidence e = new LiveSampler(host, opts(), changes(host)).scan();

        assertThat(e.live()).isTrue();
        Task passing = e.taskOrNull(4892);
        assertThat(passing.state()).isEqualTo(TaskState.SLEEPING);
        assertThat(passing.stuckSeconds()).isNull();
        assertThat(passing.contextSwitches()).isEqualTo(1L);
        assertThat(passing.notes()).anyMatch(n -> n.startsWith("ran during the 0.") && n.endsWith("(3 context switches), now S"));

        Task hog = e.taskOrNull(5213);
        assertThat(hog.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(hog.stuckSeconds()).isGreaterThanOrEqualTo(0.2);
        assertThat(hog.notes()).anyMatch(n -> n.matches("stuck in D for the whole 0\\.\\ds window \\(no context switch\\)"));

        assertThat(e.taskOrNull(4891)).isNull();
        assertThat(e.taskOrNull(4889)).isNotNull();
        assertThat(e.formats()).contains("/proc tree");
    }

    @Test
    void theAgentsHeldBundleKeepsThreadFilesInPacksAndReadsBackToTheSameVerdict() throws Exception {
        Path host = ProcFixtures.copyBundle(dir.resolve("host"));
        Path save = Files.createDirectories(dir.resolve("held"));
        HeldBundle held = new HeldBundle(save, HeldBundle.DEFAULT_MAX_BYTES);
        Evidence live = new LiveSampler(host, opts().withHeldBundle(held), changes(host)).scan();
        held.write();

        // no directory per thread, no file per read: a process's files are in its pack files
        try (Stream<Path> s = Files.walk(save)) {
            assertThat(s.map(p -> save.relativize(p).toString().replace('\\', '/')).filter(p -> p.matches("proc/[0-9]+/.*")))
                    .allMatch(p -> p.matches("proc/[0-9]+/" + ProcessPack.PREFIX.replace(".", "\\.") + "[0-9]+\\.txt"))
                    .contains("proc/4889/" + ProcessPack.PREFIX + "1" + ProcessPack.SUFFIX);
        }
        assertThat(Files.readString(save.resolve("proc/4889/" + ProcessPack.PREFIX + "1" + ProcessPack.SUFFIX)))
                .contains("\ntask/4891/stat ", "\ntask/4891/wchan ", "ns/pid.link ");
        assertThat(ProcTreeReader.looksLikeProc(save)).isTrue();

        Evidence back = new ProcTreeReader(save, ProcTreeReader.Options.defaults().withReader(new TimedReader(4))).read();
        assertThat(back.live()).isFalse();
        assertThat(ProcFixtures.describe(back)).isEqualTo(ProcFixtures.describe(live));
        assertThat(back.taskOrNull(5213).stuckSeconds()).isEqualTo(live.taskOrNull(5213).stuckSeconds()).isNotNull();
        assertThat(back.taskOrNull(4891)).isNull();
        assertThat(back.warnings()).noneMatch(w -> w.contains(ProcessPack.PREFIX));
    }

    @Test
    void theSavedBundleReadsBackToTheSameVerdict() throws Exception {
        Path host = ProcFixtures.copyBundle(dir.resolve("host"));
        Path save = dir.resolve("saved");
        Evidence live = new LiveSampler(host, opts().withSaveDir(save), changes(host)).scan();

        assertThat(save.resolve(KmsgReader.SAVED_FILE)).hasSameTextualContentAs(KmsgReaderTest.records());
        String window = Files.readString(save.resolve(ScanWindow.FILE));
        assertThat(window).startsWith("window_ms ").contains("\n4889 4891 gone - -\n", "\n5213 5213 D 2 0\n");
        // sample 2 never overwrites sample 1's files
        assertThat(Files.readString(save.resolve("proc/4889/task/4891/stat"))).contains(" S ");

        Evidence back = new ProcTreeReader(save, ProcTreeReader.Options.defaults().withReader(new TimedReader(4))).read();
        assertThat(back.live()).isFalse();
        assertThat(ProcFixtures.describe(back)).isEqualTo(ProcFixtures.describe(live));
        assertThat(back.taskOrNull(5213).stuckSeconds()).isEqualTo(live.taskOrNull(5213).stuckSeconds()).isNotNull();
        assertThat(back.taskOrNull(4891)).isNull();
    }

    @Test
    void windowZeroTakesOneSample() throws Exception {
        Path host = ProcFixtures.copyBundle(dir.resolve("host"));
        Path save = dir.resolve("saved");
        Evidence e = new LiveSampler(host, opts().withWindow(Duration.ZERO).withSaveDir(save), changes(host)).scan();
        assertThat(e.taskOrNull(4891)).isNotNull();
        assertThat(e.taskOrNull(5213).notes()).noneMatch(n -> n.contains("window"));
        assertThat(save.resolve(ScanWindow.FILE)).doesNotExist();
        assertThat(save.resolve(KmsgReader.SAVED_FILE)).exists();
    }

    @Test
    void theDeadlineHoldsWhenFilesNeverAnswer() throws Exception {
        Path host = ProcFixtures.copyBundle(dir.resolve("host"));
        Path fifo = ProcFixtures.fifo(host.resolve("proc/5213/task/5213/stat"));
        Path kmsg = ProcFixtures.fifo(dir.resolve("kmsg"));
        try {
            LiveSampler.Options o = opts().withDeadline(Duration.ofMillis(3000)).withKmsgDevice(kmsg);
            long t0 = System.nanoTime();
            Evidence e = assertTimeoutPreemptively(Duration.ofSeconds(6), () -> new LiveSampler(host, o).scan());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isLessThan(3300);
            Task hog = e.taskOrNull(5213);
            assertThat(hog.unreadable()).isTrue();
            assertThat(hog.notes()).anyMatch(n -> n.startsWith("still unreadable after the"));
            assertThat(e.taskOrNull(4892).notes()).anyMatch(n -> n.startsWith("stuck in D"));
        } finally {
            ProcFixtures.release(fifo);
            ProcFixtures.release(fifo);
            ProcFixtures.release(kmsg);
        }
    }

    /** Live: this machine's /proc and /dev/kmsg. */
    @Tag("live")
    @Test
    void scansThisHostWithinItsDeadlineAndSeesThisJvm() throws Exception {
        assumeThat(Files.isDirectory(Path.of("/proc/self/task"))).isTrue();
        LiveSampler.Options o = LiveSampler.Options.defaults().withWindow(Duration.ofMillis(200));
        long t0 = System.nanoTime();
        Evidence e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new LiveSampler(Path.of("/"), o).scan());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isLessThan(o.effectiveDeadline().toMillis() + 300);
        assertThat(e.live()).isTrue();
        int me = (int) ProcessHandle.current().pid();
        Task jvm = e.taskOrNull(me);
        assertThat(jvm).isNotNull();
        assertThat(jvm.contextSwitches()).isNotNull();
        assertThat(e.tasks()).filteredOn(t -> t.tgid() != null && t.tgid() == me).hasSizeGreaterThan(1);
    }
}
