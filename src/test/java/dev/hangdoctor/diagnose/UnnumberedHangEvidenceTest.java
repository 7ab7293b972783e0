package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evidence that says a hang happened without numbering the tasks: a hung-task header whose pid a paste replaced,
 * a storage driver's timeouts. Stuck tasks make them a finding; device messages alone do not, unless a report handed
 * in shows the controller keeping commands again and again (waiting for them, aborting, resetting): then they are a
 * finding of little confidence.
 */
class UnnumberedHangEvidenceTest {

    private static Diagnosis diagnose(String log) throws Exception {
        // handed to analyze: a saved report, whose words count
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "t");
        e.savedReport(true);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    @Test
    void hungTaskHeaderWithAPlaceholderPidIsAHangReport() throws Exception {
        // sysbox issue 1018: the header's pid is a placeholder and the paste ends right after it
        Diagnosis d = diagnose("`sysbox-fs` (the FUSE daemon) blocked, all parked on `fuse_flush`:\n\n"
                + "INFO: task sysbox-fs:<pid> blocked");
        assertThat(d.findings()).isNotEmpty();
        assertThat(d.findings().get(0).category()).isEqualTo(Category.FUSE);
        assertThat(d.findings().get(0).rootCause()).isNull();
    }

    @Test
    void storageDeviceTimeoutsAloneAreNoHang() throws Exception {
        // nanopi-r5 issue 23's timeouts without the hung-task report that followed them
        Diagnosis d = diagnose("[  107.508575] nvme nvme0: I/O 12 QID 0 timeout, completion polled\n"
                + "[  168.958145] nvme nvme0: I/O 8 QID 0 timeout, completion polled\n");
        assertThat(d.findings()).isEmpty();
    }

    @Test
    void aControllerWaitingForItsCommandsAgainAndAgainIsAWeakBlockIoFinding() throws Exception {
        // corpus t-023 (kubernetes issue 85880): megaraid_sas's reset path waits for 65 commands, between kubelet lines
        String log = """
                Dec 03 20:30:06 b-dok1-ps-013 kernel: megaraid_sas 0000:5a:00.0: [30]waiting for 65 commands to complete for scsi0
                Dec 03 20:30:11 b-dok1-ps-013 kernel: megaraid_sas 0000:5a:00.0: [35]waiting for 65 commands to complete for scsi0
                Dec 03 20:30:12 b-dok1-ps-013 kubelet[206517]: I1203 20:30:12.198232  206517 container_manager_linux.go:428] [ContainerManager]: Discovered runtime cgroups name: /system.slice/docker.service
                """;
        Diagnosis d = diagnose(log);
        assertThat(d.findings()).extracting(Finding::signature).containsExactly("storage-controller-recovery");
        assertThat(d.findings().get(0).category()).isEqualTo(Category.BLOCK_IO);
        assertThat(d.findings().get(0).confidence()).isLessThanOrEqualTo(0.3);
        // one wait is no pattern yet
        assertThat(diagnose(log.lines().skip(1).reduce("", (a, b) -> a + b + "\n")).findings()).isEmpty();
    }

    @Test
    void storageDeviceTimeoutsBeforeAHungTaskAreBlockIo() throws Exception {
        // nanopi-r5 issue 23: the timeouts, then the hung kworker's header with its stack cut by the paste
        Diagnosis d = diagnose("[  107.508575] nvme nvme0: I/O 12 QID 0 timeout, completion polled\n"
                + "[  168.958145] nvme nvme0: I/O 8 QID 0 timeout, completion polled\n"
                + "[  242.664114] INFO: task kworker/u8:4:167 blocked for more than 120 seconds.\n"
                + "[  242.664761]       Not tainted 6.1.0-12-arm64 #1 Debian 6.1.52-1\n");
        assertThat(d.findings().get(0).category()).isEqualTo(Category.BLOCK_IO);
        assertThat(d.findings().get(0).signature()).isEqualTo("storage-device-errors");
    }
}
