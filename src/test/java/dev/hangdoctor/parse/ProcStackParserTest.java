package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStackParserTest {

    @Test
    void hiddenAddressLine() {
        Frame f = ProcStackParser.parseLine("[<0>] request_wait_answer+0x12f/0x210");
        assertThat(f.function()).isEqualTo("request_wait_answer");
        assertThat(f.location()).isEqualTo("+0x12f/0x210");
        assertThat(f.module()).isNull();
        assertThat(f.unreliable()).isFalse();
    }

    @Test
    void oldKernelLineWithModule() {
        Frame f = ProcStackParser.parseLine("[<ffffffffc075bd43>] __ext4_get_inode_loc+0xe3/0x3c0 [ext4]");
        assertThat(f.function()).isEqualTo("__ext4_get_inode_loc");
        assertThat(f.location()).isEqualTo("+0xe3/0x3c0");
        assertThat(f.module()).isEqualTo("ext4");
    }

    @Test
    void endMarkerAndJunkAreNotFrames() {
        assertThat(ProcStackParser.parseLine("[<ffffffffffffffff>] 0xffffffffffffffff")).isNull();
        assertThat(ProcStackParser.parseLine("")).isNull();
        assertThat(ProcStackParser.parseLine("[<0")).isNull();
        assertThat(ProcStackParser.parseLine("[<0>]")).isNull();
        assertThat(ProcStackParser.parseLine("hello world")).isNull();
        assertThat(ProcStackParser.parseLine(null)).isNull();
    }

    @Test
    void seed000StackWithPastedAnnotation() {
        List<Frame> frames = ProcStackParser.parse(Fixtures.text("files/stack-3.10-seed000.txt"));
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
        List<Frame> frames = ProcStackParser.parse(Fixtures.text("files/stack-5.x-seed003.txt"));
        assertThat(frames).extracting(Frame::function).containsExactly("do_wait", "kernel_wait4",
                "zap_pid_ns_processes", "do_exit", "do_group_exit", "__x64_sys_exit_group", "do_syscall_64",
                "entry_SYSCALL_64_after_hwframe");
        assertThat(frames.get(0).location()).isEqualTo("+0x156/0x2f0");
    }

    @Test
    void liveStackOfAUffdFault() {
        List<Frame> frames = ProcStackParser.parse(Fixtures.text("bundle-6.18/proc/4889/task/4891/stack"));
        assertThat(frames).extracting(Frame::function).startsWith("handle_userfault", "__handle_mm_fault");
    }

    @Test
    void emptyAndNull() {
        assertThat(ProcStackParser.parse("")).isEmpty();
        assertThat(ProcStackParser.parse(null)).isEmpty();
    }
}
