package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task asleep on a kernel lock whose own stack shows it took that lock already: the function that asks for the
 * lock is also on the stack further out (phy_start_aneg taking the PHY mutex, then reached again through the link
 * handler and asking for it a second time). A mutex is not recursive, so such a task waits for itself: the owner of
 * its lock is known, it is the task. Nested forms (mutex_lock_nested, down_write_nested, inode_lock_nested) and
 * per-object wrappers (inode_lock) take a different object of the same kind by design, so they prove nothing.
 * A global lock asked for through its wrapper (rtnl_lock) is also held already when a function further out on the
 * stack is one the kernel runs only under that lock (net/core/dev.c's __dev_open asserts RTNL on entry), or one that
 * took the lock itself and called the next frame in only while holding it (a driver's probe that locks RTNL around
 * its registration: virtio_net's virtnet_probe runs virtnet_config_changed_work under it, whose announcement asks
 * for RTNL again). What runs after the lock was given back (rtnl_unlock's own work) asks for it anew.
 */
final class LockRecursion {
    /** The sleeping lock slow paths of 3.10 to 6.x (mutex, semaphore, rt-mutex, rw-semaphore). */
    private static final Set<String> SLOW = Set.of(
            "__mutex_lock", "__mutex_lock_slowpath", "__mutex_lock_common", "__mutex_lock_killable_slowpath",
            "__mutex_lock_interruptible_slowpath", "mutex_lock_killable", "__down", "__down_common",
            "__down_killable", "__down_interruptible", "__down_timeout", "rt_mutex_slowlock", "__rt_mutex_slowlock",
            "__rt_mutex_slowlock_locked", "rt_mutex_slowlock_block");

    /** The lock API between the slow path and the code that asked for the lock. */
    private static final Set<String> API = Set.of(
            "mutex_lock", "mutex_lock_io", "mutex_lock_interruptible", "down", "down_killable", "down_interruptible",
            "down_timeout", "rt_mutex_lock", "rt_mutex_lock_interruptible", "rt_mutex_lock_killable",
            "down_read", "down_write", "down_read_killable", "down_write_killable", "down_read_interruptible",
            "__down_read", "__down_write", "__down_read_common", "__down_write_common", "__down_read_killable",
            "__down_write_killable", "__down_read_interruptible", "schedule_preempt_disabled", "preempt_schedule_common");

    /**
     * Wrappers of one global lock, and the functions that run only with that lock held: the rtnl_mutex's rtnl_lock
     * (and its killable and interruptible forms), and the net/core/dev.c functions that begin with ASSERT_RTNL() from
     * 2.6 to 6.x (opening, closing, flag changes, registering and unregistering a net device). A task asking for the
     * lock through the wrapper below one of them asks for a lock it took itself.
     */
    private record HeldUnder(String lock, Set<String> wrappers, Set<String> holding, Map<String, Set<String>> takenBy,
                             Set<String> released) {
    }

    /**
     * RTNL from 2.6 to 6.x. Held by: net/core/dev.c's functions that begin with ASSERT_RTNL() (opening, closing and
     * flag changes of a net device, its registration and unregistration, the netdevice notifier chain
     * call_netdevice_notifiers_info and its wrappers, a feature update, the peer notification of 5.12+), the SIOCSIF*
     * ioctls' dev_ifsioc, the link-watch queue's run (linkwatch_event locks RTNL around __linkwatch_run_queue) and
     * rtnetlink's link requests (rtnetlink_rcv_msg locks RTNL for rtnl_newlink, rtnl_setlink, rtnl_dellink; do_setlink
     * under them). Taken by: drivers whose probe locks RTNL around register_netdevice() and goes on under it:
     * virtio_net's virtnet_probe (5.19+; its set-queues call under RTNL since 3.x, its config work called directly
     * under RTNL since 6.12, the source of corpus zl-004); a callee it also makes before its rtnl_lock (the failover
     * registration, init_vqs) is left out. Given back by rtnl_unlock, whose netdev_run_todo runs after the unlock.
     */
    private static final List<HeldUnder> HELD_UNDER = List.of(new HeldUnder("rtnl_mutex",
            Set.of("rtnl_lock", "rtnl_lock_killable", "rtnl_lock_interruptible"),
            Set.of("__dev_open", "__dev_close_many", "__dev_change_flags", "register_netdevice",
                    "unregister_netdevice_queue", "call_netdevice_notifiers_info", "call_netdevice_notifiers",
                    "call_netdevice_notifiers_extack", "__netdev_update_features", "__netdev_notify_peers",
                    "dev_ifsioc", "__linkwatch_run_queue", "rtnl_newlink", "__rtnl_newlink", "rtnl_setlink",
                    "rtnl_dellink", "do_setlink"),
            Map.of("virtnet_probe", Set.of("virtnet_config_changed_work", "virtnet_set_queues", "_virtnet_set_queues")),
            Set.of("rtnl_unlock", "__rtnl_unlock", "netdev_run_todo")));

    private LockRecursion() {
    }

    /**
     * Why the task's own stack shows it holds the lock it sleeps on ("phy_start_aneg is on its stack twice"), or
     * null. Also when the function asking for the lock is a module's and the stack went through direct reclaim since
     * it last ran that module's code (zram's backing_dev_store allocating under its init_lock, reclaim swapping out
     * through zram, which asks for init_lock again): reclaim re-entering the driver that allocated.
     */
    static String retaken(List<Frame> frames) {
        int at = -1;
        for (int i = 0; i < frames.size() && at < 0; i++) {
            Frame f = frames.get(i);
            String fn = Frame.baseName(f.function());
            if (!f.unreliable() && (SLOW.contains(fn) || RwsemWaits.SLOW_PATHS.contains(fn))) {
                at = i;
            }
        }
        if (at < 0) {
            return null;
        }
        for (int i = at + 1; i < frames.size(); i++) {
            Frame f = frames.get(i);
            String fn = Frame.baseName(f.function());
            if (f.unreliable() || SLOW.contains(fn) || RwsemWaits.SLOW_PATHS.contains(fn) || API.contains(fn)) {
                continue;
            }
            if (fn.contains("nest") || fn.startsWith("inode_lock")) {
                return null; // a second object of the same lock class, taken on purpose
            }
            HeldUnder global = HELD_UNDER.stream().filter(h -> h.wrappers().contains(fn)).findFirst().orElse(null);
            boolean reclaim = false;
            String inner = fn;
            for (int j = i + 1; j < frames.size(); j++) {
                Frame o = frames.get(j);
                if (o.unreliable()) {
                    continue;
                }
                String ofn = Frame.baseName(o.function());
                if (ofn.equals(fn)) {
                    return fn + " is on its stack twice";
                }
                if (global != null && global.released().contains(ofn)) {
                    global = null; // further out the lock was given back before this ask
                }
                if (global != null && global.holding().contains(ofn)) {
                    return ofn + ", further out on its stack, runs only with " + global.lock() + " held, and " + fn
                            + " asks for it again";
                }
                if (global != null && global.takenBy().getOrDefault(ofn, Set.of()).contains(inner)) {
                    return ofn + ", further out on its stack, took " + global.lock() + " and calls " + inner
                            + " only while holding it, and " + fn + " asks for it again";
                }
                inner = ofn;
                reclaim |= RECLAIM.contains(ofn);
                if (reclaim && f.module() != null && f.module().equals(o.module())) {
                    return ofn + " [" + o.module() + "] allocated memory and direct reclaim came back into "
                            + o.module() + " at " + fn;
                }
            }
            return null;
        }
        return null;
    }

    /** Direct reclaim entered from an allocation (3.10 to 6.x). */
    private static final Set<String> RECLAIM = Set.of(
            "try_to_free_pages", "do_try_to_free_pages", "__alloc_pages_direct_reclaim", "__perform_reclaim",
            "try_to_free_mem_cgroup_pages");
}
