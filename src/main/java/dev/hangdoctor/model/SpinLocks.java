package dev.hangdoctor.model;

import java.util.Set;

/** The functions a CPU spins in while it waits for a spin lock or rwlock someone else holds. */
public final class SpinLocks {
    /**
     * The queued spinlock's and rwlock's slow paths (native, paravirt), the raw lock entry points (and their inline
     * helpers a symboliser names) whose fast path spins on arm64 and without qspinlocks, the debug spinlock's loop and
     * 2.6's names.
     */
    private static final Set<String> SLOW_PATHS = Set.of("native_queued_spin_lock_slowpath",
            "__pv_queued_spin_lock_slowpath", "pv_queued_spin_lock_slowpath", "queued_spin_lock_slowpath",
            "queued_read_lock_slowpath", "queued_write_lock_slowpath", "_raw_spin_lock", "_raw_spin_lock_irq",
            "_raw_spin_lock_irqsave", "_raw_spin_lock_bh", "_raw_spin_lock_nested", "_raw_spin_lock_irqsave_nested",
            "_raw_read_lock", "_raw_read_lock_irq", "_raw_read_lock_irqsave", "_raw_read_lock_bh", "_raw_write_lock",
            "_raw_write_lock_irq", "_raw_write_lock_irqsave", "_raw_write_lock_bh", "do_raw_spin_lock",
            "do_raw_read_lock", "do_raw_write_lock", "__raw_spin_lock", "__raw_spin_lock_irq",
            "__raw_spin_lock_irqsave", "__raw_spin_lock_bh", "__raw_read_lock", "__raw_read_lock_irqsave",
            "__raw_write_lock", "__raw_write_lock_irq", "__raw_write_lock_irqsave", "__spin_lock_debug",
            "__ticket_spin_lock", "_spin_lock", "_spin_lock_irq", "_spin_lock_irqsave", "_spin_lock_bh");

    private SpinLocks() {
    }

    /** Whether {@code function} (a compiler suffix such as ".cold" allowed) is a lock's spinning path. */
    public static boolean spinsIn(String function) {
        return SLOW_PATHS.contains(Frame.baseName(function));
    }
}
