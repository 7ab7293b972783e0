package dev.hangdoctor.act;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogTest {
    @TempDir
    Path dir;

    @Test
    void tightensAnExistingLooseLogButNeverAnExistingDirectory() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.writeString(state.resolve("audit.jsonl"), "");
        Files.setPosixFilePermissions(state.resolve("audit.jsonl"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        AuditLog log = new AuditLog(state);
        assertThat(Files.getPosixFilePermissions(log.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));

        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> new AuditLog(open)).hasMessageContaining("writable by others");
        assertThat(Files.getPosixFilePermissions(open)).isEqualTo(PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(Files.list(open)).isEmpty();
    }

    @Test
    void aSharedStickyDirectoryKeepsItsModeAndTheLogGoesIntoAPrivateSubdirectory() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("tmp"));
        Files.setAttribute(shared, "unix:mode", 01777);
        AuditLog log = new AuditLog(shared);
        assertThat(log.file()).isEqualTo(shared.resolve("hangdoctor").resolve("audit.jsonl"));
        assertThat((Integer) Files.getAttribute(shared, "unix:mode") & 07777).isEqualTo(01777);
        assertThat(Files.getPosixFilePermissions(log.file().getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aDirectoryOwnedBySomeoneElseHereOrAboveIsRefused() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setAttribute(state, "unix:uid", 65534);
        assertThatThrownBy(() -> new AuditLog(state)).hasMessageContaining("uid 65534");
        assertThat(Files.list(state)).isEmpty();

        Path parent = Files.createDirectory(dir.resolve("parent"));
        Path below = Files.createDirectory(parent.resolve("state"));
        Files.setAttribute(parent, "unix:uid", 65534);
        assertThatThrownBy(() -> new AuditLog(below)).hasMessageContaining("uid 65534");
        assertThat(Files.list(below)).isEmpty();
    }

    @Test
    void aLinkOnTheWayIsOnlyAsGoodAsWhatItPointsInto() throws Exception {
        Path foreign = Files.createDirectory(dir.resolve("foreign"));
        Files.setAttribute(foreign, "unix:mode", 0777);
        Path link = Files.createSymbolicLink(dir.resolve("via"), foreign);
        assertThatThrownBy(() -> new AuditLog(link.resolve("state"))).hasMessageContaining("writable by others");
        assertThat(Files.exists(foreign.resolve("state"))).isFalse();
    }

    @Test
    void refusesSymlinksThatWouldRedirectRootsWrites() throws Exception {
        Path target = Files.createDirectory(dir.resolve("etc"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path linkDir = Files.createSymbolicLink(dir.resolve("state-link"), target);
        assertThatThrownBy(() -> new AuditLog(linkDir)).hasMessageContaining("symlink");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));

        Path state = Files.createDirectory(dir.resolve("state"));
        Path victim = Files.writeString(dir.resolve("victim.conf"), "keep me\n");
        Files.createSymbolicLink(state.resolve("audit.jsonl"), victim);
        assertThatThrownBy(() -> new AuditLog(state)).hasMessageContaining("symlink");
        assertThat(Files.readString(victim)).isEqualTo("keep me\n");
    }
}
