package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import static dev.hangdoctor.parse.TraceFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

class CrashLineParserTest {

    @Test
    void aMaskedCommandWithoutItsQuotesIsStillTheComm() {
        // Red Hat solution 5534961: the page masked the command and crash's quotes with it
        Task t = CrashLineParser.parseHeader("PID: 425416  TASK: ffff8b257ca8d3c0  CPU: 40  COMMAND: XXXXXXXXXXXXXXXXX");
        assertThat(t.pid()).isEqualTo(425416);
        assertThat(t.comm()).isEqualTo("XXXXXXXXXXXXXXXXX");
        assertThat(t.cpu()).isEqualTo(40);
        Task quoted = CrashLineParser.parseHeader("PID: 587    TASK: ffff8e8f6c5d0000  CPU: 5   COMMAND: \"jbd2/md127-8\"");
        assertThat(quoted.comm()).isEqualTo("jbd2/md127-8");
        Task none = CrashLineParser.parseHeader("PID: 587    TASK: ffff8e8f6c5d0000  CPU: 5   COMMAND: ");
        assertThat(none.comm()).isNull();
    }

    @Test
    void framesBelowTheNmiSeparatorAreTheInterruptedTasks() {
        // the same solution's bt, cut after the NMI handler's frames and the exception frame
        Evidence e = parse("PID: 425416  TASK: ffff8b257ca8d3c0  CPU: 40  COMMAND: XXXXXXXXXXXXXXXXX\n"
                + " #0 [ffff8b1d9df09e40] crash_nmi_callback at ffffffff83245e57\n"
                + " #1 [ffff8b1d9df09e50] nmi_handle at ffffffff8395f8e4\n"
                + " #2 [ffff8b1d9df09ea8] do_nmi at ffffffff8395fafd\n"
                + " #3 [ffff8b1d9df09ef0] end_repeat_nmi at ffffffff8395ed39\n"
                + "    [exception RIP: generic_exec_single+0xfa]\n"
                + "    RIP: ffffffff83306d6a  RSP: ffff8b24eb39fb20  RFLAGS: 00000202\n"
                + "    ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0000\n"
                + "--- <NMI exception stack> ---\n"
                + " #4 [ffff8b24eb39fb20] generic_exec_single at ffffffff83306d6a\n"
                + " #5 [ffff8b24eb39fb70] smp_call_function_single at ffffffff83306e92\n"
                + " #6 [ffff8b24eb39fba8] smp_call_function_many at ffffffff833074ca\n"
                + " #7 [ffff8b24eb39fbf0] native_flush_tlb_others at ffffffff8326abe8\n"
                + "[...]\n", "t");
        Task t = e.taskOrNull(425416);
        assertThat(t.comm()).isEqualTo("XXXXXXXXXXXXXXXXX");
        assertThat(t.frames()).extracting(Frame::function).contains("crash_nmi_callback", "generic_exec_single",
                "native_flush_tlb_others");
        assertThat(t.frames()).filteredOn(f -> f.function().equals("native_flush_tlb_others"))
                .extracting(Frame::context).containsExactly(StackContext.TASK);
    }

    @Test
    void aMarkerWithoutItsDashesStillSeparatesTheStacks() {
        // crash's bt quoted in a patch's commit message (lore.kernel.org/r/dae8ea77-2bc1-8ee9-b94b-207e2c8e1b8d@google.com):
        // git am ends a message at a line starting with "---", so the author dropped the marker's dashes
        Evidence e = parse("PID: 2865     TASK: ffff888139214d40  CPU: 40   COMMAND: \"kswapd0\"\n"
                + " #0 [fffffe0000945e60] crash_nmi_callback at ffffffffa567a555\n"
                + " #1 [fffffe0000945e68] nmi_handle at ffffffffa563b171\n"
                + " #4 [fffffe0000945ef0] end_repeat_nmi at ffffffffa6601dde\n"
                + "    [exception RIP: isolate_lru_folios+403]\n"
                + "    ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0018\n"
                + "    <NMI exception stack>\n"
                + " #5 [ffffc90006fb7c28] isolate_lru_folios at ffffffffa597df53\n"
                + " #6 [ffffc90006fb7cf8] shrink_active_list at ffffffffa597f788\n"
                + " #8 [ffffc90006fb7ec0] kswapd at ffffffffa5987354\n", "t");
        assertThat(e.tasks()).hasSize(1);
        assertThat(e.taskOrNull(2865).frames()).filteredOn(f -> f.function().equals("kswapd"))
                .extracting(Frame::context).containsExactly(StackContext.TASK);
        assertThat(CrashLineParser.parseStackMarker("<NMI exception stack>")).isEqualTo(StackContext.NMI);
        assertThat(CrashLineParser.parseStackMarker("<TASK>")).isNull();
        assertThat(CrashLineParser.parseStackMarker("<EOI>")).isNull();
    }
}
