package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The task lines and stack shapes of 2.6.x-3.x and of other architectures, from before dump_stack's "CPU: %d PID: %d
 * Comm: %s" header: each stack belongs to the task its dump names. Every fixture is a public report's lines (cited).
 */
class OldArchStacksTest {

    private static Evidence read(String log) throws IOException {
        return EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "console");
    }

    private static java.util.List<String> functions(Task t) {
        return t.frames().stream().map(Frame::function).toList();
    }

    @Test
    void x8664OopsNamesItsTaskTwiceAndPrintsFramesSeveralToALine() throws IOException {
        // https://lore.kernel.org/r/20060515082508.GA6950@asalmela.iki.fi (2.6.17-rc4 x86_64): show_regs()'s
        // "Pid: %d, comm: %.20s %s %s %.*s", die()'s "Process %s (pid: %d, threadinfo %p, task %p)", and
        // printk_address()'s "<%016lx>{%s%+ld}" several to a line
        Evidence e = read("""
                May 15 06:51:43 enigma kernel: Kernel BUG at mm/vmscan.c:428
                May 15 06:51:43 enigma kernel: invalid opcode: 0000 [1] PREEMPT SMP\s
                May 15 06:51:43 enigma kernel: CPU 0\s
                May 15 06:51:43 enigma kernel: Modules linked in: button ac battery ipv6 af_packet it87 hwmon_vid
                May 15 06:51:43 enigma kernel: Pid: 208, comm: kswapd0 Not tainted 2.6.17-rc4-git2 #1
                May 15 06:51:43 enigma kernel: RIP: 0010:[shrink_zone+1672/3087] <ffffffff80211dc2>{shrink_zone+1672}
                May 15 06:51:43 enigma kernel: RSP: 0018:ffff81003fe69ca8  EFLAGS: 00010202
                May 15 06:51:43 enigma kernel: RAX: 0000000000000849 RBX: ffff81000199a8b8 RCX: ffff81000199a8e0
                May 15 06:51:43 enigma kernel: CR2: 00002b7990cd9000 CR3: 000000001d499000 CR4: 00000000000006e0
                May 15 06:51:43 enigma kernel: Process kswapd0 (pid: 208, threadinfo ffff81003fe68000, task ffff81003ff31660)
                May 15 06:51:43 enigma kernel: Stack: 000000000000001d 0000000000000050 0000000000000000 0000000000000018\s
                May 15 06:51:43 enigma kernel:        0000000000000020 0000000000000020 0000000000000000 0000000000000020\s
                May 15 06:51:43 enigma kernel:        0000000000000014 000000003f4b0b40\s
                May 15 06:51:43 enigma kernel: Call Trace: <ffffffff80296ab8>{balance_pgdat+536} <ffffffff80255f68>{kswapd+257}
                May 15 06:51:43 enigma kernel:        <ffffffff8028a4a7>{autoremove_wake_function+0} <ffffffff802261d5>{schedule_tail+67}
                May 15 06:51:43 enigma kernel:        <ffffffff8025b61e>{child_rip+8} <ffffffff8026d531>{flat_send_IPI_mask+0}
                May 15 06:51:43 enigma kernel:        <ffffffff80255e67>{kswapd+0} <ffffffff8025b616>{child_rip+0}
                May 15 06:51:43 enigma kernel:\s
                May 15 06:51:43 enigma kernel: Code: 0f 0b 68 dc 35 45 80 c2 ac 01 49 8b 16 41 83 7e 18 00 48 8d\s
                May 15 06:51:43 enigma kernel: RIP <ffffffff80211dc2>{shrink_zone+1672} RSP <ffff81003fe69ca8>
                May 15 06:51:43 enigma kernel: Pid: 5939, comm: prelink.bin Not tainted 2.6.17-rc4-git2 #1
                May 15 06:51:43 enigma kernel: RIP: 0010:[shrink_zone+1672/3087] <ffffffff80211dc2>{shrink_zone+1672}
                May 15 06:51:43 enigma kernel: Process prelink.bin (pid: 5939, threadinfo ffff8100362d2000, task ffff81003f4707e0)
                May 15 06:51:43 enigma kernel: Stack: 000000000000001d 0000000000000029 0000000000000001 0000000000000020\s
                May 15 06:51:43 enigma kernel: Call Trace: <ffffffff802e04ca>{journal_stop+542} <ffffffff80296dce>{try_to_free_pages+300}
                May 15 06:51:43 enigma kernel:        <ffffffff8025b465>{error_exit+0}
                """);
        Task kswapd = e.taskOrNull(208);
        assertThat(kswapd.comm()).isEqualTo("kswapd0");
        assertThat(functions(kswapd)).containsExactly("balance_pgdat", "kswapd", "autoremove_wake_function",
                "schedule_tail", "child_rip", "flat_send_IPI_mask", "kswapd", "child_rip");
        assertThat(kswapd.frames().get(0).location()).isEqualTo("+536");
        assertThat(functions(e.taskOrNull(5939))).containsExactly("journal_stop", "try_to_free_pages", "error_exit");
        assertThat(e.tasks()).hasSize(2);
        // handle_BUG()'s "Kernel BUG at %s:%d" and __die()'s "%s: %04lx [%u] " are the oops, in the task "Pid:" names
        assertThat(e.events(KernelEventKind.OOPS)).extracting(KernelEvent::pid).containsExactly(208, 208);
        assertThat(e.events(KernelEventKind.OOPS)).extracting(x -> x.field("what")).containsExactly("bug", "die");
        assertThat(e.host().kernelRelease()).isEqualTo("2.6.17-rc4-git2");
    }

    @Test
    void aRunsMarksSayWhichStackItsFramesRanOnAndAModuleStaysTheFramesModule() throws IOException {
        // https://lore.kernel.org/r/Pine.LNX.4.64.0606201807090.15246@melchior.nuitari.net (2.6.17 x86_64)
        Evidence e = read("""
                [   91.732028] BUG: soft lockup detected on CPU#0!
                [   91.732083]
                [   91.732084] Call Trace: <IRQ> <ffffffff802ad30c>{softlockup_tick+188}
                [   91.732273]        <ffffffff80297677>{update_process_times+87} <ffffffff80277e42>{main_timer_handler+562}
                [   91.733486]        <ffffffff802679cc>{ret_from_intr+0} <EOI> <ffffffff80404b90>{acpi_pci_irq_enable+0}
                [   91.734127]        <ffffffff88011643>{:usbcore:usb_hcd_pci_probe+83} <ffffffff803b1659>{pci_device_probe+89}
                [   91.736229]        <ffffffff802674d2>{system_call+126}
                """);
        assertThat(e.tasks()).hasSize(1);
        Task t = e.tasks().iterator().next();
        assertThat(functions(t)).containsExactly("softlockup_tick", "update_process_times", "main_timer_handler",
                "ret_from_intr", "acpi_pci_irq_enable", "usb_hcd_pci_probe", "pci_device_probe", "system_call");
        assertThat(t.frames().get(0).context()).isEqualTo(StackContext.IRQ);
        assertThat(t.frames().get(3).context()).isEqualTo(StackContext.IRQ);
        assertThat(t.frames().get(4).context()).isEqualTo(StackContext.TASK);
        assertThat(t.frames().get(5).module()).isEqualTo("usbcore");
    }

    @Test
    void aRunAMailerWrappedKeepsItsFramesAndTheHardLockupItsTask() throws IOException {
        // https://lore.kernel.org/r/44BBD6E2.6020309@mbligh.org (2.6.17.6 x86_64, a bugzilla mail wrapped at 80): the
        // old NMI watchdog's lockup, its task's "Process" line and entries cut by the wrap ("<addr>" at a line's end,
        // "{fn+dec}" opening the next)
        Evidence e = read("""
                  NMI Watchdog detected LOCKUP on CPU 10
                CPU 10
                Pid: 8106, comm: dipfilter.x Not tainted 2.6.17.6 #1
                RIP: 0010:[<ffffffff80309579>] <ffffffff80309579>{__read_lock_failed+5}
                RSP: 0018:ffff8103f8647c08  EFLAGS: 00000097
                CR2: 00007fff0b64dbd8 CR3: 0000000393c21000 CR4: 00000000000006e0
                Process dipfilter.x (pid: 8106, threadinfo ffff8103f8646000, task
                ffff8103f8645820)
                Stack: ffffffff8044802a ffffffff802569b5 ffff8103f271bd70 ffff810bff67f678
                        00000000000d2431 ffffffff80256f7d ffffffff804479ec 0000000000000000
                        0000000000000000 00000000d2438000
                Call Trace: <ffffffff8044802a>{.text.lock.spinlock+83}
                        <ffffffff802569b5>{find_get_page+21} <ffffffff80256f7d>
                {do_generic_mapping_read+397}
                        <ffffffff804479ec>{__up_wakeup+53}\s
                <ffffffff80257360>{file_read_actor+0}
                        <ffffffff88202aba>{:nfs:nfs_file_read+170} <ffffffff8027d490>
                {do_sync_read+208}
                        <ffffffff8027d58c>{vfs_read+188} <ffffffff8027d913>{sys_read+83}
                        <ffffffff80209c06>{system_call+126}

                Code: 83 38 01 78 f9 f0 ff 08 0f 88 ed ff ff ff c3 90 90 90 90 90
                """);
        Task t = e.taskOrNull(8106);
        assertThat(t.comm()).isEqualTo("dipfilter.x");
        assertThat(functions(t)).containsExactly(".text.lock.spinlock", "find_get_page", "do_generic_mapping_read",
                "__up_wakeup", "file_read_actor", "nfs_file_read", "do_sync_read", "vfs_read", "sys_read",
                "system_call");
        assertThat(t.frames().get(5).module()).isEqualTo("nfs");
        assertThat(e.events(KernelEventKind.HARD_LOCKUP)).extracting(KernelEvent::pid).containsExactly(8106);
    }

    @Test
    void theIdleTasksHeaderWaitsThroughABlankLineForItsRun() throws IOException {
        // corpus u-001 (2.6.16-rc1-mm3 x86_64): a blank line between the registers and the Call Trace
        Evidence e = read("""
                BUG: soft lockup detected on CPU#0!
                Pid: 0, comm: swapper Not tainted 2.6.16-rc1-mm3 #1
                RIP: 0010:[<ffffffff81008eb6>] <ffffffff81008eb6>{default_idle+54}
                RSP: 0018:ffffffff8158df40  EFLAGS: 00000246
                CR2: 00002aaaabd78000 CR3: 0000000023afd000 CR4: 00000000000006e0

                Call Trace: <ffffffff81009108>{cpu_idle+104} <ffffffff8100803f>{rest_init+63}
                       <ffffffff8158e875>{start_kernel+453} <ffffffff8158e2b6>{_sinittext+694}
                """);
        assertThat(e.tasks()).hasSize(1);
        Task swapper = e.tasks().iterator().next();
        assertThat(swapper.comm()).isEqualTo("swapper");
        assertThat(functions(swapper)).containsExactly("cpu_idle", "rest_init", "start_kernel", "_sinittext");
        // the idle task is nobody's culprit
        assertThat(e.events(KernelEventKind.SOFT_LOCKUP).get(0).pid()).isNull();
    }

    @Test
    void i386ShowRegsNamesTheSpinningTaskOfEachRepeatedReport() throws IOException {
        // corpus u-002 (2.6.15-rc2 i686): "Pid: %d, comm: %20s", "EIP is at", the report repeated with its dump
        // after it, the first dump's report cut off above the excerpt
        String dump = """
                Pid: 2770, comm:                   sh
                EIP: 0060:[<c039ae28>] CPU: 1
                EIP is at __read_lock_failed+0x8/0x14
                 EFLAGS: 00000297    Not tainted  (2.6.15-rc2)
                EAX: c046fc00 EBX: f5946000 ECX: f5947f7c EDX: 00000286
                CR0: 8005003b CR2: 080e173c CR3: 358a0000 CR4: 000006d0
                 [<c039c566>] _read_lock+0xb/0xc
                 [<c011e7ee>] do_wait+0x9d/0x40c
                 [<c011ec32>] sys_wait4+0x43/0x45
                 [<c0102e39>] syscall_call+0x7/0xb
                """;
        Evidence e = read(dump + "BUG: soft lockup detected on CPU#1!\n\n" + dump);
        Task sh = e.taskOrNull(2770);
        assertThat(sh.comm()).isEqualTo("sh");
        assertThat(functions(sh)).startsWith("_read_lock", "do_wait");
        assertThat(e.events(KernelEventKind.SOFT_LOCKUP)).extracting(KernelEvent::pid).containsExactly(2770);
    }

    @Test
    void ppc32ShowRegsTaskLineOwnsTheStackAfterIt() throws IOException {
        // corpus u-003 (2.6.14 ppc32): "TASK = %p[%d] '%s' THREAD: %p", "Last syscall: %ld"
        Evidence e = read("""
                BUG: soft lockup detected on CPU#0!
                NIP: C0006FCC LR: C02BBC5C SP: EEF6DC00 REGS: eef6db50 TRAP: 0901    Not tainted
                MSR: 0200b032 EE: 1 PR: 0 FP: 1 ME: 1 IR/DR: 11
                TASK = ef800740[3274] 'pbbuttonsd' THREAD: eef6c000
                Last syscall: 54\s
                GPR00: 00000080 EEF6DC00 EF800740 00079C96 000088B8 00000000 00000000 C05A8A50\s
                NIP [c0006fcc] __delay+0xc/0x14
                LR [c02bbc5c] ide_wait_not_busy+0x4c/0xc0
                Call trace:
                 [c02b9fa0] ide_do_request+0x5b0/0x990
                 [c02ba440] ide_do_drive_cmd+0xc0/0x190
                 [c02b6c00] generic_ide_resume+0x80/0xa0
                hdc: Enabling MultiWord DMA 2
                """);
        Task t = e.taskOrNull(3274);
        assertThat(t.comm()).isEqualTo("pbbuttonsd");
        assertThat(functions(t)).containsExactly("ide_do_request", "ide_do_drive_cmd", "generic_ide_resume");
        assertThat(e.events(KernelEventKind.SOFT_LOCKUP)).extracting(KernelEvent::pid).containsExactly(3274);
    }

    @Test
    void ppc64TaskLinesOfBothGenerations() throws IOException {
        // https://lore.kernel.org/r/17735.4830.610969.866898@cse.unsw.edu.au (2.6.19-rc4-mm1 G5, quoted):
        // "TASK = %p[%d] '%s' THREAD: %p CPU: %d"
        Evidence e = read("""
                > Oops: Kernel access of bad area, sig: 11 [#1]
                > NIP: C0000000001A31B8 LR: C00000000018E5DC CTR: C0000000001A3404
                > REGS: c0000000017ff4a0 TRAP: 0300   Not tainted  (2.6.19-rc4-mm1)
                > DAR: 6B6B6B6B6B6B6BB3, DSISR: 0000000040000000
                > TASK = c00000000ff2b7f0[1899] 'nash' THREAD: c0000000017fc000 CPU: 1
                > GPR00: 0000000000000008 C0000000017FF720 C0000000006B26D0 6B6B6B6B6B6B6B7B\s
                > NIP [C0000000001A31B8] .kobject_uevent+0xac/0x55c
                > LR [C00000000018E5DC] .__elv_unregister_queue+0x20/0x44
                > Call Trace:
                > [C0000000017FF720] [C000000000562508] read_pipe_fops+0xd0/0xd8 (unreliable)
                > [C0000000017FF840] [C00000000018E5DC] .__elv_unregister_queue+0x20/0x44
                > [C0000000017FF8D0] [C000000000195548] .blk_unregister_queue+0x58/0x9c
                """);
        Task nash = e.taskOrNull(1899);
        assertThat(nash.comm()).isEqualTo("nash");
        assertThat(nash.cpu()).isEqualTo(1);
        assertThat(functions(nash)).containsExactly("read_pipe_fops", ".__elv_unregister_queue",
                ".blk_unregister_queue");
        // https://lore.kernel.org/r/148140000.1069176904@flay (2.6.0-test9 ppc64): "TASK = %p[%d] '%s' " and " CPU: %d"
        Task bash = TaskLineParser.parseRegsHeader("TASK = c0000000fef2d840[680] 'bash'  CPU: 1");
        assertThat(bash.pid()).isEqualTo(680);
        assertThat(bash.comm()).isEqualTo("bash");
        assertThat(bash.cpu()).isEqualTo(1);
    }

    @Test
    void s390ShowRegsProcessLineOwnsTheStackAfterIt() throws IOException {
        // https://lore.kernel.org/r/20101029121456.GA6896@osiris.boeblingen.de.ibm.com (2.6.36 s390x): "CPU: %d %s %s
        // %.*s" without a pid, "Process %s (pid: %d, task: %p, ksp: %p)", the unvouched first frame in parentheses
        Evidence e = read("""
                [18132.475583] blast invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0
                [18132.475612] blast cpuset=/ mems_allowed=0
                [18132.475616] CPU: 7 Not tainted 2.6.36-45.x.20101028-s390xdefault #1
                [18132.475619] Process blast (pid: 8067, task: 000000007a244640, ksp: 000000003dc8f678)
                [18132.475623] 000000003dc8f888 000000003dc8f808 0000000000000002 0000000000000000\s
                [18132.475628]        000000003dc8f8a8 000000003dc8f820 000000003dc8f820 000000000055ee3e\s
                [18132.475653] Call Trace:
                [18132.475655] ([<0000000000100a02>] show_trace+0xee/0x144)
                [18132.475662]  [<00000000001d73d0>] dump_header+0x98/0x298
                [18132.475669]  [<00000000001d7a26>] oom_kill_process+0xb6/0x224
                [18132.475672]  [<00000000001d7f26>] out_of_memory+0x10e/0x23c
                [18132.475717] 2 locks held by blast/8067:
                """);
        Task blast = e.taskOrNull(8067);
        assertThat(blast.comm()).isEqualTo("blast");
        assertThat(functions(blast)).containsExactly("show_trace", "dump_header", "oom_kill_process", "out_of_memory");
        assertThat(blast.frames().get(0).unreliable()).isTrue();
    }

    @Test
    void i386DieProcessLineAndACallTraceAfterTheLastStackWord() throws IOException {
        // https://lore.kernel.org/r/yquj7junkviw.fsf@chaapala-lnx2.cisco.com (2.6.6 i386, the kernel's lines without
        // the reporter's separator): "Process %s (pid: %d, threadinfo=%p task=%p)", then "Call Trace:" after the
        // stack's last word on its row
        Evidence e = read("""
                Process iscsi-tx (pid: 3344, threadinfo=f63e4000 task=f5c9f2a0)
                Stack: f64d82b0 00000000 c0215af5 ffffffff fffe2000 00002000 fffe2000
                 c0214c32 f64d82b0 fffe2000 00002000 f64d82b0 f63e4000 f63e4000 00002000
                 f63e5e94 f7f609a0 f5c74000 f8b0dc80 f64d8284 f63e5e94 00000001 f63e5e78
                 f63e5e7c Call Trace:
                 [<c0215af5>] chksum_update+0x25/0x30
                 [<c0214c32>] update+0x92/0x100
                 [<f8b0dc80>] iscsi_xmit_data+0x460/0xb60 [iscsi_sfnet]
                """);
        Task t = e.taskOrNull(3344);
        assertThat(t.comm()).isEqualTo("iscsi-tx");
        assertThat(functions(t)).containsExactly("chksum_update", "update", "iscsi_xmit_data");
        assertThat(e.tasks()).hasSize(1);
    }

    @Test
    void taskLinesOfOtherShapesAreNone() {
        // kernel/acct.c's "Process accounting resumed", a pid that is no number, an address that is no hex word
        assertThat(TaskLineParser.parseRegsHeader("Process accounting resumed")).isNull();
        assertThat(TaskLineParser.parseRegsHeader("Pid: x, comm: sh")).isNull();
        assertThat(TaskLineParser.parseRegsHeader("TASK = nothex[12] 'sh' THREAD: c0000000")).isNull();
        assertThat(TaskLineParser.parseRegsHeader("PID: 587    TASK: ffff8817f8d42280  CPU: 5   COMMAND: \"x\"")).isNull();
        // a name holding the kernel's own words: the last within a name's width are the kernel's
        Task t = TaskLineParser.parseRegsHeader("Process a (pid: 9, b (pid: 28, task: 000000003b2a0000, ksp: 000000003b2ab8c0)");
        assertThat(t.pid()).isEqualTo(28);
        assertThat(t.comm()).isEqualTo("a (pid: 9, b");
        Task q = TaskLineParser.parseRegsHeader("TASK = ef800740[3274] 'x' THREAD: 1' THREAD: eef6c000");
        assertThat(q.pid()).isEqualTo(3274);
        assertThat(q.comm()).isEqualTo("x' THREAD: 1");
    }

    @Test
    void anArmLineIsOneFrameStill() throws IOException {
        // arch/arm/kernel/traps.c dump_backtrace_entry: "[<%08lx>] (%ps) from [<%08lx>] (%pS)" holds two "[<"
        Evidence e = read("""
                Call Trace:
                [<c0a1f8c0>] (__schedule) from [<c0a1d054>] (schedule+0x50/0xa8)
                [<c0a1d054>] (schedule) from [<c0a22a30>] (schedule_timeout+0x1c0/0x2a4)
                [<c0a22a30>] (schedule_timeout) from [<c0a1e3b8>] (wait_for_common+0xa8/0x16c)
                """);
        assertThat(functions(e.tasks().iterator().next())).containsExactly("__schedule", "schedule",
                "schedule_timeout");
    }
}
