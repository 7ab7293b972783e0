package dev.hangdoctor.cli;

import dev.hangdoctor.diagnose.Diagnoser;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An NFS outage that ended ("nfs: server X OK") is history on a live host and, in evidence handed in, the outage it
 * shows at lower confidence; one that is still on, or hung tasks after it, is a hang.
 */
class NfsRecoveryTest {
    @TempDir
    Path dir;

    private static final String OUTAGE = String.join("\n",
            "[ 1000.000000] nfs: server nfs01 not responding, still trying",
            "[ 1200.000000] INFO: task df:4321 blocked for more than 120 seconds.",
            "[ 1200.000050] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
            "[ 1200.000100] df              D ffff88103fc13680     0  4321   4000 0x00000080",
            "[ 1200.000200] Call Trace:",
            "[ 1200.000300]  [<ffffffff8163a909>] schedule+0x29/0x70",
            "[ 1200.000400]  [<ffffffffa04a9e84>] rpc_wait_bit_killable+0x24/0xb0 [sunrpc]",
            "[ 1200.000500]  [<ffffffff81638780>] __wait_on_bit+0x60/0x90",
            "[ 1200.000600]  [<ffffffff81638837>] out_of_line_wait_on_bit+0x87/0xb0",
            "[ 1200.000700]  [<ffffffffa04ab3f3>] __rpc_execute+0x183/0x420 [sunrpc]",
            "[ 1200.000800]  [<ffffffffa04a2c39>] rpc_run_task+0x79/0xa0 [sunrpc]",
            "[ 1200.000900]  [<ffffffffa05b9a5a>] nfs4_call_sync_sequence+0x5a/0x80 [nfsv4]",
            "[ 1200.001000]  [<ffffffffa05ba63c>] _nfs4_proc_getattr+0xac/0xe0 [nfsv4]",
            "[ 1200.001100]  [<ffffffff811de8c7>] vfs_statfs+0x37/0xd0", "");

    private CliRun analyze(String text) throws Exception {
        Path f = Files.writeString(dir.resolve("messages"), text);
        return CliRun.of("analyze", "--json", f.toString());
    }

    @Test
    void aServerStillGoneIsAHang() throws Exception {
        CliRun r = analyze(OUTAGE);
        assertThat(r.exit()).isEqualTo(ExitCodes.PROBLEM);
        assertThat(r.json().get("findings").get(0).get("category").asText()).isEqualTo("nfs");
    }

    @Test
    void aServerThatCameBackIsTheOutageHandedInWithLessConfidence() throws Exception {
        // evidence handed in is the stall its owner asks about, though it ended within it (corpus i-021: a root-over-NFS
        // client's burst of "not responding" until "OK"): the NFS finding stands, lowered, and says it ended
        CliRun still = analyze(OUTAGE);
        CliRun r = analyze(OUTAGE + "[ 1300.000000] nfs: server nfs01 OK\n");
        assertThat(r.exit()).as(r.out()).isEqualTo(ExitCodes.PROBLEM);
        assertThat(r.json().get("findings").get(0).get("category").asText()).isEqualTo("nfs");
        assertThat(r.json().get("findings").get(0).get("confidence").asDouble())
                .isLessThan(still.json().get("findings").get(0).get("confidence").asDouble());
        assertThat(r.err()).contains("nfs01 answered again").contains("which ended");
    }

    @Test
    void aServerThatCameBackIsHistoryOnALiveHost() throws Exception {
        // the live rule: what the host's own log says ended is no hang now
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(
                (OUTAGE + "[ 1300.000000] nfs: server nfs01 OK\n").getBytes(StandardCharsets.UTF_8)), "kmsg");
        Diagnosis d = new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
        assertThat(d.findings()).isEmpty();
        assertThat(d.warnings()).anyMatch(w -> w.contains("nfs01 answered again") && w.contains("not a hang now"));
    }

    @Test
    void hungTasksAfterTheRecoveryStillCount() throws Exception {
        CliRun r = analyze(OUTAGE + "[ 1300.000000] nfs: server nfs01 OK\n"
                + OUTAGE.replace("[ 1000.000000] nfs: server nfs01 not responding, still trying\n", "")
                        .replace("[ 1200.", "[ 1500."));
        assertThat(r.exit()).isEqualTo(ExitCodes.PROBLEM);
    }
}
