package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** FUSE mounts with no connection under /sys/fs/fuse/connections: fusectl is not mounted, and the scan says so. */
class FusectlMissingTest {
    @TempDir
    Path tmp;

    @Test
    void fuseMountsWithoutFusectlAreAWarning() throws Exception {
        Path host = ProcFixtures.copyBundle(tmp.resolve("host"));
        assertThat(new ProcTreeReader(host, ProcTreeReader.Options.defaults()).read().warnings())
                .doesNotContain(ProcTreeReader.FUSECTL_MISSING);
        try (Stream<Path> s = Files.walk(host.resolve("sys/fs/fuse/connections"))) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Evidence ev = new ProcTreeReader(host, ProcTreeReader.Options.defaults()).read();
        assertThat(ev.warnings()).contains(ProcTreeReader.FUSECTL_MISSING);
    }
}
