package dev.hangdoctor.live;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The busy host of a real incident: four independent hangs at once (a stopped FUSE daemon with a `stat` waiting in
 * D, seed 003's FUSE flush in a dying pid namespace served by a second daemon, an orphaned userfaultfd, a memcg OOM
 * stall with oom_kill_disable nested under a parent cgroup) and healthy bystanders a remedy must leave alone: a
 * healthy FUSE mount with a reader that keeps reading throughout, a quiet process in the stalled cgroup and one in
 * its parent cgroup, a quiet pid namespace (init and member) that is not the hung one, and a sleeper in a cgroup of
 * its own. Everything is made here and torn down on close, even when building a later part fails.
 */
public final class BusyHost implements AutoCloseable {

    private final List<AutoCloseable> parts = new ArrayList<>();
    private HungFuseDaemon stat;
    private FuseFlushPidns flush;
    private OrphanUffd uffd;
    private MemcgOomStall memcg;
    private HealthyFuseMount healthy;
    private PidnsBystander pidns;
    private SleepingBystander sleeper;

    private BusyHost() {
    }

    /** Builds all of it; whatever was built is closed again when a part fails. */
    public static BusyHost start() {
        LivePreconditions.assumePidnsFuseHangs();
        LivePreconditions.assumeUffdHangs();
        LivePreconditions.assumeMemcgV1Hangs();
        BusyHost h = new BusyHost();
        return LiveCleanup.readyOrClosed(h, () -> {
            // the bystanders first: the reader is then busy while every hang starts
            h.healthy = h.add(HealthyFuseMount.startWithReader());
            h.pidns = h.add(PidnsBystander.start());
            h.sleeper = h.add(SleepingBystander.start());
            h.stat = h.add(HungFuseDaemon.start(new HungFuseDaemon.Spec().nudgeIntoD(true).stopDaemon(true)));
            h.flush = h.add(FuseFlushPidns.start());
            h.uffd = h.add(OrphanUffd.start());
            h.memcg = h.add(MemcgOomStall.start(new MemcgOomStall.Spec().quietParent(true)));
        });
    }

    private <T extends AutoCloseable> T add(T part) {
        parts.add(part);
        return part;
    }

    /** The stopped FUSE daemon with its stat waiter. */
    public HungFuseDaemon stat() {
        return stat;
    }

    /** The FUSE flush in the dying pid namespace. */
    public FuseFlushPidns flush() {
        return flush;
    }

    /** The orphaned userfaultfd. */
    public OrphanUffd uffd() {
        return uffd;
    }

    /** The memcg OOM stall (with its quiet parent). */
    public MemcgOomStall memcg() {
        return memcg;
    }

    /** The healthy FUSE mount and its reader. */
    public HealthyFuseMount healthy() {
        return healthy;
    }

    /** One stuck pid per hang: the stat waiter, the flusher, the uffd owner, the stalled hog. */
    public List<Integer> stuckPids() {
        return List.of(stat.waiters().get(0).pid().pid(), flush.stuckPid().pid(), uffd.pid().pid(),
                memcg.stalled().get(0).pid().pid());
    }

    /** Every bystander process: none of them may be named as stuck, none may be touched. */
    public List<OwnedPid> bystanders() {
        List<OwnedPid> all = new ArrayList<>(healthy.ownPids());
        all.addAll(pidns.pids());
        all.add(sleeper.pid());
        memcg.bystanders().forEach(b -> all.add(b.pid()));
        all.add(memcg.parentMemberPid());
        return all;
    }

    /** The reader's passes so far; compare with {@link #assertBystandersLive(long)} later. */
    public long readerPasses() {
        return healthy.readerPasses();
    }

    /** Asserts that all four hangs are over: each stuck task returned (or, for the hog, runs again). */
    public void assertAllFourEnded(String context) {
        Duration wait = Duration.ofSeconds(10);
        assertThat(stat.waiters().get(0).pid().awaitGone(wait)).as("stat waiter returned; %s", context).isTrue();
        assertThat(flush.stuckPid().awaitGone(wait)).as("flusher gone; %s", context).isTrue();
        assertThat(flush.initPid().awaitGone(wait)).as("dying namespace's init gone; %s", context).isTrue();
        assertThat(uffd.pid().awaitGone(wait)).as("uffd owner gone; %s", context).isTrue();
        OwnedPid hog = memcg.stalled().get(0).pid();
        LiveWait.await("the hog out of its OOM wait", wait, () -> hog.state() != 'D', () -> "state " + hog.state());
    }

    /**
     * Asserts that every bystander lives and the reader kept reading: beyond {@code passesBefore} it made more passes,
     * none failed, and it goes on now.
     */
    public void assertBystandersLive(long passesBefore) throws Exception {
        for (OwnedPid p : bystanders()) {
            assertThat(p.exists()).as("bystander %d lives", p.pid()).isTrue();
        }
        assertThat(healthy.readerFailed()).as("a read of the healthy mount failed").isFalse();
        assertThat(healthy.readerPasses()).as("the reader made progress").isGreaterThan(passesBefore);
        assertThat(healthy.awaitReaderBeyond(healthy.readerPasses(), 10)).as("the reader goes on").isTrue();
        assertThat(Files.readString(healthy.file())).isEqualTo(HealthyFuseMount.CONTENT);
        assertThat(healthy.mounted()).as("the healthy mount is in place").isTrue();
    }

    @Override
    public void close() {
        List<AutoCloseable> open = new ArrayList<>(parts);
        java.util.Collections.reverse(open);
        Teardown t = new Teardown("busy host");
        for (AutoCloseable part : open) {
            t.step(part.getClass().getSimpleName(), part::close);
        }
        parts.clear();
        t.finish();
    }
}
