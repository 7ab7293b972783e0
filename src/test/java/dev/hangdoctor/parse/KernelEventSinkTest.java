package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.LockOwnerHint;
import dev.hangdoctor.model.ReportLine;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Every kind from real lines: the seeds (001 vmcore-dmesg OOM lines, 004 hard LOCKUP, 000 probe output), kernel
 * printk formats (kernel/hung_task.c, lib/dump_stack.c, net/sunrpc) and public bug reports, named per test.
 */
class KernelEventSinkTest {
    private final Evidence evidence = new Evidence();
    private final KernelEventSink sink = new KernelEventSink(evidence, "kern.log");
    private long lineNo;

    private boolean feed(String raw) {
        return sink.accept(KernelLogPrefix.strip(raw, ++lineNo));
    }

    private KernelEvent only(KernelEventKind kind) {
        sink.finish();
        List<KernelEvent> events = evidence.events(kind);
        assertThat(events).as(kind.name()).hasSize(1);
        return events.get(0);
    }

    @Test
    void hungTaskFillsTheTask() {
        assertThat(feed("[ 4080.123456] INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.")).isTrue();
        KernelEvent e = only(KernelEventKind.HUNG_TASK);
        assertThat(e.pid()).isEqualTo(587);
        assertThat(e.comm()).isEqualTo("jbd2/md127-8");
        assertThat(e.fields()).containsExactly(entry("seconds", "120"));
        assertThat(e.timestamp()).isEqualTo(4080.123456);
        assertThat(e.message()).isEqualTo("INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.");
        assertThat(e.source()).isEqualTo("kern.log:1");
        Task t = evidence.taskOrNull(587);
        assertThat(t.comm()).isEqualTo("jbd2/md127-8");
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(t.blockedSeconds()).isEqualTo(120L);
    }

    @Test
    void hungTaskCommsWithSpacesAndColons() {
        // Open-CAS issue 746 (space), sof-ci (colon), vzdump report (space and slash)
        feed("[ 3073.899638] INFO: task FwgThread OpFor:15341 blocked for more than 120 seconds.");
        feed("[ 3318.829119] kernel: INFO: task kworker/u16:0:17963 blocked for more than 122 seconds.");
        feed("Jul 17 16:29:48 pve kernel: INFO: task CPU 0/KVM:1499 blocked for more than 122 seconds.");
        feed("INFO: task runc:[2:INIT]:112272 blocked for more than 240 seconds.");
        sink.finish();
        assertThat(evidence.taskOrNull(15341).comm()).isEqualTo("FwgThread OpFor");
        assertThat(evidence.taskOrNull(17963).comm()).isEqualTo("kworker/u16:0");
        assertThat(evidence.taskOrNull(1499).comm()).isEqualTo("CPU 0/KVM");
        assertThat(evidence.taskOrNull(112272).comm()).isEqualTo("runc:[2:INIT]");
        assertThat(evidence.taskOrNull(112272).blockedSeconds()).isEqualTo(240L);
    }

    @Test
    void hungTaskWithoutAPidIsStillAReport() {
        // sysbox issue 1018 (placeholder, cut after "blocked"), chinasem.cn title (placeholder after a space), gzzwz
        // title (no task at all), a header with its pid left out; none of them makes a task: nothing numbers it
        // Each is an event, and its line is left to the report's words (false): it stands in a title or a sentence
        assertThat(feed("INFO: task sysbox-fs:<pid> blocked")).isFalse();
        assertThat(feed("INFO: task java: xxx blocked for more than 120 seconds.” 的3种解决方案"))
                .isFalse();
        assertThat(feed("INFO: task blocked for more than 120 seconds")).isFalse();
        assertThat(feed("INFO: task foo blocked for more than 120 seconds.")).isFalse();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.HUNG_TASK);
        assertThat(events).extracting(KernelEvent::comm).containsExactly("sysbox-fs", "java", null, "foo");
        assertThat(events).extracting(KernelEvent::pid).containsOnlyNulls();
        assertThat(events.get(0).fields()).isEmpty();
        assertThat(events.get(1).fields()).containsExactly(entry("seconds", "120"));
        assertThat(evidence.tasks()).isEmpty();
    }

    @Test
    void hungTaskHeaderCutByThePaste() {
        // raspberrypi/firmware issue 783: the serial capture ends inside the header, after the task's name
        assertThat(feed("[  241.348762] INFO: task swapper/0")).isTrue();
        // cut inside " blocked for more than": the pid is there, the time is not
        assertThat(feed("[  242.664114] INFO: task kworker/u8:4:167 blocked for mo")).isTrue();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.HUNG_TASK);
        assertThat(events).extracting(KernelEvent::comm).containsExactly("swapper/0", "kworker/u8:4");
        assertThat(events.get(0).pid()).isNull();
        assertThat(events.get(1).pid()).isEqualTo(167);
        assertThat(evidence.taskOrNull(167).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(evidence.taskOrNull(167).blockedSeconds()).isNull();
    }

    @Test
    void proseAboutTheHungTaskMessageIsNoReport() {
        // words after "INFO: task" that are no task name, and a name with no log prefix and nothing after it
        assertThat(feed("INFO: task swapper/0")).isFalse();
        assertThat(feed("INFO: task messages keep coming and the box is blocked")).isFalse();
        assertThat(feed("[  241.348762] INFO: task messages appear every two minutes")).isFalse();
        assertThat(feed("INFO: task a:1 is blocked on a spinlock")).isFalse();
        sink.finish();
        assertThat(evidence.allEvents()).isEmpty();
    }

    @Test
    void repeatedHungTaskKeepsTheLongestWait() {
        feed("INFO: task jbd2/md127-8:587 blocked for more than 240 seconds.");
        feed("INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.");
        assertThat(evidence.taskOrNull(587).blockedSeconds()).isEqualTo(240L);
    }

    @Test
    void blockerOfAMutex() {
        // 6.15 reproducer log (kernel/hung_task.c debug_show_blocker)
        feed("<3>[  125.362363][  T140] INFO: task zsh:470 is blocked on a mutex likely owned by task zsh:470.");
        feed("INFO: task kworker/0:1:11 is blocked on a mutex likely owned by task dhcpcd:615.");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.HUNG_TASK_LOCK_OWNER);
        assertThat(events).hasSize(2);
        KernelEvent e = events.get(1);
        assertThat(e.pid()).isEqualTo(11);
        assertThat(e.comm()).isEqualTo("kworker/0:1");
        assertThat(e.fields()).containsEntry("lock", "mutex").containsEntry("owner-pid", "615")
                .containsEntry("owner-comm", "dhcpcd");
        assertThat(evidence.taskOrNull(11).lockOwnerHints())
                .containsExactly(new LockOwnerHint("mutex", null, "dhcpcd", 615));
        assertThat(evidence.taskOrNull(470).lockOwnerHints()).extracting(LockOwnerHint::ownerPid).containsExactly(470);
    }

    @Test
    void blockerOfAnRwSemaphoreAndASemaphore() {
        // netdev thread (Oct 2025) and the kernel/hung_task.c semaphore format
        feed("[ 4302.448228][   T44] INFO: task modprobe:31634 <writer> blocked on an rw-semaphore likely owned by "
                + "task kworker/u16:0:12 <reader>");
        feed("INFO: task kworker/1:2:99 blocked on a semaphore likely last held by task fsck.ext4:1234");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.HUNG_TASK_LOCK_OWNER);
        assertThat(events.get(0).pid()).isEqualTo(31634);
        assertThat(events.get(0).fields()).containsEntry("lock", "rwsem-writer").containsEntry("owner-pid", "12")
                .containsEntry("owner-comm", "kworker/u16:0").containsEntry("owner-role", "reader");
        assertThat(evidence.taskOrNull(31634).lockOwnerHints())
                .containsExactly(new LockOwnerHint("rwsem-writer", null, "kworker/u16:0", 12));
        assertThat(events.get(1).pid()).isEqualTo(99);
        assertThat(events.get(1).fields()).containsEntry("lock", "semaphore").containsEntry("owner-pid", "1234")
                .containsEntry("owner-comm", "fsck.ext4");
    }

    @Test
    void blockerNotFound() {
        // vzdump hang report (journalctl -p err)
        feed("Jul 17 16:29:48 pve kernel: INFO: task worker:488783 is blocked on an rw-semaphore, but the owner is not found.");
        KernelEvent e = only(KernelEventKind.HUNG_TASK_LOCK_OWNER);
        assertThat(e.pid()).isEqualTo(488783);
        assertThat(e.fields()).containsExactly(entry("lock", "rwsem"));
        assertThat(evidence.taskOrNull(488783).lockOwnerHints()).isEmpty();
        assertThat(evidence.events(KernelEventKind.HUNG_TASK)).isEmpty();
    }

    @Test
    void theBlockerLineAloneIsAHungTask() {
        // printed only by check_hung_task: without its "blocked for more than" header the waiter is still hung (D)
        feed("[ 4302.448228] INFO: task systemd-shutdow:1 is blocked on a mutex likely owned by task kworker/4:1:16648.");
        feed("Jul 17 16:29:48 pve kernel: INFO: task worker:488783 is blocked on an rw-semaphore, but the owner is not found.");
        assertThat(evidence.taskOrNull(1).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(evidence.taskOrNull(488783).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        // the owner is only named: its state is its own task line's to tell
        assertThat(evidence.taskOrNull(16648).state()).isNotEqualTo(TaskState.UNINTERRUPTIBLE);
    }

    @Test
    void theBlockerLineQuotedWithTextAfterTheOwner() {
        // corpus x-025 (github.com/koverstreet/bcachefs-tools/issues/917): the owner's "<writer>" left out, a code
        // span's backtick and the sentence after it
        feed("INFO: task sync:344225 <reader> blocked on an rw-semaphore likely owned by task kworker/u66:17:197471`."
                + " `dmesg` carries `Allocator stuck? Waited for 30 seconds, err bucket_alloc_blocked`");
        KernelEvent e = only(KernelEventKind.HUNG_TASK_LOCK_OWNER);
        assertThat(e.fields()).containsEntry("lock", "rwsem-reader").containsEntry("owner-pid", "197471")
                .containsEntry("owner-comm", "kworker/u66:17").doesNotContainKey("owner-role");
        assertThat(evidence.taskOrNull(344225).lockOwnerHints())
                .containsExactly(new LockOwnerHint("rwsem-reader", null, "kworker/u66:17", 197471));
    }

    @Test
    void theBlockerLineCutByAWrap() {
        // the x-025 line wrapped by a mailer at 72 columns inside the lock's kind: the waiter is hung, no lock named
        feed("INFO: task sync:344225 <reader> blocked on an");
        KernelEvent e = only(KernelEventKind.HUNG_TASK_LOCK_OWNER);
        assertThat(e.fields()).isEmpty();
        assertThat(evidence.taskOrNull(344225).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        // cut inside the owner's name ("kworker/u66:17" of "kworker/u66:17:197471"): no owner, for the kernel ends
        // the rw-semaphore's line with the owner's role and the mutex's with a full stop
        feed("INFO: task sync:1 <reader> blocked on an rw-semaphore likely owned by task kworker/u66:17");
        feed("INFO: task sync:2 is blocked on a mutex likely owned by task kworker/u66:17");
        assertThat(evidence.taskOrNull(1).lockOwnerHints()).isEmpty();
        assertThat(evidence.taskOrNull(2).lockOwnerHints()).isEmpty();
        assertThat(evidence.taskOrNull(17)).isNull();
        // not the blocker line: words after "blocked on a" that are no lock kind
        feed("INFO: task sync:3 is blocked on a queue of requests");
        assertThat(evidence.taskOrNull(3)).isNull();
    }

    @Test
    void aHungTaskHeaderQuotedWithoutItsInfoPrefix() {
        // corpus zf-001 (bugzilla.kernel.org 218493): the header retyped in a sentence, in double quotes
        assertThat(feed("Waiting some time, I see \"task swupdate-progre:181 blocked for more than 245 seconds.\""))
                .isTrue();
        KernelEvent e = only(KernelEventKind.HUNG_TASK);
        assertThat(e.pid()).isEqualTo(181);
        assertThat(e.comm()).isEqualTo("swupdate-progre");
        assertThat(e.fields()).containsExactly(entry("seconds", "245"));
        Task t = evidence.taskOrNull(181);
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(t.blockedSeconds()).isEqualTo(245L);
    }

    @Test
    void hungTaskHeadersThatLostTheirStartOrStandInACodeSpan() {
        // corpus zc-005 (linux-raid, a syslog line wrapped after "INFO:"), and the header in a code span of a sentence
        assertThat(feed("task kworker/u8:4:9259 blocked for more than 600 seconds.")).isTrue();
        assertThat(feed("then `INFO: task CPU 0/KVM:1499 blocked for more than 122 seconds.` shows up")).isTrue();
        sink.finish();
        assertThat(evidence.events(KernelEventKind.HUNG_TASK)).extracting(KernelEvent::comm)
                .containsExactly("kworker/u8:4", "CPU 0/KVM");
        assertThat(evidence.taskOrNull(9259).blockedSeconds()).isEqualTo(600L);
        assertThat(evidence.taskOrNull(1499).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
    }

    @Test
    void blockedWordsOutOfTheHeadersShapeAreNoHungTask() {
        // corpus prose (a ticket's summary) with no "task", a word ending in "task", no pid, no seconds, a name
        // longer than the kernel prints
        assertThat(feed("hung task panic trigger after \"jbd2/dm-9-8:762\" was blocked for more than 120 seconds."))
                .isFalse();
        assertThat(feed("a multitask x:12 blocked for more than 5 seconds")).isFalse();
        assertThat(feed("the task blocked for more than 120 seconds.")).isFalse();
        assertThat(feed("task foo:12 blocked for more than a minute")).isFalse();
        assertThat(feed("task averyveryverylongname:12 blocked for more than 5 seconds")).isFalse();
        // a kernel record (here AppArmor's audit line, as dmesg and /dev/kmsg print it) holding the words further in:
        // a path any local user chooses, not the kernel's header
        feed("[ 1520.221402] audit: type=1400 audit(1701000000.123:45): apparmor=\"DENIED\" operation=\"exec\""
                + " profile=\"p\" name=\"/tmp/task sshd:12 blocked for more than 120 seconds\" pid=4242 comm=\"sh\"");
        feed("6,2231,1520221402,-;audit: type=1400 audit(1701000000.123:46): apparmor=\"DENIED\" operation=\"exec\""
                + " profile=\"p\" name=\"/tmp/task sshd:12 blocked for more than 120 seconds\" pid=4242 comm=\"sh\"");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.HUNG_TASK)).isEmpty();
        assertThat(evidence.taskOrNull(12)).isNull();
    }

    @Test
    void aSoftLockupCutAfterItsFirstWordsIsStillOne() {
        // github.com/AsahiLinux/linux issue (corpus g-015) wrapped by a mailer at 72 columns inside the message
        feed("watchdog: BUG: soft lockup -");
        feed("BUG: soft lockup");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.SOFT_LOCKUP);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).cpu()).isNull();
        assertThat(events.get(0).pid()).isNull();
    }

    @Test
    void aSoftLockupLineRetypedWithBugInAnotherCase() {
        // forum.proxmox.com thread 84212's title (corpus m-007): the kernel's line typed by hand, "Bug:" and a typo
        assertThat(feed("CPU soft lockup: Watchdog: Bug: soft lockup - CPU#0 stock for 24s!")).isTrue();
        KernelEvent e = only(KernelEventKind.SOFT_LOCKUP);
        assertThat(e.cpu()).isEqualTo(0);
        // prose that only names the words is no event
        assertThat(feed("a bug: soft lockups happen on this host")).isFalse();
    }

    @Test
    void anOopsNamesTheTaskOfTheDumpAfterIt() {
        // ask.fedoraproject.org "Laptop freezes after kernel bug" (corpus m-005), the month name stripped
        assertThat(feed("Jul 27 14:08:03 laptop kernel: list_del corruption. prev->next should be ffff98679438a5d0, but was ca53e83f5e8cf5a8"))
                .isFalse();
        assertThat(feed("Jul 27 14:08:04 laptop kernel: kernel BUG at lib/list_debug.c:51!")).isTrue();
        assertThat(feed("Jul 27 14:08:04 laptop kernel: invalid opcode: 0000 [#1] SMP PTI")).isTrue();
        feed("Jul 27 14:08:04 laptop kernel: CPU: 4 PID: 148 Comm: kswapd0 Tainted: P           OE     5.13.4-200.fc34.x86_64 #1");
        // the page-fault forms of arch/x86/mm/fault.c (4.x and 5.x) and arm64's die header
        assertThat(feed("BUG: unable to handle kernel NULL pointer dereference at 0000000000000008")).isTrue();
        assertThat(feed("BUG: kernel NULL pointer dereference, address: 0000000000000008")).isTrue();
        assertThat(feed("Internal error: Oops: 96000005 [#1] PREEMPT SMP")).isTrue();
        // prose about an oops is none
        assertThat(feed("general protection fault in the driver, I think")).isFalse();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.OOPS);
        assertThat(events).hasSize(5);
        assertThat(events.get(0).pid()).isEqualTo(148);
        assertThat(events.get(1).comm()).isEqualTo("kswapd0");
        assertThat(events.get(1).cpu()).isEqualTo(4);
        assertThat(events.get(2).pid()).isNull();
    }

    @Test
    void anOopsInsideALineThatLostItsBreaks() {
        // corpus m-005 run into one line (a page that lost its line breaks): the BUG line and the dump header after it
        assertThat(feed("Each time crash was preceded by this kernel bug: июл 27 14:08:04 laptop kernel: kernel BUG at"
                + " lib/list_debug.c:51! июл 27 14:08:04 laptop kernel: invalid opcode: 0000 [#1] SMP PTI июл 27 14:08:04"
                + " laptop kernel: CPU: 4 PID: 148 Comm: kswapd0 Tainted: P           OE     5.13.4-200.fc34.x86_64 #1"))
                .isTrue();
        KernelEvent e = only(KernelEventKind.OOPS);
        assertThat(e.pid()).isEqualTo(148);
        assertThat(e.comm()).isEqualTo("kswapd0");
    }

    @Test
    void anOopsLineFurtherInALogRecordIsAnotherMessagesText() {
        // a path any local user chooses, in AppArmor's audit line as /dev/kmsg gives it: no OOPS naming pid 1
        assertThat(feed("6,2231,1520221402,-;audit: type=1400 audit(1701000000.123:50): apparmor=\"DENIED\""
                + " operation=\"open\" profile=\"p\" name=\"/tmp/kernel BUG at a.c:1! PID: 1 Comm: init \" pid=4242"))
                .isFalse();
        sink.finish();
        assertThat(evidence.events(KernelEventKind.OOPS)).isEmpty();
        assertThat(evidence.taskOrNull(1)).isNull();
    }

    @Test
    void whatFollowsAHungTaskHeaderOnItsLineIsTheReportsWords() {
        // corpus l-023 (minio issue 16422) run into one line: the header, then the reporter's words and log
        assertThat(feed("INFO: task minio:41956 blocked for more than 129 seconds ``` Not tainted KERNEL_VERSION"
                + " #154-Ubuntu ``` c9b1a2e45eb.lck) returned an error (drive is faulty) (*fmt.wrapError)")).isTrue();
        assertThat(evidence.reportLines()).extracting(ReportLine::text).singleElement().asString()
                .contains("(drive is faulty)");
        // the header alone leaves nothing
        assertThat(feed("INFO: task minio:41957 blocked for more than 120 seconds.")).isTrue();
        assertThat(evidence.reportLines()).hasSize(1);
    }

    @Test
    void softLockupWithAndWithoutWatchdogPrefix() {
        // fedora-coreos-tracker 1600, systemd 5790, lf-edge/eve 2653, kernel 3.x format
        feed("Oct 24 01:36:33 sn01 kernel: watchdog: BUG: soft lockup - CPU#0 stuck for 105s! [kworker/0:1:31283]");
        feed("NMI watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [systemd-logind:913]");
        feed("[  129.338433][    C1] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [002-logging:310]");
        feed("BUG: soft lockup - CPU#7 stuck for 23s! [runc:[2:INIT]:4242]");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.SOFT_LOCKUP);
        assertThat(events).hasSize(4);
        assertThat(events.get(0).cpu()).isZero();
        assertThat(events.get(0).pid()).isEqualTo(31283);
        assertThat(events.get(0).comm()).isEqualTo("kworker/0:1");
        assertThat(events.get(0).fields()).containsExactly(entry("seconds", "105"));
        assertThat(events.get(1).comm()).isEqualTo("systemd-logind");
        assertThat(events.get(2).cpu()).isEqualTo(1);
        assertThat(events.get(2).pid()).isEqualTo(310);
        assertThat(events.get(3).comm()).isEqualTo("runc:[2:INIT]");
        assertThat(events.get(3).pid()).isEqualTo(4242);
    }

    @Test
    void softLockupRetypedWithoutItsBangKeepsItsTask() {
        // corpus u-020 (openzfs/spl, the message retyped by hand): the '!' lost before "[comm:pid]"
        feed("BUG: soft lockup - CPU#0 stuck for 22s [spl_kmem_cache/:410]");
        // the kernel's own words, and a bracket after other words, which names no task of the lockup
        feed("BUG: soft lockup - CPU#1 stuck for 23s! [kworker/1:2:77]");
        feed("BUG: soft lockup - CPU#2 stuck for 24s, see [1]");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.SOFT_LOCKUP);
        assertThat(events).extracting(KernelEvent::pid).containsExactly(410, 77, null);
        assertThat(events.get(0).comm()).isEqualTo("spl_kmem_cache/");
    }

    @Test
    void softLockupMakesTheNamedTaskRunning() {
        // arm-smmu-v3 soft lockup (linux-arm-kernel, 2022): the watchdog names the task that kept the CPU
        feed("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [irq/268-arm-smm:247]");
        sink.finish();
        Task t = evidence.taskOrNull(247);
        assertThat(t.comm()).isEqualTo("irq/268-arm-smm");
        assertThat(t.state()).isEqualTo(TaskState.RUNNING);
        assertThat(t.cpu()).isZero();
    }

    @Test
    void hardLockupOldAndNew() {
        // seed 004, and the "watchdog: " prefix (pr_fmt of kernel/watchdog.c) of newer kernels
        feed("[4474426.249700] NMI watchdog: Watchdog detected hard LOCKUP on cpu 50");
        feed("watchdog: Watchdog detected hard LOCKUP on cpu 5");
        // kernel/watchdog.c since 6.6 (buddy detector): "CPU%u: Watchdog detected hard LOCKUP on cpu %u"
        feed("watchdog: CPU4: Watchdog detected hard LOCKUP on cpu 5");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.HARD_LOCKUP);
        assertThat(events).extracting(KernelEvent::cpu).containsExactly(50, 5, 5);
        assertThat(events.get(2).fields()).containsEntry("detected-by", "4");
        assertThat(events.get(1).fields()).doesNotContainKey("detected-by");
        assertThat(events.get(0).timestamp()).isEqualTo(4474426.2497);
    }

    @Test
    void panics() {
        feed("[4474426.249800] Kernel panic - not syncing: Hard LOCKUP");
        feed("[   36.560762] Kernel panic - not syncing: softlockup: hung tasks");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.PANIC)).extracting(e -> e.field("reason"))
                .containsExactly("Hard LOCKUP", "softlockup: hung tasks");
        // with the detectors' own reports not pasted, the panics they called are their evidence
        assertThat(evidence.events(KernelEventKind.HARD_LOCKUP)).hasSize(1);
        assertThat(evidence.events(KernelEventKind.SOFT_LOCKUP)).hasSize(1);
    }

    @Test
    void aPanicNamingItsHangDetectorIsThatHang() {
        // Red Hat solution 5534961 (RT kernel, panic_on_rcu_stall), a linux-arm-kernel report (5.3, "RCU Stall"
        // after the stall report, which is cut here), a syzbot-style khungtaskd panic (kernel/hung_task.c)
        feed("Kernel panic - not syncing: RCU Stall");
        feed("[17159.496508] Kernel panic - not syncing: hung_task: blocked tasks");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.RCU_STALL)).hasSize(1);
        assertThat(evidence.events(KernelEventKind.HUNG_TASK)).hasSize(1);
        assertThat(evidence.events(KernelEventKind.HUNG_TASK).get(0).pid()).isNull();
        assertThat(KernelEventSink.panicDetector("Fatal exception")).isNull();
        assertThat(KernelEventSink.panicDetector("Out of memory: system-wide panic_on_oom is enabled")).isNull();
    }

    @Test
    void aPanicAfterItsDetectorsReportAddsNoSecondEvent() {
        // the hung-task report, then khungtaskd's panic (kernel/hung_task.c with hung_task_panic=1)
        feed("[  241.699830] INFO: task kworker/u4:2:117 blocked for more than 120 seconds.");
        feed("[  362.812554] Kernel panic - not syncing: hung_task: blocked tasks");
        feed("[   40.083260] Kernel panic - not syncing: RCU Stall");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.HUNG_TASK)).hasSize(1);
        assertThat(evidence.events(KernelEventKind.HUNG_TASK).get(0).pid()).isEqualTo(117);
        assertThat(evidence.events(KernelEventKind.RCU_STALL)).hasSize(1);
    }

    @Test
    void softLockupLineAfterAnyPrefix() {
        // linux-ext4 (p-011): a vendor kernel's "WARN:" before the watchdog's words
        assertThat(feed("WARN: soft lockup - CPU#45 stuck for 11s! [jbd2/dm-2-8:4170]")).isTrue();
        KernelEvent e = only(KernelEventKind.SOFT_LOCKUP);
        assertThat(e.pid()).isEqualTo(4170);
        assertThat(e.comm()).isEqualTo("jbd2/dm-2-8");
        assertThat(e.cpu()).isEqualTo(45);
        assertThat(e.fields()).containsEntry("seconds", "11");
        assertThat(evidence.taskOrNull(4170).state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void aSoftLockupLineRetypedWithoutItsCpuNumber() {
        // corpus zf-021 (github.com/devinit/devdatawarehouse issue 61): the title, the CPU's number left out
        // and a space after the colon of "[comm:pid]"
        assertThat(feed("# BUG: soft lockup - CPU stuck for 23s! [nautilus-search: 4883]")).isTrue();
        KernelEvent e = only(KernelEventKind.SOFT_LOCKUP);
        assertThat(e.cpu()).isNull();
        assertThat(e.pid()).isEqualTo(4883);
        assertThat(e.comm()).isEqualTo("nautilus-search");
        assertThat(e.fields()).containsEntry("seconds", "23");
        assertThat(evidence.taskOrNull(4883).state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void cutSoftLockupLinesWithoutTheirCpuNumberAreReports() {
        // a forum title ("kernel  BUG: soft lockup - CPU stuck for 23s!"), a syslog line with no task, a summary in a
        // code span with "+" after the seconds (public issue pages quoting the words)
        assertThat(feed("BUG: soft lockup - CPU stuck for 23s")).isTrue();
        assertThat(feed("Jun 7 02:31:15 server kernel: [12456] BUG: soft lockup - CPU stuck for 22s")).isTrue();
        assertThat(feed("The system froze and printed `kernel:watchdog: BUG: soft lockup - CPU stuck for 92s!`."))
                .isTrue();
        assertThat(feed("causing a `watchdog: BUG: soft lockup - CPU stuck for 22s+` which results in a freeze"))
                .isTrue();
        assertThat(feed("BUG: soft lockup - CPU# stuck for 23s! [nautilus-search:4883]")).isTrue();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.SOFT_LOCKUP);
        assertThat(events).extracting(KernelEvent::cpu).containsOnlyNulls();
        assertThat(events).extracting(ev -> ev.fields().get("seconds")).containsExactly("23", "22", "92", "22", "23");
        assertThat(events.get(4).pid()).isEqualTo(4883);
    }

    @Test
    void aSpacedPidIsReadOnlyWhenTheKernelsShapeIsNotThere() {
        // the kernel prints "[%s:%d]": a name holding ": 12" keeps its own last colon's pid
        feed("watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [x: 12:345]");
        KernelEvent e = only(KernelEventKind.SOFT_LOCKUP);
        assertThat(e.pid()).isEqualTo(345);
        assertThat(e.comm()).isEqualTo("x: 12");
    }

    @Test
    void softLockupWordsWithoutTheWatchdogsShapeAreNoReport() {
        assertThat(feed("WARN: soft lockup - CPU#45 was seen once")).isFalse();
        assertThat(feed("fixes a soft lockup - CPU# stuck for long")).isFalse();
        // without the CPU's number, only with the seconds: an explainer's heading with a placeholder, prose
        assertThat(feed("NMI watchdog BUG soft lockup - CPU stuck for XXs")).isFalse();
        assertThat(feed("fixes a soft lockup - CPU stuck for long")).isFalse();
        // a kernel record holding the words further in: a path any local user chooses (AppArmor's audit line)
        assertThat(feed("[ 1520.221402] audit: type=1400 audit(1701000000.123:47): apparmor=\"DENIED\""
                + " operation=\"exec\" profile=\"p\" name=\"/tmp/BUG: soft lockup - CPU stuck for 23s! [sshd:12]\""
                + " pid=4242 comm=\"sh\"")).isFalse();
        assertThat(feed("a soft lockup - CPU stuck")).isFalse();
        sink.finish();
        assertThat(evidence.events(KernelEventKind.SOFT_LOCKUP)).isEmpty();
    }

    @Test
    void softLockupWordsFurtherInALogRecordAreAnotherMessagesText() {
        // a path any local user chooses, quoted in AppArmor's audit line as the live host's /dev/kmsg gives it, and
        // an executable's name the kernel quotes (fs/exec.c: "process '%s' started with executable stack") in dmesg
        String path = "/tmp/watchdog: BUG: soft lockup - CPU#1 stuck for 99s! [sshd:12]";
        assertThat(feed("[ 1520.221402] audit: type=1400 audit(1701000000.123:48): apparmor=\"DENIED\""
                + " operation=\"exec\" profile=\"p\" name=\"" + path + "\" pid=4242 comm=\"sh\"")).isFalse();
        assertThat(feed("6,2231,1520221402,-;audit: type=1400 audit(1701000000.123:49): apparmor=\"DENIED\""
                + " operation=\"exec\" profile=\"p\" name=\"" + path + "\" pid=4242 comm=\"sh\"")).isFalse();
        assertThat(feed("[ 1520.221402] process '/tmp/x Bug: soft lockup - CPU#1 stuck for 9s! [sshd:12]' started with"
                + " executable stack")).isFalse();
        sink.finish();
        assertThat(evidence.events(KernelEventKind.SOFT_LOCKUP)).isEmpty();
        assertThat(evidence.taskOrNull(12)).isNull();
    }

    @Test
    void softLockupWordsAfterTagsInALogRecordAreTheWatchdogs() {
        // a vendor kernel's "WARN: " and the 4.x "NMI watchdog: " tag in front of the words, in dmesg and kmsg records
        assertThat(feed("[ 8046.122050] WARN: soft lockup - CPU#45 stuck for 11s! [jbd2/dm-2-8:4170]")).isTrue();
        assertThat(feed("4,1882,8046122050,-;NMI watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [systemd-logind:913]"))
                .isTrue();
        // corpus y-006's syslog run into one line: the watchdog's record after the end of the stack before it
        assertThat(feed("Oct 24 01:36:33 sn01 kernel:  </TASK> Oct 24 01:36:33 sn01 kernel: watchdog: BUG: soft lockup"
                + " - CPU#0 stuck for 105s! [kworker/0:1:31283]")).isTrue();
        sink.finish();
        assertThat(evidence.events(KernelEventKind.SOFT_LOCKUP)).extracting(KernelEvent::pid)
                .containsExactly(4170, 913, 31283);
    }

    @Test
    void rcuStallTaskMarksNameTheTasksHoldingTheGracePeriod() {
        // kernel/rcu/tree_stall.h: " P%d" in the braces (3.x expedited), and 6.x "Tasks blocked on level-%d
        // rcu_node (CPUs %d-%d):" with " P%d/%d:%c%c%c%c" per task
        feed("INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { P392 } 21 jiffies s: 73 root: 0x0/T");
        feed("[ 2077.394266] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:");
        feed("[ 2077.394300] rcu: \tTasks blocked on level-0 rcu_node (CPUs 0-10): P3744/1:b..l P3750/1:b..l");
        feed("[ 2077.394400] \t(detected by 3, t=6502 jiffies, g=1097, q=13 ncpus=11)");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.RCU_STALL);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).pid()).isEqualTo(392);
        assertThat(events.get(0).fields()).containsEntry("tasks", "392").doesNotContainKey("cpus");
        assertThat(events.get(1).pid()).isEqualTo(3744);
        assertThat(events.get(1).fields()).containsEntry("tasks", "3744,3750").containsEntry("detected-by", "3");
    }

    @Test
    void aTaintLSaysASoftLockupHappenedOnce() {
        // corpus zd-005 (5.4, the soft lockup's BUG line not pasted), a hung-task report's taint line, 6.x's verbose
        // form (kernel/panic.c print_tainted); only the first makes the event
        feed("[   96.586062] CPU: 19 PID: 2978 Comm: kworker/u69:1 Tainted: G      D W  OEL    5.4.62-std-debug-alt1 #1");
        feed("[  242.000000]       Tainted: G             L     5.4.62-std-debug-alt1 #1");
        KernelEvent e = only(KernelEventKind.SOFT_LOCKUP_TAINT);
        assertThat(e.pid()).isEqualTo(2978);
        assertThat(e.comm()).isEqualTo("kworker/u69:1");
        assertThat(e.cpu()).isEqualTo(19);
    }

    @Test
    void aTaintLInEveryForm() {
        for (String line : List.of("      Tainted: G             L     5.4.62-std-debug-alt1 #1",
                "Tainted: [W]=WARN, [L]=SOFTLOCKUP", "Tainted: G      D W   EL  ------------   3.10.0-1160.el7.x86_64 #1")) {
            Evidence ev = new Evidence();
            KernelEventSink s = new KernelEventSink(ev, "t");
            s.accept(KernelLogPrefix.strip(line, 1));
            s.finish();
            assertThat(ev.events(KernelEventKind.SOFT_LOCKUP_TAINT)).as(line).hasSize(1);
        }
    }

    @Test
    void otherTaintsAndNamesHoldingTheWordsAreNoLockup() {
        // no L among the flags; "Tainted: [U]=USER" (corpus v-010); a task whose name imitates the taint words
        feed("[ 4109.683440] CPU: 3 PID: 46745 Comm: fas_readwriter Tainted: G        W  OE  5.15.0-91-generic #101-Ubuntu");
        feed("[  164.964662] Tainted: [U]=USER");
        feed("[   12.000000] CPU: 1 PID: 77 Comm: Tainted: G L 1 Not tainted 6.8.0-45-generic #45-Ubuntu");
        // name-first lines (show_signal_msg, the OOM killer, warn_alloc) whose name starts like the taint line
        feed("[   13.000000] Tainted: G L 1[1234]: segfault at 0 ip 00007f3a2b4c5d6e sp 00007ffd1e2f3a40 error 4 in"
                + " libc.so.6[7f3a2b400000+195000]");
        feed("[   14.000000] Tainted: G L 1 invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0,"
                + " oom_score_adj=0");
        feed("[   15.000000] Tainted: G L 1: page allocation failure: order:0, mode:0x40cc0(GFP_KERNEL|__GFP_COMP),"
                + " nodemask=(null),cpuset=/,mems_allowed=0");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.SOFT_LOCKUP_TAINT)).isEmpty();
    }

    @Test
    void oomKillerWithNoVictim() {
        // mm/oom_kill.c: pr_warn (4.19+, also for a memory cgroup) and the older panic reason
        feed("[    4.923156] Out of memory and no killable processes...");
        feed("[  812.000100] Kernel panic - not syncing: Out of memory and no killable processes...");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.OOM_NO_VICTIM);
        assertThat(events).hasSize(2);
        assertThat(events.get(0).fields()).isEmpty();
        assertThat(events.get(1).fields()).containsExactly(entry("scope", "global"));
    }

    @Test
    void hardLockupIn2_6sNmiWatchdogWords() {
        // arch/x86/kernel/nmi.c before 2.6.36: x86_64's die_nmi("NMI Watchdog detected LOCKUP on CPU %d\n"), i386's
        // "on CPU%d, eip %08lx, registers:", and the -rt tree's lower-case form with its counters
        feed("NMI Watchdog detected LOCKUP on CPU 1");
        feed("NMI Watchdog detected LOCKUP on CPU0, eip c04bd3b4, registers:");
        feed("NMI watchdog detected lockup on CPU#1 (50000/50000)");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.HARD_LOCKUP)).extracting(KernelEvent::cpu).containsExactly(1, 0, 1);
    }

    @Test
    void sparcSun4vMondoTimeoutIsAHardLockupOfTheTargetCpu() {
        // corpus zg-006 (sparclinux, an LDom under stress-ng, 5.13-rc6), its mailer's wrap undone; the format is
        // arch/sparc/kernel/smp_64.c hypervisor_xcall_deliver's
        feed("[  890.782498] CPU[4]: SUN4V mondo timeout, cpu(5) made no forward progress after 500001 retries. "
                + "Total target cpus(7).");
        // as the mailer left it: the line broken after "forward"
        feed("[  890.782539] CPU[3]: SUN4V mondo timeout, cpu(5) made no forward");
        feed("[  890.782590] Kernel panic - not syncing: SUN4V mondo timeout panic");
        // the same function's other message, a target CPU in error state, is no timeout
        feed("[  890.782600] CPU[3]: SUN4V mondo cpu error, target cpu(6) was in error state");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.HARD_LOCKUP);
        assertThat(events).extracting(KernelEvent::cpu).containsExactly(5, 5);
        assertThat(events.get(0).fields()).containsEntry("detected-by", "4");
        assertThat(events.get(1).fields()).containsEntry("detected-by", "3");
        assertThat(evidence.events(KernelEventKind.PANIC)).extracting(e -> e.field("reason"))
                .containsExactly("SUN4V mondo timeout panic");
    }

    @Test
    void sun4vMondoTimeoutPanicAloneIsTheHardLockup() {
        // the panic line of zg-006 without the report line before it
        feed("[  890.782590] Kernel panic - not syncing: SUN4V mondo timeout panic");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.HARD_LOCKUP)).hasSize(1);
    }

    @Test
    void panicInTheWatchdogsOwnWordsIsTheHardLockup() {
        // 2.6.32 to 4.4 with hardlockup_panic: panic("Watchdog detected hard LOCKUP on cpu %d", this_cpu) in
        // kernel/watchdog.c, and no other line says it
        feed("[ 8121.411722] Kernel panic - not syncing: Watchdog detected hard LOCKUP on cpu 3");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.PANIC)).hasSize(1);
        assertThat(only(KernelEventKind.HARD_LOCKUP).cpu()).isEqualTo(3);
    }

    @Test
    void rcuStallWithPerCpuLines() {
        // cilium/tetragon issue 328
        assertThat(feed("[  103.087243] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:")).isTrue();
        assertThat(feed("[  103.087558] rcu: \t1-...!: (0 ticks this GP) idle=cf8/0/0x0 softirq=20/20 fqs=0 ")).isTrue();
        assertThat(feed("[  103.087821] \t(detected by 0, t=38227 jiffies, g=-1127, q=10)")).isTrue();
        assertThat(feed("[  103.088024] Sending NMI from CPU 0 to CPUs 1:")).isFalse();
        KernelEvent e = only(KernelEventKind.RCU_STALL);
        assertThat(e.cpu()).isEqualTo(1);
        assertThat(e.fields()).containsEntry("flavor", "rcu_sched").containsEntry("kind", "detected")
                .containsEntry("cpus", "1").containsEntry("detected-by", "0");
        assertThat(e.message()).isEqualTo("rcu: INFO: rcu_sched detected stalls on CPUs/tasks:");
        assertThat(e.source()).isEqualTo("kern.log:1");
    }

    @Test
    void rcuStallWhoseFirstLineIsNotPastedIsOneByItsOwnLines() {
        // sonic-buildimage issue 20368 (6.1: the paste starts at the "(t=" line), skiboot report (4.x: "c=" before
        // q), hvisor report (6.x "Tasks blocked on" list alone), tetragon issue 328 (per-CPU and "detected by")
        feed("[  572.183244] \t(t=5297 jiffies g=165593 q=95908 ncpus=4)"); // the syslog prefix before it left out
        feed("[  572.183248] CPU: 1 PID: 36 Comm: kworker/u8:2 Tainted: G           O       6.1.0-11-2-amd64 #1  Debian 6.1.38-4");
        feed("[  103.057795] \t (t=2100 jiffies g=-218 c=-219 q=72)");
        feed("[  103.057800] Sending NMI from CPU 0 to CPUs 1:");
        feed("[  471.816490] rcu:     Tasks blocked on level-0 rcu_node (CPUs 0-1): P454/1:b..l P433 P455 P700/1:b..l");
        feed("[  471.816500] Sending NMI from CPU 0 to CPUs 1:");
        feed("[  103.087558] rcu: \t1-...!: (0 ticks this GP) idle=cf8/0/0x0 softirq=20/20 fqs=0 ");
        feed("[  103.087821] \t(detected by 0, t=38227 jiffies, g=-1127, q=10)");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.RCU_STALL);
        assertThat(events).hasSize(4);
        assertThat(events).extracting(e -> e.fields().get("flavor")).containsOnlyNulls();
        assertThat(events).extracting(e -> e.fields().get("kind"))
                .containsExactly("self-detected", "self-detected", "detected", "self-detected");
        assertThat(events.get(2).pid()).isEqualTo(454);
        assertThat(events.get(2).fields()).containsEntry("tasks", "454,433,455,700");
        assertThat(events.get(3).fields()).containsEntry("cpus", "1").containsEntry("detected-by", "0");
    }

    @Test
    void aLowerCasedHungTaskHeaderIsTheSameHeader() {
        // w3help.cc (corpus k-013): a zh-TW converted copy of a post, the kernel's words lower-cased
        feed("info: task jbd2/sdb1-8:966 blocked for more than 120 seconds.");
        sink.finish();
        KernelEvent e = only(KernelEventKind.HUNG_TASK);
        assertThat(e.pid()).isEqualTo(966);
        assertThat(e.comm()).isEqualTo("jbd2/sdb1-8");
    }

    @Test
    void theGracePeriodKthreadsLinesAreAStallReportOfTheirOwn() {
        // corpus j-020 (LoongArch, 6.6: the paste starts inside the report), a 4.x stall's starvation line
        feed("[36549.941124] rcu: Stack dump where RCU GP kthread last ran:");
        feed("[36549.941126] Sending NMI from CPU 5 to CPUs 0:");
        feed("[ 1030.400000] rcu_sched kthread starved for 2031 jiffies! g3541 c3540 f0x0 RCU_GP_WAIT_FQS(3) ->state=0x1");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.RCU_STALL)).hasSize(2);
        assertThat(feed("the rcu_sched kthread starved for a while, no jiffies")).isFalse();
    }

    @Test
    void linesLikeAStallsButNotOneAreNoStall() {
        // numbered lists and parenthesised notes in prose or tool output, and a per-CPU shape with no idle= state
        assertThat(feed("1: (see below) the box hung again")).isFalse();
        assertThat(feed("\t2: (1 GPs behind) softirq=1302/3861")).isFalse();
        assertThat(feed("(t=5 seconds later it was back)")).isFalse();
        assertThat(feed("Tasks blocked on the mount: 12")).isFalse();
        sink.finish();
        assertThat(evidence.allEvents()).isEmpty();
    }

    @Test
    void rcuStallOldStyles() {
        // apritzel/pine64 issue 5 (4.4), openzfs issue 557 (old rcu_sched_state)
        feed("INFO: rcu_sched detected stalls on CPUs/tasks:");
        feed("        0-...: (1 GPs behind) idle=d09/1/0 softirq=1302/3861 fqs=20997");
        feed("        2-...: (1 GPs behind) idle=157/2/0 softirq=1341/3334 fqs=20998");
        feed("        (detected by 3, t=21010 jiffies, g=-93, c=-94, q=1)");
        feed("Task dump for CPU 0:");
        feed("Nov 24 22:13:27 gsan1-coy kernel: [12757.540104] INFO: rcu_sched_state detected stalls on CPUs/tasks: "
                + "{ 2} (detected by 7, t=15002 jiffies)");
        feed("Nov 24 19:39:04 gsan1-coy kernel: [ 3556.510903] INFO: rcu_sched_state detected stall on CPU 0 "
                + "(t=105060 jiffies)");
        feed("\t3: (1 GPs behind) idle=1a3/140000000000000/0 softirq=2/2");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.RCU_STALL);
        assertThat(events).hasSize(3);
        assertThat(events.get(0).fields()).containsEntry("cpus", "0,2").containsEntry("detected-by", "3");
        assertThat(events.get(0).cpu()).isZero();
        assertThat(events.get(1).fields()).containsEntry("flavor", "rcu_sched_state").containsEntry("cpus", "2")
                .containsEntry("detected-by", "7");
        assertThat(events.get(2).fields()).containsEntry("cpus", "0,3");
    }

    @Test
    void rcuSelfDetectedAndExpedited() {
        // sonic-buildimage 20368 (self-detected), lkrg issue 189 (expedited), SkiffOS 147 (task in braces)
        feed("rcu: INFO: rcu_preempt self-detected stall on CPU");
        feed("rcu: \t3-....: (20999 ticks this GP) idle=9c4/1/0x4000000000000002 softirq=1/1 fqs=5249");
        feed("[   27.285351] rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 0-... } 6 jiffies "
                + "s: 85 root: 0x1/.");
        feed("rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { P392 } 21382 jiffies s: 117 root: 0x0/T");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.RCU_STALL);
        assertThat(events).hasSize(3);
        assertThat(events.get(0).fields()).containsEntry("kind", "self-detected").containsEntry("flavor", "rcu_preempt");
        assertThat(events.get(0).cpu()).isEqualTo(3);
        assertThat(events.get(1).fields()).containsEntry("kind", "expedited").containsEntry("cpus", "0");
        assertThat(events.get(2).cpu()).isNull();
        assertThat(events.get(2).fields()).doesNotContainKey("cpus");
    }

    @Test
    void oomInvokedNewAndOld() {
        // harvester issue 2419 (5.3), kubernetes issue 56891 (3.10), shakenfist 177 (4.15 with nodemask)
        feed("Jun 23 10:10:34 hv kernel: CPU 2/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
                + "oom_score_adj=872");
        feed("[Thu Dec  7 00:13:22 2017] java invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=-998");
        feed("Jul 16 11:53:24 sau-3f41e-or kernel: [1310061.327439] CPU 0/KVM invoked oom-killer: "
                + "gfp_mask=0x15000c0(GFP_KERNEL_ACCOUNT), nodemask=(null), order=0, oom_score_adj=0");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.OOM_INVOKED);
        assertThat(events.get(0).comm()).isEqualTo("CPU 2/KVM");
        assertThat(events.get(0).fields()).containsEntry("gfp_mask", "0xcc0").containsEntry("gfp_flags", "GFP_KERNEL")
                .containsEntry("order", "0").containsEntry("oom_score_adj", "872");
        assertThat(events.get(1).comm()).isEqualTo("java");
        assertThat(events.get(1).fields()).containsEntry("gfp_mask", "0xd0").containsEntry("oom_score_adj", "-998")
                .doesNotContainKey("gfp_flags");
        assertThat(events.get(2).fields()).containsEntry("nodemask", "(null)")
                .containsEntry("gfp_flags", "GFP_KERNEL_ACCOUNT");
        assertThat(events.get(2).timestamp()).isEqualTo(1310061.327439);
    }

    @Test
    void oomKillChosenAndKilledOnCentos7() {
        // seed 001 (vmcore-dmesg)
        feed("[ 3891.873807] Memory cgroup out of memory: Kill process 27158 (ext4-repro-with-write) score 511 or "
                + "sacrifice child");
        feed("[ 3891.875313] Killed process 27153 (ext4-repro-with-write), UID 0, total-vm:848900kB, "
                + "anon-rss:499124kB, file-rss:868kB, shmem-rss:0kB");
        KernelEvent chosen = only(KernelEventKind.OOM_KILL_CHOSEN);
        assertThat(chosen.pid()).isEqualTo(27158);
        assertThat(chosen.comm()).isEqualTo("ext4-repro-with-write");
        assertThat(chosen.fields()).containsOnly(entry("score", "511"), entry("scope", "memcg"));
        KernelEvent killed = only(KernelEventKind.OOM_KILLED);
        assertThat(killed.pid()).isEqualTo(27153);
        assertThat(killed.comm()).isEqualTo("ext4-repro-with-write");
        assertThat(killed.fields()).containsEntry("uid", "0").containsEntry("total-vm-kb", "848900")
                .containsEntry("anon-rss-kb", "499124").containsEntry("file-rss-kb", "868")
                .containsEntry("shmem-rss-kb", "0").containsEntry("scope", "memcg");
    }

    @Test
    void oomKilledOtherGenerations() {
        // kubernetes 56891 (3.10 without UID), reportportal/kubernetes 203 (5.4), global OOM form
        feed("[Thu Dec  7 00:05:15 2017] Killed process 28438 (java) total-vm:20255636kB, anon-rss:466160kB, "
                + "file-rss:13684kB");
        feed("[ 7063.247407] Memory cgroup out of memory: Killed process 63214 (uwsgi) total-vm:3149468kB, "
                + "anon-rss:164992kB, file-rss:52176kB, shmem-rss:92kB, UID:0 pgtables:1372kB oom_score_adj:986");
        feed("Out of memory: Killed process 1234 (stress (copy)) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, "
                + "shmem-rss:0kB, UID:0 pgtables:40kB oom_score_adj:0");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.OOM_KILLED);
        assertThat(events.get(0).fields()).containsEntry("total-vm-kb", "20255636").containsEntry("file-rss-kb", "13684")
                .doesNotContainKeys("uid", "scope");
        assertThat(events.get(1).pid()).isEqualTo(63214);
        assertThat(events.get(1).comm()).isEqualTo("uwsgi");
        assertThat(events.get(1).fields()).containsEntry("uid", "0").containsEntry("pgtables-kb", "1372")
                .containsEntry("oom_score_adj", "986").containsEntry("scope", "memcg")
                .containsEntry("shmem-rss-kb", "92");
        assertThat(events.get(2).comm()).isEqualTo("stress (copy)");
        assertThat(events.get(2).fields()).containsEntry("scope", "global");
        assertThat(evidence.events(KernelEventKind.OOM_KILL_CHOSEN)).isEmpty();
    }

    @Test
    void oomKillContext() {
        // a docker memory-limit fork bomb write-up (dmesg, 5.x)
        feed("[ 8654.886516] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=docker-6815d730cf46.scope,"
                + "mems_allowed=0-1,3,oom_memcg=/system.slice/docker-6815d730cf46.scope,"
                + "task_memcg=/system.slice/docker-6815d730cf46.scope,task=bash,pid=371272,uid=0");
        KernelEvent e = only(KernelEventKind.OOM_KILL_CONTEXT);
        assertThat(e.pid()).isEqualTo(371272);
        assertThat(e.comm()).isEqualTo("bash");
        assertThat(e.fields()).containsEntry("constraint", "CONSTRAINT_MEMCG").containsEntry("nodemask", "(null)")
                .containsEntry("mems_allowed", "0-1,3").containsEntry("oom_memcg", "/system.slice/docker-6815d730cf46.scope")
                .containsEntry("task_memcg", "/system.slice/docker-6815d730cf46.scope").containsEntry("uid", "0");
    }

    @Test
    void oomTaskTableRowsPastedAloneAreOneTable() {
        // corpus w-014 (github.com/elastic/elasticsearch issue 22788): the table's rows with a blank line after each
        assertThat(feed("May 13 10:10:27 ubuntu kernel: [  18568]     0 18568    43758      180   237568      877"
                + "             0 nginx")).isTrue();
        feed("");
        assertThat(feed("May 13 10:10:27 ubuntu kernel: [  20237]  1000 20237    52112      397   167936       52"
                + "             0 (sd-pam)")).isTrue();
        feed("");
        assertThat(feed("May 13 10:10:27 ubuntu kernel: [  20712]   109 20712   841233   185836  2666496        0"
                + "             0 java")).isTrue();
        feed("");
        // the stored excerpt's last row, cut before its name: not a row
        assertThat(feed("May 13 10:10:27 ubuntu kernel: [  21119]     0")).isFalse();
        KernelEvent e = only(KernelEventKind.OOM_TASK_LIST);
        assertThat(e.fields()).containsEntry("what", "row");
        assertThat(e.pid()).isNull();
    }

    @Test
    void oomTaskTableHeadersOfEachGeneration() {
        // 4.x (an LTP oom02 report), 3.10 with its spaces collapsed by a blog, 5.x with its title, 6.x rss columns
        feed("[  365.036127] [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name");
        feed("[  365.044691] [ 1905]     0  1905     3236     1714      10       4        0             0 systemd-journal");
        lineNo += 10; // each table apart: one event per table
        feed("Oct 13 22:05:38 133-130-xxx-xx kernel: [ pid ] uid tgid total_vm rss nr_ptes swapents oom_score_adj name");
        feed("Oct 13 22:05:38 133-130-xxx-xx kernel: [ 470] 0 470 9413 0 23 116 0 systemd-journal");
        lineNo += 10;
        feed("[3779693.592735] Tasks state (memory values in pages):");
        feed("[3779693.592736] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name");
        feed("[3779693.592742] [   4426]     0  4426     1088      764    45056       62          -997 bash");
        lineNo += 10;
        feed("2026-09-19T17:27:56.877090+00:00 web-1 kernel: [  pid  ]   uid  tgid total_vm      rss rss_anon"
                + " rss_file rss_shmem pgtables_bytes swapents oom_score_adj name");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.OOM_TASK_LIST);
        assertThat(events).extracting(x -> x.fields().get("what")).containsExactly("header", "header", "title", "header");
    }

    @Test
    void bracketedLinesThatAreNoTaskTable() {
        assertThat(feed("[  365.044691] [<ffffffff8171a214>] dump_stack+0x45/0x56")).isFalse();
        assertThat(feed("[  365.044691] [ cut here ]------------")).isFalse();
        assertThat(feed("[  365.044691] [drm] GPU HANG")).isFalse();
        assertThat(feed("[  365.044691] [ 1905]     0  1905     3236")).isFalse();
        assertThat(KernelOomMessages.taskTableLine("[ 1905] 1 2 3 4 5 6 7 8 9 10 11 12 name", 0, 39)).isFalse();
        sink.finish();
        assertThat(evidence.events(KernelEventKind.OOM_TASK_LIST)).isEmpty();
    }

    @Test
    void memcgStatusLines() {
        // ltp issue 1080 (CentOS 7 /var/log/messages)
        feed("Aug 17 06:27:33 hgzmm3cs239 kernel: Task in /13 killed as a result of limit of /13");
        feed("Aug 17 06:27:33 hgzmm3cs239 kernel: memory: usage 4kB, limit 4kB, failcnt 8");
        feed("Aug 17 06:27:33 hgzmm3cs239 kernel: memory+swap: usage 4kB, limit 9007199254740988kB, failcnt 0");
        feed("Aug 17 06:27:33 hgzmm3cs239 kernel: kmem: usage 0kB, limit 9007199254740988kB, failcnt 0");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.MEMCG_STATUS);
        assertThat(events).hasSize(4);
        assertThat(events.get(0).fields()).containsOnly(entry("task_memcg", "/13"), entry("limit_memcg", "/13"));
        assertThat(events.get(1).fields()).containsEntry("counter", "memory").containsEntry("usage-kb", "4")
                .containsEntry("limit-kb", "4").containsEntry("failcnt", "8");
        assertThat(events.get(2).fields()).containsEntry("counter", "memory+swap")
                .containsEntry("limit-kb", "9007199254740988");
        assertThat(events.get(3).fields()).containsEntry("counter", "kmem");
    }

    @Test
    void memcgStatsLineNamesTheCgroup() {
        // github.com/vmware/photon (corpus g-009) and kubernetes issue 56891: 4.x on one line, 5.x+ stats below it
        feed("[39291577.009360] Memory cgroup stats for /kubepods/burstable/podfe3f7a38/c7ebf4d7: cache:0KB rss:613460KB");
        feed("Memory cgroup stats for /system.slice/docker-6815d730cf46.scope:");
        feed("Memory cgroup stats for the curious");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.MEMCG_STATUS)).extracting(e -> e.field("memcg"))
                .containsExactly("/kubepods/burstable/podfe3f7a38/c7ebf4d7", "/system.slice/docker-6815d730cf46.scope");
    }

    @Test
    void sysrqOldAndNew() {
        feed("SysRq : Show Blocked State");
        feed("sysrq: Show State");
        feed("[  +0.000123] sysrq: Show Blocked State");
        feed("sysrq: HELP : loglevel(0-9) reboot(b) crash(c) show-all-locks(d)");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.SYSRQ)).extracting(e -> e.field("what"))
                .containsExactly("Show Blocked State", "Show State", "Show Blocked State");
    }

    @Test
    void nfsServerNotRespondingAndBack() {
        // net/sunrpc/clnt.c: "%s: server %s not responding, %s" and "%s: server %s OK"
        feed("Mar  3 10:00:01 node1 kernel: nfs: server nfs1 not responding, still trying");
        feed("nfs: server 10.0.0.5 not responding, timed out");
        feed("Mar  3 10:05:01 node1 kernel: nfs: server nfs1 OK");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.NFS_NOT_RESPONDING);
        assertThat(events).hasSize(3);
        assertThat(events.get(0).fields()).containsEntry("server", "nfs1").containsEntry("status", "not-responding")
                .containsEntry("detail", "still trying").containsEntry("program", "nfs");
        assertThat(events.get(1).fields()).containsEntry("server", "10.0.0.5").containsEntry("detail", "timed out");
        assertThat(events.get(2).fields()).containsEntry("server", "nfs1").containsEntry("status", "ok");
    }

    @Test
    void nfsNotRespondingStemAlone() {
        // a vendor KB quoting the message without its ending (SUSE KB 000019722, corpus d-015); a user-space tool's
        // own words of the same shape are not the kernel's
        assertThat(feed("nfs: server <hostname or address> not responding")).isTrue();
        assertThat(feed("Mar 13 14:01:08 kvm1 kernel: [63623.567591] lockd: server 10.0.0.7 not responding")).isTrue();
        assertThat(feed("error: server backup01 not responding")).isFalse();
        assertThat(feed("    nfs: server <hostname or address> not responding")).as("indented by the paste").isTrue();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.NFS_NOT_RESPONDING);
        assertThat(events).hasSize(3);
        assertThat(events.get(0).fields()).containsEntry("server", "<hostname or address>")
                .containsEntry("status", "not-responding").containsEntry("program", "nfs").doesNotContainKey("detail");
        assertThat(events.get(1).fields()).containsEntry("server", "10.0.0.7").containsEntry("program", "lockd");
    }

    @Test
    void nfsClientErrors() {
        // net/sunrpc/auth_gss/auth_gss.c, fs/nfs/nfs4state.c (kimchi issue 348, corpus d-016); fs/lockd/mon.c
        // (unix.stackexchange.com 16738, corpus f-020)
        assertThat(feed("Mar 13 14:01:08 kvm1 kernel: [63623.567591] RPC: AUTH_GSS upcall timed out.")).isTrue();
        assertThat(feed("Mar 13 14:01:08 kvm1 kernel: [63623.567591] Please check user daemon is running.")).isFalse();
        assertThat(feed("Mar 13 14:01:08 kvm1 kernel: [63623.567673] NFS: nfs4_discover_server_trunking unhandled error"
                + " -512. Exiting with error EIO")).isTrue();
        assertThat(feed("Jul 13 10:35:56 hostname kernel: [222583.872059] lockd: cannot monitor laptop")).isTrue();
        // the same family's other words: lockd giving a peer up, the client's mount debug output
        assertThat(feed("lockd: cannot unmonitor laptop")).isFalse();
        assertThat(feed("[Thu Aug 17 23:29:53 2023] NFS:   parsing nfs mount option 'source'")).isFalse();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.NFS_CLIENT_ERROR);
        assertThat(events).extracting(e -> e.field("what"))
                .containsExactly("gss-upcall-timeout", "unhandled-error", "lockd-cannot-monitor");
        assertThat(events.get(1).fields()).containsEntry("function", "nfs4_discover_server_trunking")
                .containsEntry("error", "-512");
        assertThat(events.get(2).fields()).containsEntry("host", "laptop");
        assertThat(events.get(0).timestamp()).isEqualTo(63623.567591);
    }

    @Test
    void blockLayerErrors() {
        // RMerl/asuswrt-merlin.ng 379, MichaIng/DietPi 6071, linux-surface 1551, longhorn 9878
        feed("Nov 18 10:34:27 kernel: blk_update_request: I/O error, dev sdd, sector 17803376");
        feed("Jan 20 11:31:37 redspi.local kernel: blk_update_request: I/O error, dev sdb, sector 1940865656 op "
                + "0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0");
        feed("9 05 18:11:34 surface-pro-6 kernel: I/O error, dev sda, sector 212007696 op 0x0:(READ) flags 0x0 "
                + "phys_seg 2 prio class 0");
        feed("Nov 18 10:34:27 kernel: sd 0:0:0:0: rejecting I/O to offline device");
        feed("Feb 20 13:46:53.359635 dev-r7515-c kernel: Buffer I/O error on dev sdaj1, logical block 83658496, "
                + "async page read");
        feed("Jan 20 11:31:37 redspi.local kernel: Buffer I/O error on device sdb2, logical block 1047375");
        feed("critical medium error, dev sdb, sector 2048 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.BLOCK_IO_ERROR);
        assertThat(events).hasSize(7);
        assertThat(events.get(0).fields()).containsEntry("dev", "sdd").containsEntry("sector", "17803376")
                .containsEntry("error", "I/O");
        assertThat(events.get(1).fields()).containsEntry("dev", "sdb").containsEntry("op", "WRITE");
        assertThat(events.get(2).fields()).containsEntry("dev", "sda").containsEntry("sector", "212007696")
                .containsEntry("op", "READ");
        assertThat(events.get(3).fields()).containsEntry("dev", "0:0:0:0").containsEntry("what", "offline-device");
        assertThat(events.get(4).fields()).containsEntry("dev", "sdaj1").containsEntry("block", "83658496");
        assertThat(events.get(5).fields()).containsEntry("dev", "sdb2").containsEntry("block", "1047375");
        assertThat(events.get(6).fields()).containsEntry("error", "critical medium").containsEntry("dev", "sdb");
    }

    @Test
    void xfsAllocationRetryWarningOfEveryGeneration() {
        // runc issue 2039 (3.10 el7: comm(pid) ... in kmem_zone_alloc), fs/xfs/kmem.c 4.x+ ("size %u in %s"),
        // 2.6.38's without the task (linux-mm, "XFS memory allocation deadlock in 2.6.38")
        assertThat(feed("XFS: runc:[1:CHILD](3580) possible memory allocation deadlock in kmem_zone_alloc (mode:0x82d0) "))
                .isTrue();
        assertThat(feed("[ 5120.224318] XFS: kworker/u16:3(1234) possible memory allocation deadlock size 65552 in"
                + " kmem_alloc (mode:0x2400240)")).isTrue();
        assertThat(feed("Mar 29 18:01:02 host kernel: XFS: possible memory allocation deadlock in kmem_alloc (mode:0x250)"))
                .isTrue();
        // a mailer wrapped the first one at 72 columns, after "in"
        assertThat(feed("XFS: runc:[1:CHILD](3580) possible memory allocation deadlock in ")).isTrue();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.XFS_ALLOC_DEADLOCK);
        assertThat(events).extracting(KernelEvent::pid).containsExactly(3580, 1234, null, 3580);
        assertThat(events).extracting(KernelEvent::comm)
                .containsExactly("runc:[1:CHILD]", "kworker/u16:3", null, "runc:[1:CHILD]");
        assertThat(events.get(3).fields()).doesNotContainKey("function");
        assertThat(events.get(0).fields()).containsOnly(entry("function", "kmem_zone_alloc"), entry("mode", "0x82d0"));
        assertThat(events.get(1).fields()).containsOnly(entry("size", "65552"), entry("function", "kmem_alloc"),
                entry("mode", "0x2400240"));
        assertThat(evidence.taskOrNull(3580).comm()).isEqualTo("runc:[1:CHILD]");
        assertThat(evidence.taskOrNull(3580).state()).isEqualTo(TaskState.UNKNOWN);
    }

    @Test
    void netdevUnregisterWaitOfEveryShape() {
        // coreos/bugs issue 254 (corpus zj-004), moby issue 9605 behind a syslog prefix (zj-003), rancher issue 931
        // (h-012, a count of 4), and the same line cut after the device's name by a page
        assertThat(feed("[60246.744069] unregister_netdevice: waiting for lo to become free. Usage count = 1")).isTrue();
        assertThat(feed("Mar  5 03:44:07 hostname kernel: [732406.124070] unregister_netdevice: waiting for lo to become"
                + " free. Usage count = 1")).isTrue();
        assertThat(feed("[73078.620123] unregister_netdevice: waiting for lo to become free. Usage count = 4")).isTrue();
        assertThat(feed("[60337.236076] unregister_netdevice: waiting for vethdb2b4ec")).isTrue();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.NETDEV_UNREGISTER_WAIT);
        assertThat(events).extracting(e -> e.fields().get("dev")).containsExactly("lo", "lo", "lo", "vethdb2b4ec");
        assertThat(events).extracting(e -> e.fields().get("usage")).containsExactly("1", "1", "4", null);
        assertThat(events).extracting(KernelEvent::pid).containsOnlyNulls();
    }

    @Test
    void otherUnregisterWordsAreNoWait() {
        // the 2003 lkml report retyped by hand ("unregistering_", lower-case "usage"), a line cut before the name,
        // and a sentence quoting the message's start
        assertThat(feed("unregistering_netdevice: waiting for eth0 to become free. usage count = -4")).isFalse();
        assertThat(feed("[60337.236076] unregister_netdevice: waiting for")).isFalse();
        assertThat(feed("unregister_netdevice: waiting for the device to become free takes minutes")).isFalse();
        assertThat(feed("unregister_netdevice: waiting for lo to become free, then docker hangs")).isFalse();
        sink.finish();
        assertThat(evidence.allEvents()).isEmpty();
    }

    @Test
    void otherXfsMessagesAreNoAllocationLoop() {
        assertThat(feed("[    4.123456] XFS (sda1): Mounting V5 Filesystem")).isFalse();
        assertThat(feed("XFS: possible memory allocation deadlock")).isFalse();
        assertThat(feed("XFS: a(b) possible memory allocation deadlock in kmem_alloc (mode:0x250)")).isFalse();
        assertThat(feed("XFS: a(1) possible memory allocation deadlock was fixed in 4.13")).isFalse();
        sink.finish();
        assertThat(evidence.allEvents()).isEmpty();
    }

    @Test
    void storageDeviceTimeoutsAndFailedCommands() {
        // raspberrypi/linux issue 3169 (mmc), inindev/nanopi-r5 issue 23 (nvme), and the printk formats of
        // drivers/nvme/host/pci.c (older and 6.x), drivers/mmc/host/sdhci.c, scsi_lib.c and libata-eh.c
        assertThat(feed("Jun 15 00:12:40 mpi540-cm3 kernel: mmcblk1: error -110 sending stop command, original cmd"
                + " response 0x900, card status 0x400e00")).isTrue();
        assertThat(feed("[  107.508575] nvme nvme0: I/O 12 QID 0 timeout, completion polled")).isTrue();
        assertThat(feed("nvme nvme0: I/O 123 QID 4 timeout, aborting")).isTrue();
        assertThat(feed("nvme nvme1: I/O tag 17 (1011) opcode 0x2 (Read) QID 3 timeout, reset controller")).isTrue();
        assertThat(feed("mmc0: Timeout waiting for hardware interrupt.")).isTrue();
        assertThat(feed("mmcblk0: error -84 transferring data, sector 2048, nr 8, cmd response 0x900, card status 0xb00"))
                .isTrue();
        assertThat(feed("sd 2:0:0:0: timing out command, waited 180s")).isTrue();
        assertThat(feed("ata1.00: failed command: READ FPDMA QUEUED")).isTrue();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.STORAGE_DEVICE_ERROR);
        assertThat(events).extracting(e -> e.fields().get("dev"))
                .containsExactly("mmcblk1", "nvme0", "nvme0", "nvme1", "mmc0", "mmcblk0", "2:0:0:0", "ata1.00");
        assertThat(events).extracting(e -> e.fields().get("driver"))
                .containsExactly("mmc", "nvme", "nvme", "nvme", "mmc", "mmc", "scsi", "ata");
        assertThat(events).extracting(e -> e.fields().get("what"))
                .containsExactly("timeout", "timeout", "timeout", "timeout", "timeout", "error", "timeout", "error");
        assertThat(evidence.tasks()).isEmpty();
    }

    @Test
    void theHungTaskNoticeAloneStandsForAReportWhoseHeaderWasNotKept() {
        // corpus r-025 (a Japanese blog: the console's only line, in a code span)
        assertThat(feed("`\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.`")).isFalse();
        sink.finish();
        assertThat(evidence.events(KernelEventKind.HUNG_TASK)).hasSize(1);
        assertThat(evidence.hungTaskNotices()).isEqualTo(1);
    }

    @Test
    void theHungTaskNoticeUnderAHeaderAddsNoSecondReport() {
        feed("[  240.421114] INFO: task jbd2/sda1-8:312 blocked for more than 120 seconds.");
        feed("[  240.421120] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.HUNG_TASK)).hasSize(1);
    }

    @Test
    void aSoftLockupMessageQuotedInASentenceAndCutBeforeItsCpu() {
        // corpus r-010 (Microsoft's Japanese HDInsight article): the words in a code span, the CPU's number not given
        assertThat(feed("watchdog: BUG: soft lockup - CPU` \u3068\u3044\u3046\u30a8\u30e9\u30fc")).isTrue();
        // a CPU word that goes on is no cut message
        assertThat(feed("watchdog: BUG: soft lockup - CPUs are fine here")).isFalse();
        sink.finish();
        assertThat(evidence.events(KernelEventKind.SOFT_LOCKUP)).hasSize(1);
    }

    @Test
    void nvmeOverFabricsTimeoutsAndLostTargetsAreDeviceErrors() {
        // corpus q-011 (openebs/mayastor, nvme-tcp on 5.10): the old nvme-tcp timeout and a queue that cannot connect
        assertThat(feed("[19233.677582] nvme nvme10: queue 0: timeout request 0x0 type 4")).isTrue();
        assertThat(feed("[19233.683856] nvme nvme10: Connect command failed, error wo/DNR bit: 881")).isTrue();
        assertThat(feed("[19233.690035] nvme nvme10: failed to connect queue: 0 ret=881")).isTrue();
        // a queue's ordinary news, and the words elsewhere in a line, are not
        assertThat(feed("nvme nvme0: queue 1: ready")).isFalse();
        assertThat(feed("nvme nvme0: 8/0/0 default/read/poll queues")).isFalse();
        assertThat(feed("nvme-cli: Connect command failed, error wo/DNR bit: 881 (from a tool's own log)")).isFalse();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.STORAGE_DEVICE_ERROR);
        assertThat(events).extracting(e -> e.fields().get("dev")).containsExactly("nvme10", "nvme10", "nvme10");
        assertThat(events).extracting(e -> e.fields().get("what")).containsExactly("timeout", "error", "error");
    }

    @Test
    void scsiCommandsAbortedOrFailedAreDeviceErrors() {
        // gardenlinux issue 945 (corpus l-014, VMware pvscsi), minio issue 4102 (corpus l-022, LSI Fusion MPT);
        // the FAILED Result line in the format of drivers/scsi/scsi_logging.c
        assertThat(feed("[1984684.457335] sd 0:0:0:0: [sda] tag#99 task abort on host 0, 0000000002af6841")).isTrue();
        assertThat(feed("[11271.443913] mptscsih: ioc0: attempting task abort! (sc=ffff88081551d200)")).isTrue();
        assertThat(feed("sd 2:0:0:0: [sdb] tag#0 FAILED Result: hostbyte=DID_BAD_TARGET driverbyte=DRIVER_OK")).isTrue();
        // the command's bytes, printed under the abort, are no error of their own
        assertThat(feed("[11271.443925] sd 32:0:1:0: [sdb] tag#15 CDB: Write(16) 8a 00 00 00 00 00 0d e3 70 00 00 00 06 00 00 00"))
                .isFalse();
        assertThat(feed("mptscsih: ioc0: task abort: SUCCESS (rv=2002) (sc=ffff88081551d200)")).isFalse();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.STORAGE_DEVICE_ERROR);
        assertThat(events).extracting(e -> e.fields().get("dev")).containsExactly("0:0:0:0", "ioc0", "2:0:0:0");
        assertThat(events).extracting(e -> e.fields().get("what")).containsExactly("timeout", "timeout", "error");
    }

    @Test
    void scsiUnitAttentionOfAResetIsADeviceReset() {
        // longhorn issue 12574 (corpus zj-012, iSCSI LUNs of a K3s node with printk caller ids), r-017's megaraid disk;
        // the words of drivers/scsi/scsi_error.c scsi_report_sense for ASC 0x29
        assertThat(feed("[517201.474062] [      C0] sd 20:0:0:1: Power-on or device reset occurred")).isTrue();
        assertThat(feed("sd 8:0:0:1: Power-on or device reset occurred")).isTrue();
        // the other unit attentions of the same function are no reset
        assertThat(feed("sd 2:0:0:0: Mode parameters changed")).isFalse();
        assertThat(feed("sd 2:0:0:0: Capacity data has changed")).isFalse();
        assertThat(feed("sd 2:0:0:0: Power-on or device reset occurred, says the user")).isFalse();
        // a disk's first unit attention while the boot probes it (a QEMU virtio-scsi disk, linux-scsi reply to
        // 20210610135833.46663-1-hare@suse.de): the power-on it saw, no reset of a disk in use
        feed("[    3.220967] sd 0:0:0:0: Power-on or device reset occurred");
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.STORAGE_DEVICE_ERROR);
        assertThat(events).extracting(e -> e.fields().get("dev")).containsExactly("20:0:0:1", "8:0:0:1");
        assertThat(events).extracting(e -> e.fields().get("what")).containsExactly("reset", "reset");
    }

    @Test
    void networkBlockDeviceTransportFailuresAreDeviceErrors() {
        // spdk issue 1103 (corpus x-013, nbd on 4.4), nbd.c nbd_xmit_timeout's formats; an iSCSI initiator's lost
        // connection as dmesg and a syslog print it (scsi_transport_iscsi.c iscsi_conn_error_event)
        assertThat(feed("[253005.566744] block nbd13: Receive control failed (result -32)")).isTrue();
        assertThat(feed("block nbd0: Possible stuck request 00000000c1e4b5a3: control (read@0,4096B). Runtime 30 seconds"))
                .isTrue();
        assertThat(feed("[169409.608301]  connection1:0: detected conn error (1020)")).isTrue();
        assertThat(feed("Jun 20 10:37:58 k8smaster2 kernel: [89069.266974]  connection1:0: detected conn error (1020)"))
                .isTrue();
        // the user's own disconnect is no failure
        assertThat(feed("[253005.566712] block nbd13: shutting down socket")).isFalse();
        assertThat(feed("[253068.445128] block nbd0: NBD_DISCONNECT")).isFalse();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.STORAGE_DEVICE_ERROR);
        assertThat(events).extracting(e -> e.fields().get("dev"))
                .containsExactly("nbd13", "nbd0", "connection1:0", "connection1:0");
        assertThat(events).extracting(e -> e.fields().get("driver")).containsExactly("nbd", "nbd", "iscsi", "iscsi");
        assertThat(events).extracting(e -> e.fields().get("what")).containsExactly("error", "timeout", "error", "error");
    }

    @Test
    void hostAdaptersWaitingForAbortingOrResettingCommandsAreDeviceErrors() {
        // corpus t-023 (kubernetes issue 85880, megaraid_sas_fusion.c in a journal), corpus r-017 (megaraid_sas's
        // error handler on loongarch64), pykdump's crashinfo documentation (qla2xxx aborts before a hang), a
        // linux-scsi qla2xxx thread ("Abort command issued ... 2003", the resets after it), the linux-scsi aacraid
        // Series-6 thread (Konstantin Khorenko, 2019: mkfs in D behind the resets), a linux-scsi mpt3sas report
        // (2025, dmesg -T); hpsa.c's controller_lockup_detected format
        assertThat(feed("Dec 03 20:30:06 b-dok1-ps-013 kernel: megaraid_sas 0000:5a:00.0: [30]waiting for 65 commands"
                + " to complete for scsi0")).isTrue();
        // the same line cut by a console at 80 columns
        assertThat(feed("Dec 03 20:30:11 b-dok1-ps-013 kernel: megaraid_sas 0000:5a:00.0: [35]waiting for 65 comm"))
                .isTrue();
        assertThat(feed("[ 1267.128479] sd 4:0:8:0: attempting target reset! scmd(0x00000000803bf156) tm_dev_handle:"
                + " 0xd")).isTrue();
        assertThat(feed("[ 1267.519587] sd 4:0:8:0: [sda] tag#535 OCR is requested due to IO timeout!!")).isTrue();
        assertThat(feed("[ 1139.788068] qla2xxx [0000:01:00.0]-801c:0: Abort command issued nexus=0:0:2 --  1 2002."))
                .isTrue();
        assertThat(feed("qla2xxx [0000:af:00.7]-8009:4: DEVICE RESET ISSUED nexus=4:0:0 cmd=000000005642c8ad."))
                .isTrue();
        assertThat(feed("[  654.894633] aacraid: Host adapter abort request.")).isTrue();
        assertThat(feed("[  699.442950] aacraid: Host adapter reset request. SCSI hang ?")).isTrue();
        assertThat(feed("[Thu Jun 12 20:07:53 2025] mpt3sas_cm0: Command Timeout")).isTrue();
        assertThat(feed("hpsa 0000:03:00.0: Controller lockup detected: 0x00130000")).isTrue();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.STORAGE_DEVICE_ERROR);
        assertThat(events).extracting(e -> e.fields().get("dev")).containsExactly("0000:5a:00.0", "0000:5a:00.0",
                "4:0:8:0",
                "4:0:8:0", "0000:01:00.0", "0000:af:00.7", "aacraid", "aacraid", "mpt3sas_cm0", "0000:03:00.0");
        assertThat(events).extracting(e -> e.fields().get("driver")).containsExactly("megaraid_sas", "megaraid_sas",
                "scsi", "scsi",
                "qla2xxx", "qla2xxx", "aacraid", "aacraid", "mpt3sas", "hpsa");
        assertThat(events).extracting(e -> e.fields().get("what")).containsExactly("timeout", "timeout", "reset",
                "reset", "timeout", "reset", "timeout", "reset", "timeout", "hung");
    }

    @Test
    void hostAdaptersOrdinaryMessagesAreNoDeviceErrors() {
        // corpus r-017's interrupt toggling, megaraid_sas_base.c's boot notice, the aacraid thread's reset that
        // worked, pykdump's qla2xxx entry trace, the mpt3sas report's ioctl name line, openstreetmap operations issue
        // 1201's hpsa reset that completed
        assertThat(feed("[ 1267.017313] megaraid_sas 0001:08:00.0: megasas_disable_intr_fusion is called"
                + " outbound_intr_mask:0x40000009")).isFalse();
        assertThat(feed("megaraid_sas 0000:5a:00.0: FW now in Ready state")).isFalse();
        assertThat(feed("[  850.296705] aacraid 0000:03:00.0: IOP reset succeeded")).isFalse();
        assertThat(feed("qla2xxx [0000:af:00.0]-188c:23: Entered qla24xx_abort_command.")).isFalse();
        assertThat(feed("[Thu Jun 12 20:07:53 2025] mpt3sas_cm0: In func: _ctl_do_mpt_command")).isFalse();
        assertThat(feed("[1378283.684891] hpsa 0000:05:00.0: scsi 0:1:0:0: reset logical  completed successfully"
                + " Direct-Access     HP       LOGICAL VOLUME   RAID-1(+0) SSDSmartPathCap+ En+ Exp=1")).isFalse();
        sink.finish();
        assertThat(evidence.allEvents()).isEmpty();
    }

    @Test
    void aTegraEngineWhoseSyncpointDoesNotMoveIsAHungAccelerator() {
        // corpus q-018 (Jetson AGX Orin, nvhost's nvhost_syncpt_wait_timeout through dev_warn)
        assertThat(feed("[  119.263096] host1x 13e10000.host1x: vpi_sample_05_b: syncpoint id 31 (pva_syncpt) stuck"
                + " waiting 1, timeout=519311586")).isTrue();
        // the same wait that still moves, and the debug dump printed under it, are not
        assertThat(feed("host1x 13e10000.host1x: vpi_sample_05_b: syncpoint id 31 (pva_syncpt) progressing slowly 1,"
                + " timeout=519311586")).isFalse();
        assertThat(feed("host1x 13e10000.host1x: ---- syncpts ----")).isFalse();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.GPU_HANG);
        assertThat(events).extracting(e -> e.fields().get("driver")).containsExactly("host1x");
        assertThat(events).extracting(e -> e.fields().get("dev")).containsExactly("13e10000.host1x");
    }

    @Test
    void gpuDriversReportingAHungGpu() {
        // corpus n-023 (4.x amdgpu, DRM_INFO), public reports of 6.x amdgpu (dev_err), 4.x amdgpu (DRM_ERROR),
        // i915 (6.0 on Xen, drm_notice), msm, panfrost and etnaviv (dri-devel), the NVIDIA driver's Xid lines
        assertThat(feed("[  599.297966] [drm] IP block:gmc_v8_0 is hung!")).isTrue();
        assertThat(feed("[Mon Feb 24 13:41:31 2025] amdgpu 0000:64:00.0: amdgpu: ring gfx_0.0.0 timeout, signaled"
                + " seq=54114692, emitted seq=54114694")).isTrue();
        assertThat(feed("[14116.872461] [drm:amdgpu_job_timedout [amdgpu]] *ERROR* ring gfx timeout, last signaled"
                + " seq=1653418, last emitted seq=1653420")).isTrue();
        assertThat(feed("amdgpu: GPU reset begin!")).isTrue();
        assertThat(feed("[   58.339769] i915 0000:00:02.0: [drm] GPU HANG: ecode 8:1:86dfdffb, in gnome-shell [632]"))
                .isTrue();
        assertThat(feed("[   58.341161] i915 0000:00:02.0: [drm] Resetting rcs0 for stopped heartbeat on rcs0"))
                .isTrue();
        assertThat(feed("msm_dpu ae01000.display-controller: [drm:hangcheck_handler [msm]] *ERROR* 67.5.12.1:"
                + " hangcheck detected gpu lockup rb 0!")).isTrue();
        assertThat(feed("[  152.539797] panfrost ffe40000.gpu: gpu sched timeout, js=1, config=0x7300, status=0x51,"
                + " head=0x30913c0, tail=0x30913c0, sched_job=0000000038cecaf6")).isTrue();
        assertThat(feed("[  214.052085] etnaviv-gpu 38000000.gpu: recover hung GPU!")).isTrue();
        assertThat(feed("Dec 23 23:32:27 rescue kernel: [  270.439207] NVRM: Xid (PCI:0000:01:00): 62, 0096(1c54)"
                + " 00000000 00000000")).isTrue();
        sink.finish();
        List<KernelEvent> events = evidence.events(KernelEventKind.GPU_HANG);
        assertThat(events).extracting(e -> e.fields().get("driver")).containsExactly("amdgpu", "amdgpu", "amdgpu",
                "amdgpu", "i915", "i915", "msm", "panfrost", "etnaviv", "nvidia");
        assertThat(events).extracting(e -> e.fields().get("what")).containsExactly("hung", "timeout", "timeout",
                "reset", "hung", "reset", "hung", "timeout", "hung", "xid 62");
        assertThat(events).extracting(e -> e.fields().get("dev")).containsExactly(null, "0000:64:00.0", null, null,
                "0000:00:02.0", "0000:00:02.0", "ae01000.display-controller", "ffe40000.gpu", "38000000.gpu",
                "0000:01:00");
        assertThat(evidence.tasks()).isEmpty();
    }

    @Test
    void gpuMessagesWithoutAHangAreNoGpuHang() {
        // a ring the driver soft-recovered, a channel error Xid (32, 16-bit data), a reset that went well, a
        // saved error state and the probe line (public amdgpu, i915 and NVIDIA reports)
        assertThat(feed("[14789.914311] myhost kernel: [drm:amdgpu_job_timedout [amdgpu]] *ERROR* ring gfx timeout,"
                + " but soft recovered")).isFalse();
        assertThat(feed("kernel: amdgpu 0000:03:00.0: amdgpu: ring gfx_0.0.0 timeout, but soft recovered")).isFalse();
        assertThat(feed("Dec 23 23:30:56 rescue kernel: [  179.437933] NVRM: Xid (PCI:0000:01:00): 32, Channel ID"
                + " 00000005 intr 00008000")).isFalse();
        // one application's graphics engine exception (an older driver's Xid line, without "PCI:")
        assertThat(feed("Oct 23 15:24:29 111 kernel: [15879.824397] NVRM: Xid (0000:00:05): 13, 0000 e0019700 00004497"
                + " 00001808 00000000 00400000")).isFalse();
        assertThat(feed("amdgpu 0000:06:00.0: amdgpu: Ring sdma0 reset succeeded")).isFalse();
        assertThat(feed("[ 1219.395917] i915 0000:00:02.0: [drm] GPU error state saved to /sys/class/drm/card1/error"))
                .isFalse();
        assertThat(feed("[14116.872466] [drm] No hardware hang detected. Did some blocks stall?")).isFalse();
        assertThat(feed("[drm] amdgpu kernel modesetting enabled.")).isFalse();
        sink.finish();
        assertThat(evidence.allEvents()).isEmpty();
    }

    @Test
    void healthyDeviceMessagesAreNoDeviceError() {
        // a device being found and set up (nanopi-r5 issue 23 and ordinary boot logs)
        assertThat(feed("[   46.097927] nvme nvme0: pci function 0002:01:00.0")).isFalse();
        assertThat(feed("nvme nvme0: 4/0/0 default/read/poll queues")).isFalse();
        assertThat(feed("mmc0: new high speed SDHC card at address aaaa")).isFalse();
        assertThat(feed("mmcblk0: mmc0:aaaa SC16G 14.8 GiB")).isFalse();
        assertThat(feed("sd 0:0:0:0: [sda] Attached SCSI removable disk")).isFalse();
        assertThat(feed("ata1: SATA link up 6.0 Gbps (SStatus 133 SControl 300)")).isFalse();
        sink.finish();
        assertThat(evidence.allEvents()).isEmpty();
    }

    @Test
    void kernelReleaseFromBannerDumpStackAndTaintLines() {
        feed("[    0.000000] Linux version 3.10.0-862.el7.x86_64 (builder@kbuilder.dev.centos.org) (gcc version 4.8.5 "
                + "20150623 (Red Hat 4.8.5-28) (GCC) ) #1 SMP Fri Apr 20 16:44:24 UTC 2018");
        // kubernetes 56891, harvester 2419, systemd-centos-ci 660 (build id), dump_stack.c 6.11+ UID form
        feed("[Thu Dec  7 00:13:22 2017] CPU: 9 PID: 14881 Comm: java Tainted: G    B          ------------ T "
                + "3.10.0-327.4.5.el7.x86_64 #1");
        feed("Jun 23 10:10:34 hv kernel: CPU: 3 PID: 10612 Comm: CPU 2/KVM Tainted: G          I    X    "
                + "5.3.18-150300.59.63-default #1 SLE15-SP3");
        feed("[   36.560762] CPU: 3 PID: 0 Comm: swapper/3 Tainted: G             L     6.5.3-arch1-1 #1 "
                + "ed5b3b894d0aeb37298a77837232ca9b353cc27d");
        feed("CPU: 3 UID: 0 PID: 42 Comm: kworker/3:1 Not tainted 6.12.0-rc1 #1");
        feed("CPU: 0 PID: 1 Comm: init Kdump: loaded Not tainted 4.19.0 #1");
        // the hung-task report's taint line (Open-CAS 746, GoogleCloudPlatform 905)
        feed("[ 3073.910063]       Tainted: G           OE    --------- -  - 4.18.0-240.el8.x86_64 #1");
        feed("[34315.127680]       Not tainted 5.10.0-8-cloud-amd64 #1 Debian 5.10.46-4");
        // repeats are not new events
        feed("[ 3073.910063]       Tainted: G           OE    --------- -  - 4.18.0-240.el8.x86_64 #1");
        sink.finish();
        assertThat(evidence.host().kernelRelease()).isEqualTo("3.10.0-862.el7.x86_64");
        List<KernelEvent> events = evidence.events(KernelEventKind.KERNEL_VERSION);
        assertThat(events).extracting(e -> e.field("release")).containsExactly("3.10.0-862.el7.x86_64",
                "3.10.0-327.4.5.el7.x86_64", "5.3.18-150300.59.63-default", "6.5.3-arch1-1", "6.12.0-rc1", "4.19.0",
                "4.18.0-240.el8.x86_64", "5.10.0-8-cloud-amd64");
        KernelEvent sle = events.get(2);
        assertThat(sle.pid()).isEqualTo(10612);
        assertThat(sle.comm()).isEqualTo("CPU 2/KVM");
        assertThat(sle.cpu()).isEqualTo(3);
        assertThat(events.get(4).comm()).isEqualTo("kworker/3:1");
        assertThat(events.get(5).comm()).isEqualTo("init");
    }

    @Test
    void kernelReleaseFromCollapsedTaintLineAndCrashSys() {
        // corpus u-008 (a page collapsed the taint line's indentation), u-017 (crash's sys, then its PANIC line)
        feed("[ 605.178434] Not tainted 4.11.0-041100rc8-generic #201704232131");
        feed("     RELEASE: 2.6.32-220.el6.x86_64");
        feed("RELEASE: 3.10.0-1160.el7.x86_64");
        // words, not a release
        feed("RELEASE: see the notes below");
        // the reader cuts crash's 'PANIC: "Kernel panic - ..."' at the panic's words; the closing quote stays
        feed("Kernel panic - not syncing: Watchdog detected hard LOCKUP on cpu 2\"");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.KERNEL_VERSION)).extracting(e -> e.field("release"))
                .containsExactly("4.11.0-041100rc8-generic", "2.6.32-220.el6.x86_64", "3.10.0-1160.el7.x86_64");
        assertThat(evidence.events(KernelEventKind.PANIC)).extracting(e -> e.field("reason"))
                .containsExactly("Watchdog detected hard LOCKUP on cpu 2");
        assertThat(evidence.events(KernelEventKind.HARD_LOCKUP)).extracting(KernelEvent::cpu).containsExactly(2);
    }

    @Test
    void faultProbeFromSeed000() {
        feed(":Sat Aug 29 06:32:19 2020,runc:[2:INIT],call handle_mm_fault tid=112272,address=cd3468,"
                + "vma=0xffff9adf54e2c000,flags=a9");
        KernelEvent e = only(KernelEventKind.FAULT_PROBE);
        assertThat(e.pid()).isEqualTo(112272);
        assertThat(e.comm()).isEqualTo("runc:[2:INIT]");
        assertThat(e.fields()).containsEntry("time", "Sat Aug 29 06:32:19 2020").containsEntry("function",
                "handle_mm_fault").containsEntry("tid", "112272").containsEntry("address", "cd3468")
                .containsEntry("vma", "0xffff9adf54e2c000").containsEntry("flags", "a9");
    }

    @Test
    void noiseIsNotAnEvent() {
        String[] noise = {
                "[    0.000000] Command line: BOOT_IMAGE=/vmlinuz-3.10.0-862.el7.x86_64 root=/dev/mapper/centos-root",
                // the hung-task notice alone stands for a report (theHungTaskNoticeAloneStandsForAReport...)
                "[ 4080.123700] jbd2/md127-8    D ffff9f53ff35bbf0     0   587      2 0x00000000",
                "[ 4080.123900]  [<ffffffffb139eb09>] schedule+0x29/0x70",
                "[34315.151697] Call Trace:",
                "[ 3073.953150]  ? __wake_up_common_lock+0x89/0xc0",
                "task:jbd2/sda1-8     state:D stack:    0 pid:  161 ppid:     2 flags:0x00004000",
                "Oct 24 01:36:33 sn01 kernel: Modules linked in: xt_conntrack nft_chain_nat xt_MASQUERADE",
                "Jun 23 10:10:34 hv kernel: Hardware name: Dell Inc. PowerEdge R440/04JN2K, BIOS 2.13.3 12/17/2021",
                "Nov 18 10:34:27 kernel: sd 0:0:0:0: Device offlined - not ready after error recovery",
                "Apr 12 20:40:03 seireitei oomd[14628]: [../src/oomd/engine/Ruleset.cpp:112] Running Action=kill",
                "[ 7063.263325] oom_reaper: reaped process 63214 (uwsgi), now anon-rss:0kB, file-rss:0kB, shmem-rss:92kB",
                "[Thu Dec  7 00:13:22 2017] java cpuset=1e479e759020fa0b6c72def90973540a2d33982fea mems_allowed=0",
                // the OOM killer's task-table header was here: it is that table's (oomTaskTableHeadersOfEachGeneration)
                "PID: 587 TASK: ffff9f53f8c31070 CPU: 5 COMMAND: \"jbd2/md127-8\"",
                "#2 [ffff9f53ff35bc98] jbd2_journal_commit_transaction at ffffffffc01fe8b0 [jbd2]",
                "RIP: ffffffff810c9658 RSP: ffff882f7fc83dc8 RFLAGS: 00000046",
                "CPU: 5",
                "INFO: task",
                // "INFO: task foo blocked for more than 120 seconds." was here: a header whose pid the paste left out
                // is a hung-task report without a number (hungTaskWithoutAPidIsStillAReport)
                "INFO: task foo:bar baz blocked for more than 120 seconds.",
                "INFO: task foo:99999999999 blocked for more than 120 seconds.",
                "INFO: task a:1 is blocked on a spinlock likely owned by task b:2.",
                "BUG: soft lockup in ext4_writepages",
                "Killed process",
                "Task in",
                "oom-kill:",
                "---[ end Kernel panic - not syncing: Hard LOCKUP ]---",
                "Tainted: [W]=WARN, [O]=OOT_MODULE",
                "      Tainted: [W]=WARN",
                "systemd[1]: Started Session 3 of user root.",
                "goroutine 146 [select, 8817 minutes]:",
                "",
                " ",
                "\uFFFD\uFFFD\uFFFD"};
        for (String line : noise) {
            assertThat(feed(line)).as(line).isFalse();
        }
        sink.finish();
        assertThat(evidence.allEvents()).isEmpty();
        assertThat(evidence.tasks()).isEmpty();
    }
}
