package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kernel messages that quote text a local user chooses: a path given to an overlay mount in a user namespace
 * (fs/overlayfs: "overlayfs: failed to resolve '%s': %i") and an executable's path (fs/exec.c: "process '%pD4'
 * started with executable stack"). On a live host these records come through /dev/kmsg like any other. Whatever the
 * quoted text holds (here the kernel's own hang lines, each naming pid 12), the record is that message and nothing
 * else: no event naming a pid, no task.
 */
class HostileMessageTextTest {
    /** The kernel's lines that open a report naming a task, from the parser tests' real lines. */
    static Stream<String> openers() {
        return Stream.of(
                "INFO: task sshd:12 blocked for more than 120 seconds.",
                "task sshd:12 blocked for more than 120 seconds.",
                "watchdog: BUG: soft lockup - CPU#1 stuck for 99s! [sshd:12]",
                "BUG: soft lockup - CPU stuck for 23s! [sshd:12]",
                "Watchdog: Bug: soft lockup - CPU#0 stuck for 24s! [sshd:12]",
                "kernel BUG at mm/slub.c:305! PID: 12 Comm: sshd",
                "Out of memory: Killed process 12 (sshd) total-vm:1kB, anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
                "Memory cgroup out of memory: Killed process 12 (sshd) total-vm:1kB, anon-rss:0kB, file-rss:0kB",
                "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,task=sshd,pid=12,uid=0",
                "INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { P12 } 21 jiffies s: 73 root: 0x0/T",
                "rcu: \tTasks blocked on level-0 rcu_node (CPUs 0-10): P12/1:b..l",
                "task:sshd            state:D stack:0     pid:12    ppid:1      flags:0x00000000",
                "INFO: task sshd:13 is blocked on a mutex likely owned by task sshd:12.",
                "CPU: 1 PID: 12 Comm: sshd Not tainted 6.1.0 #1",
                // a report's words naming a task caught by a hang, and a wait channel in words (read in reports only)
                "a CPU 3 RCU stall with `sshd` (PID 12) stuck spinning",
                "sshd:12 stuck in D state",
                "/proc/12/wchan = request_wait_answer");
    }

    private static List<String> records(String quoted) {
        return List.of(
                "3,2231,1520221402,-;overlayfs: failed to resolve '/tmp/" + quoted + "': -2",
                "4,2232,1520221403,-;process '/tmp/" + quoted + "' started with executable stack",
                "[ 1520.221402] overlayfs: failed to resolve '/tmp/" + quoted + "': -2");
    }

    @ParameterizedTest
    @MethodSource("openers")
    void aQuotedLineMakesNoEventAndNoTask(String opener) throws IOException {
        for (String record : records(opener)) {
            Evidence e = EvidenceReader.read(new ByteArrayInputStream((record + "\n").getBytes(StandardCharsets.UTF_8)),
                    EvidenceReader.LIVE_KMSG);
            assertThat(e.allEvents()).as(record).extracting(KernelEvent::pid).allMatch(p -> p == null || p != 12);
            assertThat(e.tasks()).as(record).isEmpty();
        }
    }
}
