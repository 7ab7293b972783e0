package dev.hangdoctor.watch;

import dev.hangdoctor.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The root agent never writes or reads through a link in its state directory and refuses one others control. */
class IncidentStoreTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    private static Incident incident(String id) {
        return new Incident(id, "k-" + id, "hung-fuse-daemon", "fuse", "t", "6.18.0", Instant.parse("2026-01-01T00:00:00Z"),
                List.of("test"));
    }

    @Test
    void aLinkPlantedAsTheTemporaryFileIsNotWrittenThrough() throws Exception {
        IncidentStore store = new IncidentStore(tmp.resolve("state"));
        Path victim = Files.writeString(tmp.resolve("shadow"), "root:x:0:0\n");
        Path d = Files.createDirectory(store.dir().resolve("inc-1"));
        Files.createSymbolicLink(d.resolve(IncidentStore.INCIDENT + ".tmp"), victim);
        Files.createSymbolicLink(store.dir().resolve("index.json.tmp"), victim);

        store.save(incident("inc-1"));
        store.writeIndex(List.of(incident("inc-1")));

        assertThat(Files.readString(victim)).isEqualTo("root:x:0:0\n");
        assertThat(Files.isRegularFile(d.resolve(IncidentStore.INCIDENT), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(PosixModes.of(d.resolve(IncidentStore.INCIDENT))).isEqualTo(0600);
    }

    @Test
    void aLinkedIncidentDirectoryIsNeitherReadNorWrittenThrough() throws Exception {
        IncidentStore store = new IncidentStore(tmp.resolve("state"));
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve(IncidentStore.INCIDENT), incident("inc-2").toJson().toString());
        Files.createSymbolicLink(store.dir().resolve("inc-2"), elsewhere);

        List<String> warnings = new ArrayList<>();
        assertThat(store.load(warnings::add)).isEmpty();
        assertThatThrownBy(() -> store.save(incident("inc-2"))).hasMessageContaining("not a directory");
        assertThat(Files.readString(elsewhere.resolve(IncidentStore.INCIDENT))).contains("\"inc-2\"");
        assertThat(Files.list(elsewhere)).hasSize(1);
    }

    @Test
    void aStateDirectoryOwnedBySomeoneElseIsRefusedAtStartWithOneLine() throws Exception {
        Path state = Files.createDirectory(tmp.resolve("state"));
        Files.setAttribute(state, "unix:uid", NOBODY);
        assertThatThrownBy(() -> new IncidentStore(state)).hasMessageContaining("belongs to uid 65534");

        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "watch", "--state-dir", state.toString(), "--listen", "off", "--for", "1s");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("hangdoctor: ").contains("uid 65534").doesNotContain("\n");
        assertThat(Files.list(state)).isEmpty();
    }

    @Test
    void aDirectoryAboveTheStateDirectoryThatOthersControlIsRefused() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setAttribute(shared, "unix:uid", NOBODY);
        assertThatThrownBy(() -> new IncidentStore(shared.resolve("state"))).hasMessageContaining("uid 65534");
        assertThat(Files.exists(shared.resolve("state"))).isFalse();

        Path open = Files.createDirectory(tmp.resolve("open"));
        PosixModes.set(open, 0777);
        assertThatThrownBy(() -> new IncidentStore(open.resolve("state"))).hasMessageContaining("writable by others");
    }

    @Test
    void aSharedStickyDirectoryKeepsItsModeAndStateGoesIntoAPrivateSubdirectory() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared-tmp"));
        PosixModes.set(shared, 01777);
        IncidentStore store = new IncidentStore(shared);
        assertThat(PosixModes.of(shared)).isEqualTo(01777);
        assertThat(store.stateDir()).isEqualTo(shared.resolve("hangdoctor"));
        assertThat(PosixModes.of(store.stateDir())).isEqualTo(0700);
        assertThat(store.dir()).isEqualTo(shared.resolve("hangdoctor").resolve("incidents"));

        // someone else got there first: refused, not used
        Path other = Files.createDirectory(tmp.resolve("other-tmp"));
        PosixModes.set(other, 01777);
        Path planted = Files.createDirectory(other.resolve("hangdoctor"));
        Files.setAttribute(planted, "unix:uid", NOBODY);
        assertThatThrownBy(() -> new IncidentStore(other)).hasMessageContaining("uid 65534");
    }

    @Test
    void anExistingDirectoryIsNeverChmodded() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        PosixModes.set(open, 0777);
        assertThatThrownBy(() -> new IncidentStore(open)).hasMessageContaining("writable by others");
        assertThat(PosixModes.of(open)).isEqualTo(0777);

        Path readable = Files.createDirectory(tmp.resolve("readable"));
        PosixModes.set(readable, 0755);
        IncidentStore store = new IncidentStore(readable);
        assertThat(PosixModes.of(readable)).isEqualTo(0755);
        assertThat(PosixModes.of(store.dir())).isEqualTo(0700);
    }
}
