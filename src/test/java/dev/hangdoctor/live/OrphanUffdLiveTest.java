package dev.hangdoctor.live;

import static dev.hangdoctor.live.LiveAssertions.assertGone;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Tag("live")
class OrphanUffdLiveTest {

    @BeforeEach
    void needsHost() {
        LivePreconditions.assumeUffdHangs();
    }

    @ParameterizedTest
    @EnumSource(OrphanUffd.Fault.class)
    void faultOnAPageNobodyServesSleepsInHandleUserfaultWithOnePending(OrphanUffd.Fault fault) throws Exception {
        List<OwnedPid> pids;
        try (OrphanUffd hang = OrphanUffd.start(fault)) {
            pids = hang.ownPids();
            char expected = fault == OrphanUffd.Fault.KERNEL_GUP ? 'D' : 'S';
            assertThat(LiveProc.stat(hang.pid().pid(), hang.faultingTid()).orElseThrow().state()).isEqualTo(expected);
            assertThat(LiveProc.functions(hang.stack())).first().isEqualTo("handle_userfault");
            assertThat(hang.pending()).contains(1L);
            assertThat(Files.readSymbolicLink(Path.of("/proc", Integer.toString(hang.pid().pid()), "fd",
                    Integer.toString(hang.fd()))).toString()).isEqualTo("anon_inode:[userfaultfd]");
            ObservedStacks.record("uffd-orphan-" + fault.name().toLowerCase().replace('_', '-'),
                    "faulting thread", expected, hang.stack());
            ObservedStacks.recordFdinfo("uffd-orphan-" + fault.name().toLowerCase().replace('_', '-'),
                    "the uffd's owner", expected, hang.fdinfo());
        }
        assertGone(pids);
    }
}
