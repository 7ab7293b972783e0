package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Cut-off and mangled real lines never make the prefix stripper or the event sink throw. */
class KernelLogRobustnessTest {
    private static final String[] REAL = {
            "[ 3891.873807] Memory cgroup out of memory: Kill process 27158 (ext4-repro-with-write) score 511 or "
                    + "sacrifice child",
            "[ 3891.875313] Killed process 27153 (ext4-repro-with-write), UID 0, total-vm:848900kB, anon-rss:499124kB",
            "<3>[  125.362363][  T140] INFO: task zsh:470 is blocked on a mutex likely owned by task zsh:470.",
            "[ 4302.448228][   T44] INFO: task modprobe:31634 <writer> blocked on an rw-semaphore likely owned by "
                    + "task kworker/u16:0:12 <reader>",
            "Oct 24 01:36:33 sn01 kernel: watchdog: BUG: soft lockup - CPU#0 stuck for 105s! [kworker/0:1:31283]",
            "kern  :info  : [Jan13 04:31] [Tue Jan 13 04:31:07 2026] [T10489]  connection7:0: detected conn error",
            "[Thu Dec  7 00:13:22 2017] java invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=-998",
            "[ 8654.886516] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,task=bash,"
                    + "pid=371272,uid=0",
            "7,160,424069,-;pci_root PNP0A03:00: host bridge window [io  0x0000-0x0cf7] (ignored)",
            "2020-08-29T06:32:19.123456+08:00 node1 kernel: nfs: server nfs1 not responding, still trying",
            "Sat 2020-08-29 06:32:19 CST node1 kernel: blk_update_request: I/O error, dev sdb, sector 1940865656 op "
                    + "0x1:(WRITE) flags 0x800",
            "[  103.087243] rcu: INFO: rcu_sched detected stalls on CPUs/tasks: { 1 2 } (detected by 0, t=38227)",
            "rcu: \t1-...!: (0 ticks this GP) idle=cf8/0/0x0 softirq=20/20 fqs=0 ",
            "CPU: 3 UID: 0 PID: 42 Comm: kworker/3:1 Not tainted 6.12.0-rc1 #1",
            ":Sat Aug 29 06:32:19 2020,runc:[2:INIT],call handle_mm_fault tid=112272,address=cd3468,flags=a9",
            "Buffer I/O error on dev sdaj1, logical block 83658496, async page read",
            "Task in /13 killed as a result of limit of /13",
            "memory: usage 4kB, limit 4kB, failcnt 8"};

    @Test
    void everyPrefixAndCutOfRealLinesIsSafe() {
        Evidence evidence = new Evidence();
        KernelEventSink sink = new KernelEventSink(evidence, "cut");
        long n = 0;
        for (String line : REAL) {
            for (int cut = 0; cut <= line.length(); cut++) {
                LogLine l = KernelLogPrefix.strip(line.substring(0, cut), ++n);
                assertThat(l.message()).isNotNull();
                sink.accept(l);
                sink.accept(KernelLogPrefix.strip(line.substring(cut), ++n));
            }
        }
        sink.finish();
        assertThat(evidence.allEvents()).isNotEmpty();
    }

    @Test
    void randomMutationsAreSafe() {
        Random random = new Random(42);
        String alphabet = "[]<>:;,.-+ \t#(){}=0123456789aAzZTC\uFFFD\r";
        Evidence evidence = new Evidence();
        KernelEventSink sink = new KernelEventSink(evidence, "fuzz");
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(REAL[random.nextInt(REAL.length)]);
            for (int k = random.nextInt(6); k > 0 && b.length() > 0; k--) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> b.deleteCharAt(at);
                    default -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            sink.accept(KernelLogPrefix.strip(b.toString(), i + 1));
        }
        sink.finish();
    }
}
