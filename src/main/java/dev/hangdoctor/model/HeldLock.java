package dev.hangdoctor.model;

/**
 * One entry of lockdep's list of the locks a task holds ("2 locks held by syz-executor.4/5253:" then
 * " #1: ffffffff8dccfb08 (lock#3){+.+.}-{3:3}, at: __lru_add_drain_all+0x69/0x740"). Lockdep records a lock when
 * the task asks for it, so a task asleep on a lock lists that lock last.
 *
 * @param index    the entry's number (#N), in the order the task took its locks
 * @param instance which lock this is: its address, or the name of a lock that exists once (a static mutex); null
 *                 when the entry cannot tell one lock of its class from another
 * @param name     the lock's class as lockdep names it ("&type->s_umount_key#52", "rtnl_mutex")
 * @param at       the function that asked for it ("__lru_add_drain_all")
 */
public record HeldLock(int index, String instance, String name, String at) {
}
