package dev.hangdoctor.live;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Seed 002 for real: a process whose userfaultfd handler exited, with a thread sleeping in
 * {@code handle_userfault} on a page nobody will ever fill; the owner's fdinfo says {@code pending: 1}.
 */
public final class OrphanUffd implements AutoCloseable {

    /** How the faulting thread reaches the page. */
    public enum Fault {
        /** A store from user mode: interruptible sleep, state S. */
        USER_TOUCH("touch"),
        /** process_vm_readv, so get_user_pages faults in the kernel: killable sleep, state D (like the seed's kworkers). */
        KERNEL_GUP("gup");

        private final String arg;

        Fault(String arg) {
            this.arg = arg;
        }
    }

    private final HelperProcess helper;
    private final Fault fault;
    private int fd = -1;
    private int faultingTid = -1;
    private String stack = "";
    private boolean closed;

    private OrphanUffd(HelperProcess helper, Fault fault) {
        this.helper = helper;
        this.fault = fault;
    }

    /** A user-mode fault (state S). */
    public static OrphanUffd start() {
        return start(Fault.USER_TOUCH);
    }

    /** Builds the hang; fails with the observed stack when the kernel shape does not appear. */
    public static OrphanUffd start(Fault fault) {
        return start(fault, null);
    }

    /** The same, the process naming itself these bytes (need not be UTF-8); null keeps its own name. */
    public static OrphanUffd start(Fault fault, byte[] name) {
        HelperProcess p = name == null ? HelperProcess.start("uffdorphan", fault.arg)
                : HelperProcess.start("uffdorphan", fault.arg, java.util.HexFormat.of().formatHex(name));
        OrphanUffd hang = new OrphanUffd(p, fault);
        LiveCleanup.register(hang);
        return LiveCleanup.readyOrClosed(hang, () -> {
            hang.build();
        });
    }

    private void build() {
        fd = Integer.parseInt(helper.awaitLine("uffd ", LiveWait.SHAPE_TIMEOUT).substring(5).trim());
        helper.awaitLine("handler ", LiveWait.SHAPE_TIMEOUT);
        faultingTid = Integer.parseInt(helper.awaitLine("faulter ", LiveWait.SHAPE_TIMEOUT).substring(8).trim());
        stack = LiveWait.awaitStack(pid().pid(), faultingTid, fault == Fault.KERNEL_GUP ? "D" : "S",
                LiveWait.SHAPE_TIMEOUT, "handle_userfault");
        LiveWait.await("pending: 1 in fdinfo", LiveWait.SHAPE_TIMEOUT, () -> pending().orElse(0L) == 1,
                () -> fdinfo());
    }

    /** The process holding the uffd (thread-group leader). */
    public OwnedPid pid() {
        return helper.pid();
    }

    /** The thread sleeping in handle_userfault. */
    public int faultingTid() {
        return faultingTid;
    }

    /** The uffd's descriptor number in {@link #pid()}. */
    public int fd() {
        return fd;
    }

    /** How the fault was made. */
    public Fault fault() {
        return fault;
    }

    /** The faulting thread's stack when the shape was confirmed. */
    public String stack() {
        return stack;
    }

    /** /proc/PID/fdinfo/FD of the uffd now, "" once gone. */
    public String fdinfo() {
        return LiveProc.read(java.nio.file.Path.of("/proc", Integer.toString(pid().pid()), "fdinfo",
                Integer.toString(fd))).orElse("");
    }

    /** The {@code pending:} count of the fdinfo. */
    public Optional<Long> pending() {
        return fdinfo().lines().filter(l -> l.startsWith("pending:"))
                .map(l -> Long.parseLong(l.substring(8).trim())).findFirst();
    }

    /** Every pid this hang started (the handler child is already gone by design). */
    public List<OwnedPid> ownPids() {
        return List.of(helper.pid());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Teardown t = new Teardown("orphan uffd " + helper.pid().pid());
        t.step("kill", () -> t.check("process " + helper.pid().pid() + " gone",
                helper.killAndAwait(Duration.ofSeconds(10))));
        LiveCleanup.unregister(this);
        t.finish();
    }
}
