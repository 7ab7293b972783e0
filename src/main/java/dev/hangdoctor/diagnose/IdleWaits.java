package dev.hangdoctor.diagnose;

import java.util.Set;

/**
 * wchan names of an idle sleep: waits on user space or for work, holding nothing another task waits for. Beside
 * {@link WaitClassifier}, which names what a task waits ON; this table names the waits that are no suspect at all.
 */
public final class IdleWaits {
    /**
     * Names of 3.10 to 6.x kernels (futex_wait_queue_me became futex_wait_queue, then futex_do_wait; pipe_wait went,
     * anon_pipe_read came).
     */
    private static final Set<String> NAMES = Set.of(
            "futex_wait_queue_me", "futex_wait_queue", "futex_do_wait", "ep_poll", "do_epoll_wait",
            "poll_schedule_timeout", "do_sys_poll", "do_select", "core_sys_select", "hrtimer_nanosleep",
            "do_nanosleep", "common_nsleep", "sys_pause", "__do_sys_pause", "sigsuspend", "do_sigtimedwait",
            "pipe_read", "pipe_wait", "anon_pipe_read", "unix_stream_read_generic", "unix_stream_data_wait",
            "__skb_wait_for_more_packets", "sk_wait_data", "inet_csk_accept", "inet_csk_wait_for_connect",
            "worker_thread", "rescuer_thread", "kthreadd", "smpboot_thread_fn", "kthread_worker_fn",
            "rcu_gp_kthread", "rcu_gp_fqs_loop", "irq_thread", "devkmsg_read");

    private IdleWaits() {
    }

    /** Whether a stripped, non-empty wchan names an idle wait; a compiler suffix (".isra.0") is ignored. */
    public static boolean isIdle(String wchan) {
        int dot = wchan.indexOf('.');
        return NAMES.contains(dot > 0 ? wchan.substring(0, dot) : wchan);
    }
}
