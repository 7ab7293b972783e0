package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task asking for RTNL under a function that already holds it: one the kernel runs only under RTNL, or a driver's
 * probe that took RTNL itself and called the next frame in while holding it.
 */
class RtnlHeldCallersTest {

    @Test
    void virtioNetsProbeAnnouncingUnderItsOwnRtnlWaitsForItself() throws Exception {
        // lore.kernel.org/r/d86d4ca3-5d3e-461f-ac8a-9d8715413dcf@redhat.com (corpus zl-004): virtnet_probe holds RTNL
        // around register_netdevice() and the config work it calls directly; netdev_notify_peers asks for RTNL again
        Finding f = UnclassifiedBlockerTest.first("""
                [  494.167473] INFO: task swapper/0:1 blocked for more than 368 seconds.
                [  494.167667]       Not tainted 6.8.0-57-generic #59-Ubuntu
                [  494.168015] task:swapper/0       state:D stack:0     pid:1     tgid:1     ppid:0      flags:0x00004000
                [  494.168260] Call Trace:
                [  494.168329]  <TASK>
                [  494.168389]  __schedule+0x27c/0x6b0
                [  494.168495]  schedule+0x33/0x110
                [  494.168585]  schedule_preempt_disabled+0x15/0x30
                [  494.168709]  __mutex_lock.constprop.0+0x42f/0x740
                [  494.168835]  __mutex_lock_slowpath+0x13/0x20
                [  494.168949]  mutex_lock+0x3c/0x50
                [  494.169039]  rtnl_lock+0x15/0x20
                [  494.169128]  netdev_notify_peers+0x12/0x30
                [  494.169240]  virtnet_config_changed_work+0x152/0x1a0
                [  494.169377]  virtnet_probe+0xa48/0xe00
                [  494.169484]  ? vp_get+0x4d/0x100
                [  494.169574]  virtio_dev_probe+0x1e9/0x310
                [  494.169682]  really_probe+0x1c7/0x410
                [  494.169783]  __driver_probe_device+0x8c/0x180
                [  494.169901]  driver_probe_device+0x24/0xd0
                [  494.170011]  __driver_attach+0x10b/0x210
                """);
        assertThat(f.rootCause()).isNotNull();
        assertThat(f.rootCause().pid()).isEqualTo(1);
        assertThat(f.chain()).singleElement().asString()
                .contains("virtnet_probe, further out on its stack, took rtnl_mutex")
                .contains("a self-deadlock");
    }

    @Test
    void aCallTheProbeMakesBeforeItsOwnRtnlProvesNothing() {
        // before 5.19 virtnet_probe called register_netdev(), which takes RTNL itself: a probe waiting there waits for
        // whoever else holds RTNL (and net_failover_create registers the same way before the probe's rtnl_lock)
        assertThat(LockRecursion.retaken(frames("__schedule", "schedule", "__mutex_lock", "mutex_lock", "rtnl_lock",
                "register_netdev", "virtnet_probe", "virtio_dev_probe", "really_probe"))).isNull();
        assertThat(LockRecursion.retaken(frames("__schedule", "schedule", "__mutex_lock", "mutex_lock", "rtnl_lock",
                "register_netdev", "net_failover_create", "virtnet_probe", "virtio_dev_probe"))).isNull();
    }

    @Test
    void aNotifierCallbackAskingForRtnlRunsUnderIt() {
        // net/core/dev.c: call_netdevice_notifiers_info() begins with ASSERT_RTNL(); every netdevice notifier runs
        // with RTNL held, so one that asks for it waits for its own caller
        assertThat(LockRecursion.retaken(frames("schedule", "__mutex_lock", "mutex_lock", "rtnl_lock",
                "foo_netdev_event", "notifier_call_chain", "raw_notifier_call_chain", "call_netdevice_notifiers_info",
                "__dev_notify_flags", "dev_change_flags")))
                .startsWith("call_netdevice_notifiers_info, further out on its stack, runs only with rtnl_mutex held");
    }

    @Test
    void whatRunsAfterRtnlUnlockAsksForItAnew() {
        // rtnl_unlock() gives the mutex back, then netdev_run_todo() waits for the unregistered devices' references
        // and may lock RTNL again (netdev_wait_allrefs_any, 6.x): the probe that called rtnl_unlock holds it no more
        assertThat(LockRecursion.retaken(frames("schedule", "__mutex_lock", "mutex_lock", "rtnl_lock",
                "netdev_wait_allrefs_any", "netdev_run_todo", "rtnl_unlock", "virtnet_probe"))).isNull();
    }

    private static List<Frame> frames(String... fns) {
        return java.util.Arrays.stream(fns).map(Frame::of).toList();
    }
}
