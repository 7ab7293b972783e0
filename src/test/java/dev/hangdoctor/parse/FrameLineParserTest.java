package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameLineParserTest {

    @Test
    void readsThe310AddressedFormWithModuleAndUnreliableMark() {
        Frame f = FrameLineParser.parse("[<ffffffffa01fd0f8>] jbd2_journal_commit_transaction+0x248/0x19a0 [jbd2]");
        assertThat(f.function()).isEqualTo("jbd2_journal_commit_transaction");
        assertThat(f.location()).isEqualTo("+0x248/0x19a0");
        assertThat(f.module()).isEqualTo("jbd2");
        assertThat(f.unreliable()).isFalse();
        Frame u = FrameLineParser.parse("[<ffffffff81573110>] ? bit_wait+0x50/0x50");
        assertThat(u.function()).isEqualTo("bit_wait");
        assertThat(u.unreliable()).isTrue();
    }

    @Test
    void aMarkedNameWithoutItsOffsetIsAnUnreliableFrameOnlyThroughItsOwnEntry() {
        // corpus w-006 (github.com/CyberDem0n/bg_mon issue 63): the paste ends inside "? nfs_do_lookup"
        Frame f = FrameLineParser.parseMarkedName("? nfs_do_lookup");
        assertThat(f.function()).isEqualTo("nfs_do_lookup");
        assertThat(f.location()).isEmpty();
        assertThat(f.unreliable()).isTrue();
        assertThat(FrameLineParser.parse("? nfs_do_lookup")).as("a bare word is no frame to the general reader").isNull();
        assertThat(FrameLineParser.parseMarkedName("nfs_do_lookup")).as("no mark").isNull();
        assertThat(FrameLineParser.parseMarkedName("? any ideas")).as("words").isNull();
        assertThat(FrameLineParser.parseMarkedName("? ok")).as("too short to name a function").isNull();
        assertThat(FrameLineParser.parseMarkedName("? 0x1234")).isNull();
        assertThat(FrameLineParser.parseMarkedName("?nfs_do_lookup")).isNull();
    }

    @Test
    void reads2618ModuleSymbolsWrittenColonModuleColon() {
        // Red Hat knowledge base, RHEL 5.6 hung jbd2 thread (crash log)
        Frame f = FrameLineParser.parse("[<ffffffff88582f6d>] :jbd2:jbd2_journal_commit_transaction+0x191/0x1068");
        assertThat(f.function()).isEqualTo("jbd2_journal_commit_transaction");
        assertThat(f.module()).isEqualTo("jbd2");
        assertThat(f.location()).isEqualTo("+0x191/0x1068");
        assertThat(FrameLineParser.parse("[<ffffffff88582f6d>] :: x")).isNull();
    }

    @Test
    void readsPowerpcFramesWithTheFirstFrameUnreliable() {
        // github.com/open-power/skiboot issue 138 (POWER9, RHEL)
        Frame first = FrameLineParser.parse("[c000003fce317390] [c000000000b5f370] sched_show_task.part.61+0x78/0x90 (unreliable)");
        assertThat(first.function()).isEqualTo("sched_show_task.part.61");
        assertThat(first.unreliable()).isTrue();
        Frame f = FrameLineParser.parse("[c000003fce317400] [c000000000b5f9d0] rcu_dump_cpu_stacks+0xd0/0x134");
        assertThat(f.function()).isEqualTo("rcu_dump_cpu_stacks");
        assertThat(f.location()).isEqualTo("+0xd0/0x134");
        assertThat(f.unreliable()).isFalse();
        assertThat(FrameLineParser.parse("[c000003fce317c")).isNull();
        assertThat(FrameLineParser.parse("[ 1000.536710] Call Trace:")).isNull();
    }

    @Test
    void readsAPowerpcFrameWhoseReturnAddressHasNoSymbol() {
        // corpus zg-009 (linuxppc-dev, POWER9 under qemu, sysrq t): show_stack prints "%pS" of the stale link
        // register slot, an address in the stack itself, so the first line of every stack has no name
        Frame first = FrameLineParser.parse("[c0000000062c37d0] [c0000000062c3830] 0xc0000000062c3830 (unreliable)");
        assertThat(first.function()).isEqualTo("0xc0000000062c3830");
        assertThat(first.unreliable()).isTrue();
        Frame bare = FrameLineParser.parse("[c0000000062c37d0] [c0000000062c3830] 0xc0000000062c3830");
        assertThat(bare.unreliable()).isFalse();
        assertThat(FrameLineParser.parse("[c0000000062c37d0] [c0000000062c3830] 0xc000zz (unreliable)")).isNull();
        assertThat(FrameLineParser.parse("[c0000000062c37d0] [c0000000062c3830] 0xc0000000062c3830 trailing")).isNull();
        assertThat(FrameLineParser.parse("[c0000000062c37d0] [c0000000062c3830] 0x12")).isNull();
    }

    @Test
    void readsAFrameWhosePlusAPageTurnedIntoAnUnderscore() {
        // corpus v-015 (a patch mail quoting a 7.0 arm64 hung task): "__switch_to+0x104/0x1c8 (T)" as it arrived
        Frame f = FrameLineParser.parse("__switch_to_0x104/0x1c8 (T)");
        assertThat(f.function()).isEqualTo("__switch_to");
        assertThat(f.location()).isEqualTo("+0x104/0x1c8");
        // a name that only ends in hex digits after an underscore, with no size after it, is no such frame
        assertThat(FrameLineParser.parse("reg_0x1c8 value")).isNull();
        assertThat(FrameLineParser.parse("fw_0x10/2 loaded")).isNull();
    }

    @Test
    void readsFramesDecodeStacktraceGaveSourceLines() {
        // corpus v-002, v-025 (the kernel test robot's decoded traces, 6.3 and 6.11)
        Frame f = FrameLineParser.parse("schedule (arch/x86/include/asm/preempt.h:84 kernel/sched/core.c:6607 kernel/sched/core.c:6621)");
        assertThat(f.function()).isEqualTo("schedule");
        assertThat(FrameLineParser.parse("io_schedule_timeout (kernel/sched/core.c:6551)").function())
                .isEqualTo("io_schedule_timeout");
        Frame module = FrameLineParser.parse("f2fs_setattr (fs/f2fs/file.c:1063) f2fs");
        assertThat(module.function()).isEqualTo("f2fs_setattr");
        // words before a parenthesis that is no source line
        assertThat(FrameLineParser.parse("schedule (see below)")).isNull();
        assertThat(FrameLineParser.parse("meeting (room 3:15)")).isNull();
    }

    @Test
    void readsTheFramesOfPre2620Kernels() {
        // corpus u-003 (LKML 2006, ppc32 2.6.14): the return address alone in brackets
        Frame ppc = FrameLineParser.parse("[c02b9fa0] ide_do_request+0x5b0/0x990");
        assertThat(ppc.function()).isEqualTo("ide_do_request");
        assertThat(ppc.location()).isEqualTo("+0x5b0/0x990");
        // corpus u-010 (LKML 2006, i386 2.6.18): the symbolic address in brackets, decimal, then the symbol
        Frame i386 = FrameLineParser.parse("[softlockup_tick+170/195] softlockup_tick+0xaa/0xc3");
        assertThat(i386.function()).isEqualTo("softlockup_tick");
        assertThat(i386.location()).isEqualTo("+0xaa/0xc3");
        // brackets of other things: a stamp, a tag, words
        assertThat(FrameLineParser.parse("[c02b9fa0] something else")).isNull();
        assertThat(FrameLineParser.parse("[sda+1/2] sd 0:0:0:0")).isNull();
        assertThat(FrameLineParser.parse("[see note+1/2] fn+0x1/0x2")).isNull();
    }

    @Test
    void readsProcStackWithHiddenAddressesAndTheTranslatedSpace() {
        assertThat(FrameLineParser.parse("[<0>] do_wait+0x156/0x2f0").function()).isEqualTo("do_wait");
        assertThat(FrameLineParser.parse("[< 0>] put_files_struct+0x6b/0xc0").function()).isEqualTo("put_files_struct");
        Frame annotated = FrameLineParser.parse("[<ffffffffba47a73b>] __getblk+0x15b/0x300---这个地方会有一个循环");
        assertThat(annotated.function()).isEqualTo("__getblk");
        assertThat(annotated.location()).isEqualTo("+0x15b/0x300");
        assertThat(FrameLineParser.isTerminator(FrameLineParser.parse("[<ffffffffffffffff>] 0xffffffffffffffff"))).isTrue();
    }

    @Test
    void readsModernFramesWithBuildIdsInlineAndArm64Marks() {
        Frame f = FrameLineParser.parse("ext4_sync_file+0x1f5/0x3a0 [ext4 1b2c3d4e5f60718293a4b5c6d7e8f90123456789]");
        assertThat(f.module()).isEqualTo("ext4");
        assertThat(f.location()).isEqualTo("+0x1f5/0x3a0");
        Frame inline = FrameLineParser.parse("context_switch kernel/sched/core.c:5401 [inline]");
        assertThat(inline.function()).isEqualTo("context_switch");
        assertThat(inline.module()).isNull();
        assertThat(FrameLineParser.parse("__switch_to+0xf0/0x1c0 (T)").function()).isEqualTo("__switch_to");
        assertThat(FrameLineParser.parse("? bit_wait+0x50/0x50").unreliable()).isTrue();
    }

    @Test
    void readsCrashAndArm32Frames() {
        Frame c = FrameLineParser.parse("#2 [ffff9f53ff35bc98] jbd2_journal_commit_transaction at ffffffffc01fe8b0 [jbd2]");
        assertThat(c.function()).isEqualTo("jbd2_journal_commit_transaction");
        assertThat(c.location()).isEmpty();
        assertThat(c.module()).isEqualTo("jbd2");
        assertThat(FrameLineParser.parse("#3 [f2815e24] stext_lock (via drain_cpu_caches) at c025fa55").function())
                .isEqualTo("stext_lock");
        Frame arm = FrameLineParser.parse("[<7f4ba618>] (fuse_writepages [fuse]) from [<8022e284>] (do_writepages+0x30/0x8c)");
        assertThat(arm.function()).isEqualTo("fuse_writepages");
        assertThat(arm.module()).isEqualTo("fuse");
        // crash's bt on arm32 (arm.c), as posted to LKML ("kernel hangs in wait_rcu_gp during suspend path", 2014)
        Frame crashArm = FrameLineParser.parse("#3 [<c013c570>] (wait_rcu_gp) from [<c014407c>]");
        assertThat(crashArm.function()).isEqualTo("wait_rcu_gp");
        assertThat(FrameLineParser.parse("#12 [<7f000a18>] (nfs_wait_bit_killable+0x10/0x3c [nfs]) from [<c04b6d8c>]")
                .module()).isEqualTo("nfs");
    }

    @Test
    void rejectsWhatIsNotAFrame() {
        assertThat(FrameLineParser.parse("Call Trace:")).isNull();
        assertThat(FrameLineParser.parse("INFO: task jbd2/sda1-8:190 blocked for more than 122 seconds.")).isNull();
        assertThat(FrameLineParser.parse("jbd2/dm-16-8    D ffff88103fc13680     0  1033      2 0x00000000")).isNull();
        assertThat(FrameLineParser.parse("RIP: 0010:lock_release+0xa/0x2f0 kernel/locking/lockdep.c:5879")).isNull();
        assertThat(FrameLineParser.parse("schedule")).isNull();
        assertThat(FrameLineParser.parse("")).isNull();
        assertThat(FrameLineParser.parse("[<")).isNull();
        assertThat(FrameLineParser.parse("#")).isNull();
        assertThat(FrameLineParser.parse("#1 [")).isNull();
    }

    @Test
    void tellsArm32BacktraceLinesWhichOnlyAKernelDumpPrints() {
        // syncloud/platform issue 80 (3.14 armv7), cubieplayer/Cubian issue 65 (no space before the parenthesis)
        assertThat(FrameLineParser.isArmBacktraceLine(
                "[<c06ab08c>] (usb_stor_bulk_srb) from [<c06ab1f8>] (usb_stor_Bulk_transport+0x120/0x360)")).isTrue();
        assertThat(FrameLineParser.isArmBacktraceLine(
                "[<c03b3ac8>](axp_usb_det+0x14/0x2c) from [<c038d7c4>](vbus_id_hw_scan+0xb0/0x2f8)")).isTrue();
        // a /proc/PID/stack line, an x86 3.10 frame, the 5.x short form without addresses
        assertThat(FrameLineParser.isArmBacktraceLine("[<0>] do_wait+0x156/0x2f0")).isFalse();
        assertThat(FrameLineParser.isArmBacktraceLine("[<ffffffff8163a909>] schedule+0x29/0x70")).isFalse();
        assertThat(FrameLineParser.isArmBacktraceLine("__schedule from schedule+0x60/0xcc")).isFalse();
        assertThat(FrameLineParser.isArmBacktraceLine("Function entered at [<c0101234>] from [<c0105678>]")).isFalse();
    }

    @Test
    void readsArm32FramesOfTheShortFromForm() {
        // lkml, tegra hung kworker on 5.19-rc4-next (arch/arm/kernel/traps.c: "%s %ps from %pS")
        Frame f = FrameLineParser.parse("__mutex_lock.constprop.0 from __mutex_lock_slowpath+0x1c/0x20");
        assertThat(f.function()).isEqualTo("__mutex_lock.constprop.0");
        assertThat(f.location()).isEmpty();
        Frame m = FrameLineParser.parse("lm90_read [lm90] from hwmon_attr_show+0x40/0x3d4");
        assertThat(m.function()).isEqualTo("lm90_read");
        assertThat(m.module()).isEqualTo("lm90");
        assertThat(FrameLineParser.parse("Function entered at [<c0101234>] from [<c0105678>]")).isNull();
        assertThat(FrameLineParser.parse("data from the disk")).isNull();
        assertThat(FrameLineParser.parse("copied from file+0x10")).isNull();
    }

    @Test
    void readsS390ParenthesisedFramesAndAddressesAWebPageAte() {
        // linux-s390 list (a frame the unwinder could not vouch for); ocfs2 report copied from a web page ("[<...>]" -> "[]")
        Frame s = FrameLineParser.parse("([<0000000000113d16>] show_trace+0xf6/0x148)");
        assertThat(s.function()).isEqualTo("show_trace");
        assertThat(s.location()).isEqualTo("+0xf6/0x148");
        assertThat(s.unreliable()).as("printed in parentheses when the unwinder could not vouch for it").isTrue();
        Frame h = FrameLineParser.parse("[] ? dlmlock+0x8a/0xda0 [ocfs2_dlm]");
        assertThat(h.function()).isEqualTo("dlmlock");
        assertThat(h.unreliable()).isTrue();
        assertThat(h.module()).isEqualTo("ocfs2_dlm");
        assertThat(FrameLineParser.parse("[]")).isNull();
        assertThat(FrameLineParser.parse("(not a frame)")).isNull();
    }

    @Test
    void anOffsetAWordWasTypedIntoKeepsItsFunction() {
        // rclone issue 7049: "version" pasted over the digits of an offset; the size after it vouches for the frame
        Frame f = FrameLineParser.parse("__schedule+0xversion2d1/0x870");
        assertThat(f.function()).isEqualTo("__schedule");
        assertThat(f.location()).isEqualTo("+0xversion2d1/0x870");
        Frame after = FrameLineParser.parse("? pmd_devmap_trans_unstable+0x2e/0x40please");
        assertThat(after.function()).isEqualTo("pmd_devmap_trans_unstable");
        assertThat(after.unreliable()).isTrue();
        // without a size nothing vouches for it; prose with a plus is no frame
        assertThat(FrameLineParser.parse("__schedule+0xversion")).isNull();
        assertThat(FrameLineParser.parse("size+0xzz/0xzz")).isNull();
    }
}
