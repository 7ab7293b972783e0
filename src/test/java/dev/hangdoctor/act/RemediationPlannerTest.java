package dev.hangdoctor.act;

import dev.hangdoctor.diagnose.Category;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.diagnose.kb.RemedyIds;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.UffdHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The planner on a host-shaped directory: which process or connection a remedy is tied to, and when it refuses. */
class RemediationPlannerTest {
    private static final int OWNER = ProcFixture.PID_BASE + 7;

    @TempDir
    Path host;

    private RemediationPlanner planner() {
        return new RemediationPlanner(host, new SafetyGuard(host.resolve("proc")), Set.of(), null);
    }

    private static Finding finding(String signature, int blocker, String action) {
        return new Finding(signature, Category.OTHER, "t", 0.9, new TaskRef(blocker, "x"), "x:" + blocker, null,
                List.of(new TaskRef(blocker + 1, "victim")), List.of(), List.of(), "e",
                new Finding.Fix(null, null, null, null), List.of("do"), List.of(action));
    }

    /** A scan's evidence: the owner as the scan saw it (start time) holding a userfaultfd with a pending fault. */
    private static Evidence uffdScan(Long scannedStart) {
        Evidence e = new Evidence();
        e.addTask(new Task(OWNER).comm("owner").tgid(OWNER).startTime(scannedStart));
        e.addUffd(new UffdHandle(OWNER, 5, 1L, 1L, "anon_inode:[userfaultfd]:77"));
        return e;
    }

    private RemediationPlanner.Plan planUffd(Evidence scan) {
        return planner().plan(List.of(finding("uffd-unserved-fault", OWNER, RemedyIds.UFFD_KILL_OWNER)), scan);
    }

    @Test
    void anOwnerWhoseNameIsNotUtf8IsPlannedForNotCalledExited() throws Exception {
        for (byte[] name : ProcFixture.HOSTILE_NAMES) {
            new ProcFixture(host.resolve("proc")).process(OWNER, name, 9000, 1024);
            RemediationPlanner.Plan p = planUffd(uffdScan(9000L));
            assertThat(p.notes()).isEmpty();
            KillProcessAction kill = (KillProcessAction) p.actions().get(0);
            assertThat(kill.target().pid()).isEqualTo(OWNER);
            assertThat(kill.target().comm()).isEqualTo(ProcFixture.shown(name));
        }
    }

    /** The owner exited after the scan and its pid went to a new process before the plan. */
    @Test
    void aPidReusedBetweenTheScanAndThePlanIsRefused() throws Exception {
        new ProcFixture(host.resolve("proc")).process(OWNER, ProcFixture.bytes("bash"), 9500, 1024);
        RemediationPlanner.Plan p = planUffd(uffdScan(9000L));
        assertThat(p.actions()).isEmpty();
        assertThat(p.notes()).singleElement().asString().contains("now belongs to another process")
                .contains("started at tick 9500").contains("the scan saw one started at tick 9000");
        assertThat(planUffd(uffdScan(null)).notes()).singleElement().asString()
                .contains("did not record its start time");
    }

    @Test
    void anExitedOwnerIsToldApartFromOneThatCannotBeRead() throws Exception {
        assertThat(planUffd(uffdScan(9000L)).notes()).singleElement().asString().contains("exited meanwhile");
        Files.createDirectories(host.resolve("proc/" + OWNER + "/stat"));
        assertThat(planUffd(uffdScan(9000L)).notes()).singleElement().asString().contains("cannot be identified")
                .doesNotContain("exited");
    }

    /** Two connections stuck, the kernel naming which one the blocking daemon serves: that one, and only it. */
    @Test
    void ofSeveralStuckConnectionsTheBlockersOwnIsAborted() throws Exception {
        for (int id : new int[] {40, 41}) {
            Path dir = Files.createDirectories(host.resolve("sys/fs/fuse/connections/" + id));
            Files.writeString(dir.resolve("waiting"), "3\n");
            Files.writeString(dir.resolve("abort"), "");
        }
        Evidence e = new Evidence();
        e.addFuseConnection(new FuseConnection(40, 3L, List.of("/mnt/other"), "fuse", List.of(5000)));
        e.addFuseConnection(new FuseConnection(41, 3L, List.of("/mnt/mine"), "fuse", List.of(4889)));
        RemediationPlanner.Plan p = planner().plan(List.of(finding("fuse-daemon-hung", 4889, RemedyIds.FUSE_ABORT)), e);
        assertThat(p.actions()).singleElement().extracting(a -> ((FuseAbortAction) a).connectionId()).isEqualTo(41);
        Evidence unsure = new Evidence();
        unsure.addFuseConnection(new FuseConnection(40, 3L, List.of("/mnt/other"), "fuse", List.of(4889)));
        unsure.addFuseConnection(new FuseConnection(41, 3L, List.of("/mnt/mine"), "fuse", List.of(4889)));
        assertThat(planner().plan(List.of(finding("fuse-daemon-hung", 4889, RemedyIds.FUSE_ABORT)), unsure).notes())
                .singleElement().asString().contains("choose one with --connection N");
    }

    /**
     * Callers that say nothing of their connection (a flush whose fd is already closed) and two connections whose
     * waiting requests did not drain across the window and still wait: each is provably stuck, so each is aborted,
     * and the plan says why; a connection that drained is left alone.
     */
    @Test
    void whenTheTasksDoNotSayEveryProvablyStuckConnectionIsAbortedWithWhy() throws Exception {
        for (int id : new int[] {40, 41, 42}) {
            Path dir = Files.createDirectories(host.resolve("sys/fs/fuse/connections/" + id));
            Files.writeString(dir.resolve("waiting"), "2\n");
            Files.writeString(dir.resolve("abort"), "");
        }
        Evidence e = new Evidence();
        e.addFuseConnection(new FuseConnection(40, 2L, List.of("/mnt/a"), "fuse", List.of(5000), 2L));
        e.addFuseConnection(new FuseConnection(41, 1L, List.of("/mnt/b"), "fuse", List.of(), 2L));
        e.addFuseConnection(new FuseConnection(42, 5L, List.of("/mnt/busy"), "fuse", List.of(5001), 1L));
        RemediationPlanner.Plan p = planner().plan(List.of(finding("fuse-flush-exit-pidns", 4889, RemedyIds.FUSE_ABORT)), e);
        assertThat(p.actions()).extracting(a -> ((FuseAbortAction) a).connectionId()).containsExactly(40, 41);
        assertThat(p.notes()).singleElement().asString().contains("do not say which connection")
                .contains("40, 41 made no progress across the scan's window");
    }

    /** The hung mount went away between the scan and the plan, and a new mount elsewhere got its number. */
    @Test
    void aConnectionNumberNowMountedElsewhereIsRefused() throws Exception {
        Path dir = Files.createDirectories(host.resolve("sys/fs/fuse/connections/41"));
        Files.writeString(dir.resolve("waiting"), "2\n");
        Files.writeString(dir.resolve("abort"), "");
        Path mountinfo = Files.createDirectories(host.resolve("proc/self")).resolve("mountinfo");
        Evidence e = new Evidence();
        e.addFuseConnection(new FuseConnection(41, 2L, List.of("/mnt/mine"), "fuse", List.of(4889)));
        Finding f = finding("fuse-daemon-hung", 4889, RemedyIds.FUSE_ABORT);
        Files.writeString(mountinfo, "45 23 0:40 / /sys/fs/fuse/connections rw,nosuid,nodev,noexec,relatime - fusectl"
                + " fusectl rw\n612 29 0:41 / /mnt/mine rw,nosuid,nodev,relatime - fuse.hangdoctor-live"
                + " hangdoctor-live rw,user_id=0,group_id=0\n");
        assertThat(planner().plan(List.of(f), e).actions()).hasSize(1);
        Files.writeString(mountinfo, "45 23 0:40 / /sys/fs/fuse/connections rw,nosuid,nodev,noexec,relatime - fusectl"
                + " fusectl rw\n613 29 0:41 / /srv/other rw,nosuid,nodev,relatime - fuse.sshfs"
                + " host:/ rw,user_id=0,group_id=0\n");
        assertThat(planner().plan(List.of(f), e).notes()).singleElement().asString()
                .contains("now mounted at /srv/other").contains("belongs to another mount");
    }
}
