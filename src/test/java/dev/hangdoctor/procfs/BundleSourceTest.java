package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BundleSourceTest {

    private static Path bundle() throws URISyntaxException {
        return Path.of(BundleSourceTest.class.getResource("/proc/bundle-6.18").toURI());
    }

    @Test
    void readsTheSameFilesAScanReadsLive() throws Exception {
        ProcSource b = new BundleSource(bundle());
        assertThat(b.live()).isFalse();
        assertThat(PidCgroup.memoryPath(b.read(PidCgroup.path(b.proc(), 5213)).text()).path()).isEqualTo("/h5test");
        Path cg = b.sys().resolve("fs/cgroup/memory/h5test");
        assertThat(MemcgLimit.parse(b.read(MemcgLimit.path(cg, 1)).text()).bytes()).isEqualTo(64L << 20);
        assertThat(PidStack.parse(b.read(PidStack.taskPath(b.proc(), 4892, 4892)).text()).get(0).function())
                .isEqualTo("fuse_get_req");
    }

    @Test
    void aMissingFileIsMissing() throws Exception {
        ProcSource.Read r = new BundleSource(bundle()).read(bundle().resolve("proc/1/stat"));
        assertThat(r.ok()).isFalse();
        assertThat(r.missing()).isTrue();
    }

    @Test
    void refusesWhatIsNotARegularFile(@TempDir Path root) throws Exception {
        Path target = Files.writeString(root.resolve("secret"), "x");
        Files.createDirectories(root.resolve("proc/1"));
        Path link = Files.createSymbolicLink(root.resolve("proc/1/stat"), target);
        Path fifo = root.resolve("proc/1/status");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        BundleSource b = new BundleSource(root);
        for (Path p : new Path[] {link, fifo, root.resolve("proc")}) {
            ProcSource.Read r = b.read(p);
            assertThat(r.ok()).isFalse();
            assertThat(r.missing()).isFalse();
            assertThat(r.failure()).contains("not a regular file");
        }
    }
}
