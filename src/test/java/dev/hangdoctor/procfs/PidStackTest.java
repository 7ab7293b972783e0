package dev.hangdoctor.procfs;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.parse.FrameLineParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PidStackTest {

    @Test
    void hiddenAddressesOfA618KernelWaitingOnFuse() {
        List<Frame> frames = PidStack.parse(Fixtures.text("bundle-6.18/proc/4892/task/4892/stack"));
        assertThat(frames).hasSize(13);
        assertThat(frames.get(0).function()).isEqualTo("fuse_get_req");
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.location()).startsWith("+0x");
            assertThat(f.unreliable()).isFalse();
        });
    }

    @Test
    void uffdFault() {
        List<Frame> frames = PidStack.parse(Fixtures.text("bundle-6.18/proc/4889/task/4891/stack"));
        assertThat(frames).extracting(Frame::function).startsWith("handle_userfault", "__handle_mm_fault");
    }

    @Test
    void centos7StackWithModulesThePastedAnnotationAndTheEndMarker() {
        List<Frame> frames = PidStack.parse(Fixtures.text("files/stack-3.10-seed000.txt"));
        // 25 lines, the last is the 0xffffffffffffffff end marker
        assertThat(frames).hasSize(24);
        assertThat(frames.get(0).function()).isEqualTo("wait_iff_congested");
        assertThat(frames.get(7).function()).isEqualTo("__getblk");
        assertThat(frames.get(7).location()).isEqualTo("+0x15b/0x300");
        assertThat(frames.get(8).module()).isEqualTo("ext4");
        assertThat(frames.get(frames.size() - 1).function()).isEqualTo("page_fault");
    }

    @Test
    void seed003StackWithSpacedBracketsAndTrailingBlanks() {
        List<Frame> frames = PidStack.parse(Fixtures.text("files/stack-5.x-seed003.txt"));
        assertThat(frames).extracting(Frame::function).containsExactly("do_wait", "kernel_wait4",
                "zap_pid_ns_processes", "do_exit", "do_group_exit", "__x64_sys_exit_group", "do_syscall_64",
                "entry_SYSCALL_64_after_hwframe");
        assertThat(frames.get(0).location()).isEqualTo("+0x156/0x2f0");
    }

    @Test
    void eachLineReadsAsThePastedTraceGrammarReadsIt() {
        // one grammar: what analyze makes of a pasted line is what a live or bundled stack gives
        String text = Fixtures.text("files/stack-3.10-seed000.txt");
        List<Frame> frames = PidStack.parse(text);
        int i = 0;
        for (String line : text.split("\n")) {
            Frame pasted = FrameLineParser.parse(line.strip());
            if (pasted != null && !FrameLineParser.isTerminator(pasted)) {
                assertThat(frames.get(i++)).isEqualTo(pasted);
            }
        }
        assertThat(i).isEqualTo(frames.size());
    }

    @Test
    void aZombieHasNoStack() {
        assertThat(PidStack.parse(Fixtures.text("bundle-6.18/proc/5049/task/5049/stack"))).isEmpty();
        assertThat(PidStack.parse("")).isEmpty();
        assertThat(PidStack.parse(null)).isEmpty();
        assertThat(PidStack.parse("[<0\n[<0>]\nhello world\n")).isEmpty();
    }

    @Test
    void aRunawayFileStopsAtTheBound() {
        String text = "[<0>] schedule+0x29/0x70\n".repeat(PidStack.MAX_FRAMES + 10);
        assertThat(PidStack.parse(text)).hasSize(PidStack.MAX_FRAMES);
    }

    @Test
    void pathsUnderAnyProcRoot() {
        assertThat(PidStack.taskPath(Path.of("b/proc"), 7, 9)).isEqualTo(Path.of("b/proc/7/task/9/stack"));
        assertThat(PidStack.path(Path.of("r/proc"), 7)).isEqualTo(Path.of("r/proc/7/stack"));
    }
}
