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
    void tightensAnExistingLooseLog() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.writeString(state.resolve("audit.jsonl"), "");
        Files.setPosixFilePermissions(state.resolve("audit.jsonl"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        AuditLog log = new AuditLog(state);
        assertThat(Files.getPosixFilePermissions(log.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
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
