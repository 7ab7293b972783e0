package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import static dev.hangdoctor.parse.TraceFixtures.functions;
import static dev.hangdoctor.parse.TraceFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dump_stack header a mailer wrapped after its taint words: lib/dump_stack.c prints the release and the version's
 * first word on the header's own line, so a next line holding only those is the header's, and the stack under it is
 * still that task's. Lines from lore.kernel.org/r/CAOUHufbkhMZYz20aM_3rHZ3OcK4m2puji2FGpUpn_-DevGk3Kg@mail.gmail.com
 * (corpus zc-021, an all-CPU backtrace of the lruvec lock's holder; quote marks taken off, the stack cut).
 */
class WrappedDumpHeaderTest {

    private static final String[] HOLDER = {
        "NMI backtrace for cpu 75",
        "CPU: 75 PID: 3095650 Comm: fio Not tainted",
        "6.10.0-rc3-trnct_nvme_lruvecresched_sirq_inode_mglru #32",
        "RIP: 0010:folio_inc_gen+0x142/0x430",
        "Call Trace:",
        "   <NMI>",
        "   ? show_regs+0x69/0x80",
        "   ? nmi_cpu_backtrace+0xc5/0x130",
        "   ? nmi_cpu_backtrace_handler+0x11/0x20",
        "   ? folio_inc_gen+0x142/0x430",
        "   </NMI>",
        "   <TASK>",
        "   isolate_folios+0x954/0x1630",
        "   evict_folios+0xa5/0x8c0",
        "   try_to_shrink_lruvec+0x1be/0x320",
    };

    @Test
    void theReleaseWrappedUnderTheHeaderKeepsTheStackTheTasks() throws Exception {
        Evidence e = read(HOLDER);
        assertThat(e.tasks()).singleElement().satisfies(t -> {
            assertThat(t.pid()).isEqualTo(3095650);
            assertThat(t.cpu()).isEqualTo(75);
            assertThat(functions(t)).contains("isolate_folios", "try_to_shrink_lruvec");
        });
    }

    @Test
    void aHeaderWithItsReleaseTakesNoSecondRelease() throws Exception {
        String[] lines = HOLDER.clone();
        lines[1] = "CPU: 75 PID: 3095650 Comm: fio Not tainted 6.10.0-rc3 #32";
        Evidence e = read(lines);
        // the header had its release: the line is something else, and the stack under it is not the header's
        assertThat(e.tasks()).noneMatch(t -> t.pid() == 3095650 && functions(t).contains("isolate_folios"));
    }

    @Test
    void onlyAReleaseAndTheVersionsFirstWordAreTheHeaders() {
        assertThat(TaskLineParser.endsAtTaint("CPU: 75 PID: 3095650 Comm: fio Not tainted")).isTrue();
        assertThat(TaskLineParser.endsAtTaint("CPU: 1 PID: 36 Comm: kworker/u8:2 Tainted: G           O")).isTrue();
        assertThat(TaskLineParser.endsAtTaint("CPU: 1 PID: 36 Comm: kworker/u8:2 Tainted: G O 6.1.0-11-2-amd64 #1"))
                .isFalse();
        assertThat(KernelStackBlock.isWrappedRelease("6.10.0-rc3-trnct_nvme_lruvecresched_sirq_inode_mglru #32")).isTrue();
        assertThat(KernelStackBlock.isWrappedRelease("4.15.0-20-generic")).isTrue();
        // Debian's line (corpus h-017): its version string goes on after the first word
        assertThat(KernelStackBlock.isWrappedRelease("6.1.0-11-2-amd64 #1  Debian 6.1.38-4")).isTrue();
        assertThat(KernelStackBlock.isWrappedRelease("6.1.0-11-2-amd64 tainted by a module")).isFalse();
        assertThat(KernelStackBlock.isWrappedRelease("1 lock held by fio/3095650:")).isFalse();
        assertThat(KernelStackBlock.isWrappedRelease("Hardware name: QEMU Standard PC")).isFalse();
    }
}
