package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.LockOwnerHint;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One fixture per log style (origins in src/test/resources/logs/README.md), read whole by EvidenceReader. */
class KernelLogFixturesTest {

    private static Evidence read(String name) throws IOException {
        try (InputStream in = KernelLogFixturesTest.class.getResourceAsStream("/logs/" + name)) {
            assertThat(in).as(name).isNotNull();
            return EvidenceReader.read(in, name);
        }
    }

    @Test
    void centos7VmcoreDmesg() throws IOException {
        Evidence e = read("centos7-oom-hung.log");
        assertThat(e.formats()).contains("dmesg");
        assertThat(e.host().kernelRelease()).isEqualTo("3.10.0-862.el7.x86_64");
        assertThat(e.events(KernelEventKind.KERNEL_VERSION)).hasSize(1);
        assertThat(e.events(KernelEventKind.OOM_INVOKED)).extracting(KernelEvent::comm).containsExactly("ext4-repro-with");
        assertThat(e.events(KernelEventKind.MEMCG_STATUS)).hasSize(4);
        assertThat(e.events(KernelEventKind.OOM_KILL_CHOSEN)).extracting(KernelEvent::pid).containsExactly(27158);
        KernelEvent killed = e.events(KernelEventKind.OOM_KILLED).get(0);
        assertThat(killed.pid()).isEqualTo(27153);
        assertThat(killed.source()).isEqualTo("centos7-oom-hung.log:13");
        assertThat(killed.timestamp()).isEqualTo(3891.875313);
        assertThat(e.events(KernelEventKind.HUNG_TASK)).extracting(KernelEvent::pid).containsExactly(587, 27153);
        assertThat(e.taskOrNull(587).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(e.taskOrNull(27153).blockedSeconds()).isEqualTo(120L);
        assertThat(e.events(KernelEventKind.SYSRQ)).hasSize(1);
        assertThat(e.events(KernelEventKind.HARD_LOCKUP)).extracting(KernelEvent::cpu).containsExactly(50);
        assertThat(e.events(KernelEventKind.PANIC)).extracting(ev -> ev.field("reason")).containsExactly("Hard LOCKUP");
    }

    @Test
    void varLogMessages() throws IOException {
        Evidence e = read("messages.txt");
        assertThat(e.formats()).contains("syslog");
        assertThat(e.events(KernelEventKind.HUNG_TASK)).extracting(KernelEvent::comm).containsExactly("kworker/0:1");
        assertThat(e.events(KernelEventKind.HUNG_TASK).get(0).timestamp()).isEqualTo(4175.853799);
        assertThat(e.host().kernelRelease()).isEqualTo("4.9.28-v7+");
        assertThat(e.events(KernelEventKind.MEMCG_STATUS)).hasSize(3);
        assertThat(e.events(KernelEventKind.BLOCK_IO_ERROR)).extracting(ev -> ev.field("dev"))
                .containsExactly("sdd", "sdd", "0:0:0:0", "sdb", "sdb2");
        assertThat(e.events(KernelEventKind.NFS_NOT_RESPONDING)).extracting(ev -> ev.field("status"))
                .containsExactly("not-responding", "ok");
        assertThat(e.allEvents()).hasSize(1 + 1 + 3 + 5 + 2);
    }

    @Test
    void journalctlKernel() throws IOException {
        Evidence e = read("journal-k.txt");
        assertThat(e.formats()).contains("journalctl", "syslog");
        KernelEvent lockup = e.events(KernelEventKind.SOFT_LOCKUP).get(0);
        assertThat(lockup.cpu()).isZero();
        assertThat(lockup.pid()).isEqualTo(31283);
        assertThat(e.events(KernelEventKind.OOM_INVOKED)).extracting(KernelEvent::comm).containsExactly("CPU 2/KVM");
        assertThat(e.host().kernelRelease()).isEqualTo("5.3.18-150300.59.63-default");
        List<KernelEvent> stalls = e.events(KernelEventKind.RCU_STALL);
        assertThat(stalls).hasSize(2);
        assertThat(stalls.get(0).fields()).containsEntry("detected-by", "2").containsEntry("flavor", "rcu_preempt");
        assertThat(stalls.get(1).fields()).containsEntry("kind", "expedited");
        assertThat(e.events(KernelEventKind.SYSRQ)).hasSize(1);
    }

    @Test
    void devKmsg() throws IOException {
        Evidence e = read("kmsg.txt");
        assertThat(e.formats()).contains("kmsg").doesNotContain("kmsg-dict");
        assertThat(e.host().kernelRelease()).isEqualTo("6.15.0-rc3+");
        KernelEvent hung = e.events(KernelEventKind.HUNG_TASK).get(0);
        assertThat(hung.pid()).isEqualTo(13250);
        assertThat(hung.timestamp()).isEqualTo(65.123456);
        assertThat(e.taskOrNull(13229).lockOwnerHints())
                .containsExactly(new LockOwnerHint("mutex", null, "repro_20250402_", 13250));
        assertThat(e.events(KernelEventKind.SYSRQ)).extracting(ev -> ev.field("what")).containsExactly("Show State");
    }

    @Test
    void newerDmesgWithCallerIds() throws IOException {
        Evidence e = read("dmesg-5x-6x.txt");
        assertThat(e.formats()).contains("dmesg");
        assertThat(e.events(KernelEventKind.RCU_STALL).get(0).cpu()).isEqualTo(1);
        assertThat(e.events(KernelEventKind.SOFT_LOCKUP).get(0).comm()).isEqualTo("002-logging");
        assertThat(e.host().kernelRelease()).isEqualTo("5.10.119-linuxkit");
        assertThat(e.events(KernelEventKind.HUNG_TASK_LOCK_OWNER)).hasSize(2);
        assertThat(e.events(KernelEventKind.OOM_KILLED).get(0).fields()).containsEntry("scope", "memcg");
        assertThat(e.events(KernelEventKind.OOM_KILL_CONTEXT).get(0).pid()).isEqualTo(371272);
        assertThat(e.events(KernelEventKind.PANIC)).hasSize(1);
    }

    @Test
    void crlfLogReadsLikeLf() throws IOException {
        String log = "[ 4080.123456] INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.\r\n"
                + "[ 4080.123500]       Tainted: G               ------------ T 3.10.0-862.el7.x86_64 #1\r\n";
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "crlf.log");
        assertThat(e.events(KernelEventKind.HUNG_TASK).get(0).message())
                .isEqualTo("INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.");
        assertThat(e.host().kernelRelease()).isEqualTo("3.10.0-862.el7.x86_64");
    }

    @Test
    void invalidUtf8InACommStillParses() throws IOException {
        byte[] head = "[ 3891.875313] Killed process 27153 (ab".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "cd) total-vm:848900kB, anon-rss:499124kB, file-rss:868kB\n".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xff;
        all[head.length + 1] = (byte) 0xfe;
        System.arraycopy(tail, 0, all, head.length + 2, tail.length);
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(all), "bad.log");
        KernelEvent k = e.events(KernelEventKind.OOM_KILLED).get(0);
        assertThat(k.comm()).isEqualTo("ab\uFFFD\uFFFDcd");
        assertThat(k.fields()).containsEntry("anon-rss-kb", "499124");
    }
}
