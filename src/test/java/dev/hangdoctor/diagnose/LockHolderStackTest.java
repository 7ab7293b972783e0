package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one other task shown inside the function that asked for a lock, past the lock call, holds the lock. */
class LockHolderStackTest {

    /**
     * lore.kernel.org/r/d8f1b10028b57c5a62bcf3088489c0dbdd0dec5d.camel@pengutronix.de (corpus p-001, 5.4 arm, the
     * quote marks and the stacks' outer frames left out): sugov waits for the i2c bus's rt_mutex; the sysrq-t shows
     * QSGRenderThread running inside i2c_transfer, waiting for the bus transfer it started.
     */
    private static final String I2C_BUS = """
            INFO: task sugov:0:299 blocked for more than 30 seconds.
            Not tainted 5.4.22 #3
            "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            sugov:0         D    0   299      2 0x00000000
            Backtrace:\s
            [<80b306f8>] (__schedule) from [<80b30df8>] (schedule+0xa4/0xdc)
            [<80b30d54>] (schedule) from [<80b34084>] (__rt_mutex_slowlock+0x104/0x17c)
            [<80b33f80>] (__rt_mutex_slowlock) from [<80b34254>] (rt_mutex_slowlock+0x158/0x224)
            [<80b340fc>] (rt_mutex_slowlock) from [<80b34390>] (rt_mutex_lock_nested+0x70/0x7c)
            [<80b34320>] (rt_mutex_lock_nested) from [<807abf20>] (i2c_adapter_lock_bus+0x28/0x2c)
            [<807abef8>] (i2c_adapter_lock_bus) from [<807ae924>] (i2c_transfer+0x124/0x13c)
            [<807ae800>] (i2c_transfer) from [<807ae994>] (i2c_transfer_buffer_flags+0x58/0x80)
            [<807ae93c>] (i2c_transfer_buffer_flags) from [<80681a0c>] (regmap_i2c_write+0x24/0x40)

            QSGRenderThread R  running task        0   559    547 0x00000000
            Backtrace:\s
            [<80b306f8>] (__schedule) from [<80b30df8>] (schedule+0xa4/0xdc)
            [<80b30d54>] (schedule) from [<80b347f8>] (schedule_timeout+0xd0/0x108)
            [<80b34728>] (schedule_timeout) from [<807b43dc>] (i2c_imx_trx_complete+0x90/0x13c)
            [<807b434c>] (i2c_imx_trx_complete) from [<807b5ab0>] (i2c_imx_xfer+0x938/0xac4)
            [<807b5178>] (i2c_imx_xfer) from [<807ae5f0>] (__i2c_transfer+0x5a8/0x7b8)
            [<807ae048>] (__i2c_transfer) from [<807ae8ec>] (i2c_transfer+0xec/0x13c)
            [<807ae800>] (i2c_transfer) from [<806819b4>] (regmap_i2c_read+0x64/0x98)
            """;

    @Test
    void theTaskInsideTheFunctionThatAsksForTheBusLockHoldsIt() throws Exception {
        Finding f = UnclassifiedBlockerTest.first(I2C_BUS);
        assertThat(f.rootCause().pid()).isEqualTo(559);
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(299);
        assertThat(f.chain().get(0)).contains("(taken in i2c_transfer)").contains("QSGRenderThread:559 (R) holds the lock");
    }

    @Test
    void theSiteIsTheCallerOfTheLockOrOfItsWrapper() {
        // past the bus-lock wrapper: the function that wants the bus
        assertThat(LockHolderStack.site(frames("__schedule", "schedule", "__rt_mutex_slowlock", "rt_mutex_slowlock",
                "rt_mutex_lock_nested", "i2c_adapter_lock_bus", "i2c_transfer", "i2c_transfer_buffer_flags")))
                .isEqualTo(new LockHolderStack.Site("i2c_transfer", "i2c_adapter_lock_bus"));
        // the first caller only (lore.kernel.org/r/xhkbymqobtva6j7xmwzvh5g2tvuixvu2hwfdozed6hijrt3vkl@rywdhz43e52y):
        // proc_sys_call_handler and vfs_write further out are where every task passes
        assertThat(LockHolderStack.site(frames("__schedule", "schedule", "schedule_preempt_disabled", "__mutex_lock",
                "mutex_lock", "drop_caches_sysctl_handler", "proc_sys_call_handler", "vfs_write")).function())
                .isEqualTo("drop_caches_sysctl_handler");
        // not a lock wait
        assertThat(LockHolderStack.site(frames("__schedule", "schedule", "io_schedule", "__folio_lock",
                "truncate_inode_pages_range"))).isNull();
    }

    @Test
    void aTaskAskingAtTheSameCallIsAnotherWaiterNotTheHolder() {
        LockHolderStack.Site bus = new LockHolderStack.Site("i2c_transfer", "i2c_adapter_lock_bus");
        assertThat(LockHolderStack.inside(task("schedule", "__rt_mutex_slowlock", "rt_mutex_lock_nested",
                "i2c_adapter_lock_bus", "i2c_transfer", "i2c_transfer_buffer_flags"), bus)).isFalse();
        assertThat(LockHolderStack.inside(task("schedule", "schedule_timeout", "i2c_imx_trx_complete",
                "i2c_imx_xfer", "__i2c_transfer", "i2c_transfer", "regmap_i2c_read"), bus)).isTrue();
        assertThat(LockHolderStack.inside(task("schedule", "schedule_timeout", "msleep", "regmap_i2c_read"), bus))
                .isFalse();
    }

    private static List<Frame> frames(String... fns) {
        return Arrays.stream(fns).map(Frame::of).toList();
    }

    private static Task task(String... fns) {
        return new Task(1).frames(frames(fns));
    }
}
