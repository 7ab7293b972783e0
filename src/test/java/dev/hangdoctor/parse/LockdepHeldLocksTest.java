package dev.hangdoctor.parse;

import dev.hangdoctor.model.HeldLock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockdepHeldLocksTest {

    @Test
    void aHolderLineNamesItsTaskByTheEndOfTheLine() {
        // corpus z-020 (syzbot, 6.9): the hung-task detector's "Showing all locks held in the system:"
        assertThat(LockdepHeldLocks.holder("2 locks held by syz-executor.4/5253:"))
                .isEqualTo(new LockdepHeldLocks.Holder("syz-executor.4", 5253));
        assertThat(LockdepHeldLocks.holder("4 locks held by kworker/u8:0/11:"))
                .isEqualTo(new LockdepHeldLocks.Holder("kworker/u8:0", 11));
        // a name any local user sets, holding the line's own words: the pid is where the format puts it
        assertThat(LockdepHeldLocks.holder("1 lock held by 2 held by x/9:/4242:"))
                .isEqualTo(new LockdepHeldLocks.Holder("2 held by x/9:", 4242));
        assertThat(LockdepHeldLocks.holder("no locks held by getty/4840.")).isNull();
        assertThat(LockdepHeldLocks.holder("2 locks held by nobody:")).isNull();
    }

    @Test
    void entriesOfEveryGeneration() {
        // 6.9 (z-020): the address, the class, usage and wait types, the function that asked
        HeldLock l = LockdepHeldLocks.entry(" #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740 mm/swap.c:867");
        assertThat(l).isEqualTo(new HeldLock(1, "ffffffff8dccfb08", "lock#3", "__lru_add_drain_all"));
        // syzbot's symbolizer repeats an entry for each inlined caller
        assertThat(LockdepHeldLocks.entry(" #0: ffff88805d6480e0 (&type->s_umount_key#52){++++}-{3:3}, at: __super_lock fs/super.c:56 [inline]"))
                .isEqualTo(new HeldLock(0, "ffff88805d6480e0", "&type->s_umount_key#52", "__super_lock"));
        // 3.x on MIPS (corpus f-019): no address; a class of many instances tells no lock apart
        assertThat(LockdepHeldLocks.entry("#0: (&sb->s_type->i_mutex_key){+.+.+.}, at: [<800f7c84>] lookup_slow+0x44/0xd4"))
                .isEqualTo(new HeldLock(0, null, "&sb->s_type->i_mutex_key", "lookup_slow"));
        // the pseudo-locks every worker of a workqueue, or every RCU reader, holds at once
        assertThat(LockdepHeldLocks.entry(" #0: ffff8880162d3148 ((wq_completion)netns){+.+.}-{0:0}, at: process_one_work+0x1296/0x1ac0")
                .instance()).isNull();
        assertThat(LockdepHeldLocks.entry(" #0: ffffffff8dbb1ae0 (rcu_read_lock){....}-{1:2}, at: debug_show_all_locks+0x75/0x340")
                .instance()).isNull();
        assertThat(LockdepHeldLocks.entry("#0 [ffff9f53ff35bc98] __schedule at ffffffffb0a5c5d5")).isNull();
    }
}
