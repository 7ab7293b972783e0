package dev.hangdoctor.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UserNamespaceTest {
    @TempDir
    Path proc;

    private Path uidMap(String text) throws Exception {
        Files.createDirectories(proc.resolve("self"));
        return Files.writeString(proc.resolve("self/uid_map"), text);
    }

    @Test
    void theInitialNamespaceMapsEveryUidOntoItself() throws Exception {
        uidMap("         0          0 4294967295\n");
        assertThat(UserNamespace.nested(proc)).isFalse();
    }

    @Test
    void rootMappedToRootAloneIsANestedNamespace() throws Exception {
        // what `unshare -Ur` writes when root runs it
        uidMap("         0          0          1\n");
        assertThat(UserNamespace.nested(proc)).isTrue();
    }

    @Test
    void anUnprivilegedContainersRangeIsNested() throws Exception {
        uidMap("         0     100000      65536\n");
        assertThat(UserNamespace.nested(proc)).isTrue();
    }

    @Test
    void noUidMapSaysNothing() {
        assertThat(UserNamespace.nested(proc)).isFalse();
    }
}
