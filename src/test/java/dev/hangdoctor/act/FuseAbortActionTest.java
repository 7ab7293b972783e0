package dev.hangdoctor.act;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FuseAbortActionTest {
    @TempDir
    Path connections;

    private Path connection(int id, String waiting) throws Exception {
        Path dir = Files.createDirectories(connections.resolve(Integer.toString(id)));
        Files.writeString(dir.resolve("waiting"), waiting + "\n");
        Files.writeString(dir.resolve("abort"), "");
        return dir;
    }

    private FuseAbortAction planned(int id) {
        return new FuseAbortAction("fuse-daemon-hung@4889", connections, id,
                FuseAbortAction.identityOf(connections.resolve(Integer.toString(id))), List.of("/mnt/a"));
    }

    @Test
    void abortsTheConnectionPlannedFor() throws Exception {
        Path dir = connection(40, "2");
        FuseAbortAction a = planned(40);
        assertThat(a.precheck()).isNull();
        a.apply();
        assertThat(Files.readString(dir.resolve("abort"))).isEqualTo("1");
    }

    /** The hung mount went away and a new one got its number: its connection must not be aborted. */
    @Test
    void aReusedConnectionNumberIsRefused() throws Exception {
        Path dir = connection(40, "2");
        FuseAbortAction a = planned(40);
        Files.move(dir, connections.resolve("old-40")); // kept, so the new directory cannot get its inode
        Path reused = connection(40, "1");
        assertThat(a.precheck()).contains("not the one diagnosed");
        assertThatThrownBy(a::apply).hasMessageContaining("not the one diagnosed");
        assertThat(Files.readString(reused.resolve("abort"))).isEmpty();
    }

    @Test
    void aConnectionThatIsGoneOrDrainedIsRefused() throws Exception {
        Path dir = connection(40, "0");
        FuseAbortAction a = planned(40);
        assertThat(a.precheck()).contains("no request waiting");
        Files.delete(dir.resolve("waiting"));
        Files.delete(dir.resolve("abort"));
        Files.delete(dir);
        assertThat(a.precheck()).contains("gone");
    }
}
