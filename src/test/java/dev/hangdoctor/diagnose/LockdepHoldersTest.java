package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LockdepHoldersTest {

    private static final String WAITER = """
            INFO: task syz-executor.4:5253 blocked for more than 143 seconds.
            task:syz-executor.4  state:D stack:23840 pid:5253  tgid:5253  ppid:1      flags:0x00004006
            Call Trace:
             <TASK>
             __schedule+0xf15/0x5d00 kernel/sched/core.c:6746
             schedule_preempt_disabled+0x13/0x30 kernel/sched/core.c:6895
             __mutex_lock+0x5b8/0x9c0 kernel/locking/mutex.c:752
             __lru_add_drain_all+0x69/0x740 mm/swap.c:867
             invalidate_bdev+0x9a/0xd0 block/bdev.c:95
             ext4_put_super+0x535/0xdd0 fs/ext4/super.c:1361
             </TASK>
            """;

    private static final String HOLDER = """
            INFO: task syz-executor.2:13585 blocked for more than 144 seconds.
            task:syz-executor.2  state:D stack:26592 pid:13585 tgid:13584 ppid:10964  flags:0x00004006
            Call Trace:
             <TASK>
             __schedule+0xf15/0x5d00 kernel/sched/core.c:6746
             schedule_timeout+0x258/0x2a0 kernel/time/timer.c:2558
             __wait_for_common+0x3de/0x5f0 kernel/sched/completion.c:116
             __flush_work+0x5c4/0xb10 kernel/workqueue.c:4218
             __lru_add_drain_all+0x52c/0x740 mm/swap.c:912
             invalidate_bdev+0x9a/0xd0 block/bdev.c:95
             </TASK>
            """;

    private static WaitGraph graph(String text) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x");
        return new WaitGraph(e);
    }

    @Test
    void theWaiterWaitsForTheTaskThatListsItsLockAndSleepsElsewhere() throws Exception {
        // corpus z-020 (syzbot, 6.9): lock#3 of mm/swap.c, asked for by 5253, held by 13585 flushing per-CPU works
        WaitGraph g = graph(WAITER + HOLDER + """
                Showing all locks held in the system:
                1 lock held by khungtaskd/31:
                 #0: ffffffff8dbb1ae0 (rcu_read_lock){....}-{1:2}, at: debug_show_all_locks+0x75/0x340 kernel/locking/lockdep.c:6614
                2 locks held by syz-executor.4/5253:
                 #0: ffff88805d6480e0 (&type->s_umount_key#52){++++}-{3:3}, at: deactivate_super+0xd6/0x100 fs/super.c:504
                 #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867
                2 locks held by syz-executor.2/13585:
                 #0: ffff88805b7460e0 (&type->s_umount_key#95/1){+.+.}-{3:3}, at: alloc_super+0x23d/0xbd0 fs/super.c:343
                 #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867
                """);
        assertThat(g.waitsFor(5253)).containsExactly(13585);
        assertThat(g.waitsFor(13585)).isEmpty();
    }

    @Test
    void aChainNoRuleTookIsASecondFindingBesideTheRulesOne() throws Exception {
        // corpus z-020: an fsync waiting for a jbd2 commit (the rule's finding) and, apart from it, the lock#3 chain
        String text = WAITER + HOLDER + """
                INFO: task syz-executor.1:12673 blocked for more than 143 seconds.
                task:syz-executor.1  state:D stack:23744 pid:12673 tgid:12673 ppid:1      flags:0x00004006
                Call Trace:
                 <TASK>
                 __schedule+0xf15/0x5d00 kernel/sched/core.c:6746
                 schedule+0xe7/0x350 kernel/sched/core.c:6838
                 jbd2_log_wait_commit+0x2ef/0x460 fs/jbd2/journal.c:697
                 ext4_sync_fs+0x694/0x860 fs/ext4/super.c:6338
                 sync_filesystem+0x1cc/0x290 fs/sync.c:66
                 ovl_sync_fs+0x142/0x1d0 fs/overlayfs/super.c:232
                 </TASK>
                2 locks held by syz-executor.4/5253:
                 #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867
                2 locks held by syz-executor.2/13585:
                 #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867
                """;
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x");
        e.savedReport(true);
        List<Finding> f = new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e).findings();
        assertThat(f).extracting(Finding::signature).containsExactly("jbd2-commit-stall", "unclassified-d-state");
        assertThat(f.get(1).rootCause().pid()).isEqualTo(13585);
        assertThat(f.get(1).victims()).extracting(TaskRef::pid).containsExactly(5253);
        // the same chain alone is the generic finding, once
        Evidence alone = EvidenceReader.read(new ByteArrayInputStream((WAITER + HOLDER + """
                2 locks held by syz-executor.4/5253:
                 #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867
                2 locks held by syz-executor.2/13585:
                 #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867
                """).getBytes(StandardCharsets.UTF_8)), "x");
        alone.savedReport(true);
        assertThat(new Diagnoser(KnowledgeBase.load(List.of())).diagnose(alone).findings()).hasSize(1);
    }

    @Test
    void listersThatMayBeAskingAsWellNameNobody() throws Exception {
        // corpus a-087 (syzbot, rtnl_dumpit): every other task listing rtnl_mutex lists it last and printed no stack
        WaitGraph g = graph("""
                INFO: task ifquery:17618 blocked for more than 145 seconds.
                task:ifquery         state:D stack:22632 pid:17618 tgid:17618 ppid:17610  task_flags:0x400000 flags:0x00000000
                Call Trace:
                 <task>
                 __schedule+0x1074/0x4d30 kernel/sched/core.c:6765
                 schedule+0xd4/0x210 kernel/sched/core.c:6857
                 schedule_preempt_disabled+0x13/0x30 kernel/sched/core.c:6914
                 __mutex_lock+0x1042/0x2020 kernel/locking/mutex.c:730
                 rtnl_dumpit+0x198/0x200 net/core/rtnetlink.c:6780
                ...
                2 locks held by ifquery/17618:
                 #0: ffff88800064a6c8 (nlk_cb_mutex-ROUTE){+.+.}-{4:4}, at: netlink_dump+0x6f3/0xc80 net/netlink/af_netlink.c:2254
                 #1: ffffffff8fee5d68 (rtnl_mutex){+.+.}-{4:4}, at: rtnl_dumpit+0x198/0x200 net/core/rtnetlink.c:6780
                2 locks held by syz-executor/17625:
                 #0: ffffffff8fecfdd0 (pernet_ops_rwsem){++++}-{4:4}, at: copy_net_ns+0x2c3/0x640 net/core/net_namespace.c:512
                 #1: ffffffff8fee5d68 (rtnl_mutex){+.+.}-{4:4}, at: ip_tunnel_init_net+0x30c/0xb10 net/ipv4/ip_tunnel.c:1159
                """);
        assertThat(g.waitsFor(17618)).isEmpty();
    }

    @Test
    void aLastLockItsStackDidNotAskForIsNotWhatItWaitsOn() throws Exception {
        // the same lists, but the waiter's stack sleeps in another function: lockdep does not say what it waits on
        WaitGraph g = graph(WAITER.replace("__lru_add_drain_all+0x69/0x740", "lru_cache_disable+0x12/0x40") + HOLDER + """
                2 locks held by syz-executor.4/5253:
                 #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867
                2 locks held by syz-executor.2/13585:
                 #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867
                """);
        assertThat(g.waitsFor(5253)).doesNotContain(13585);
    }
}
