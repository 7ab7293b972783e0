package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mount looking up an existing superblock waits for the task of the same filesystem that tears that superblock
 * down or sets it up; and an NFS page wait with no "not responding" line and no RPC wait is not called a dead server.
 */
class SuperblockWaitsTest {

    /**
     * lore.kernel.org/r/CAPt2mGNPSi-+3WdeMsOjkJ2vOqZcRE2S6i=eqi+UA2RmzywAyg@mail.gmail.com (corpus y-012, 6.6; the
     * register lines and the unwinder's "?" lines left out): umount.nfs evicts the inodes of the superblock it tears
     * down while mount.nfs, finding that superblock in sget_fc, waits for its s_umount.
     */
    private static final String UMOUNT_AND_MOUNT = """
            [202752.264187] INFO: task umount.nfs:58118 blocked for more than 245 seconds.
            [202752.264237]       Tainted: G            E      6.6.0-1.dneg.x86_64 #1
            [202752.264296] task:umount.nfs      state:D stack:0     pid:58118
            ppid:1      flags:0x00004002
            [202752.264304] Call Trace:
            [202752.264308]  <TASK>
            [202752.264313]  __schedule+0x30b/0xa10
            [202752.264327]  schedule+0x68/0xf0
            [202752.264332]  io_schedule+0x16/0x40
            [202752.264337]  __folio_lock+0xfc/0x220
            [202752.264361]  truncate_inode_pages_range+0x441/0x460
            [202752.264411]  truncate_inode_pages_final+0x41/0x50
            [202752.264425]  nfs_evict_inode+0x1a/0x40 [nfs]
            [202752.264476]  evict+0xdc/0x190
            [202752.264485]  dispose_list+0x4d/0x70
            [202752.264491]  evict_inodes+0x16b/0x1b0
            [202752.264499]  generic_shutdown_super+0x3e/0x160
            [202752.264507]  kill_anon_super+0x17/0x50
            [202752.264513]  nfs_kill_super+0x27/0x50 [nfs]
            [202752.264556]  deactivate_locked_super+0x35/0x90
            [202752.264562]  deactivate_super+0x42/0x50
            [202752.264568]  cleanup_mnt+0x109/0x170
            [202752.264648]  </TASK>

            [202752.264658] INFO: task mount.nfs:60827 blocked for more than 122 seconds.
            [202752.264686]       Tainted: G            E      6.6.0-1.dneg.x86_64 #1
            [202752.264743] task:mount.nfs       state:D stack:0     pid:60827
            ppid:60826  flags:0x00004000
            [202752.264751] Call Trace:
            [202752.264753]  <TASK>
            [202752.264757]  __schedule+0x30b/0xa10
            [202752.264771]  schedule+0x68/0xf0
            [202752.264776]  schedule_preempt_disabled+0x15/0x30
            [202752.264782]  rwsem_down_write_slowpath+0x2b3/0x640
            [202752.264809]  down_write+0x55/0x70
            [202752.264815]  super_lock+0x44/0x130
            [202752.264841]  grab_super+0x2e/0x80
            [202752.264847]  grab_super_dead+0x31/0xe0
            [202752.264915]  sget_fc+0xd4/0x280
            [202752.264965]  nfs_get_tree_common+0x86/0x520 [nfs]
            [202752.265009]  nfs_try_get_tree+0x5c/0x2e0 [nfs]
            [202752.265163]  nfs_get_tree+0x38/0x60 [nfs]
            [202752.265202]  vfs_get_tree+0x2a/0xe0
            [202752.265213]  path_mount+0x2fe/0xa90
            [202752.265226]  do_mount+0x80/0xa0
            [202752.265277]  </TASK>
            """;

    @Test
    void aMountInSgetWaitsForTheUmountOfTheSameFilesystem() throws Exception {
        Finding f = UnclassifiedBlockerTest.first(UMOUNT_AND_MOUNT);
        assertThat(f.rootCause().pid()).isEqualTo(58118);
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(60827);
        assertThat(f.chain().get(0)).startsWith("mount.nfs:60827 (D) waits for a superblock's s_umount")
                .contains("umount.nfs:58118 (D) is tearing down or setting up that superblock");
    }

    @Test
    void anNfsPageWaitWithoutNotRespondingOrRpcWaitsDoesNotBlameTheServer() throws Exception {
        Finding f = UnclassifiedBlockerTest.first(UMOUNT_AND_MOUNT);
        assertThat(f.category()).isEqualTo(Category.NFS);
        assertThat(f.signature()).isEqualTo("nfs-client-page-wait");
        assertThat(f.explanation()).contains("nothing in it says the");
    }

    @Test
    void theServersNotRespondingLineKeepsTheServerSignature() throws Exception {
        // the line as github.com/openzfs/zfs issue 3850 shows it (corpus a-010)
        Finding f = UnclassifiedBlockerTest.first("[ 6066.656127] nfs: server batalix not responding, still trying\n"
                + UMOUNT_AND_MOUNT);
        assertThat(f.signature()).isEqualTo("nfs-server-not-responding");
    }

    /** github.com/openzfs/zfs issue 7057 (corpus y-011, 3.10 with 4.x backports): sget_userns, grab_super, zpl_mount. */
    private static final List<Frame> ZFS_MOUNT = List.of(frame("schedule", null), frame("rwsem_down_write_failed", null),
            frame("call_rwsem_down_write_failed", null), frame("down_write", null), frame("grab_super", null),
            frame("sget_userns", null), frame("sget", null), frame("zpl_mount", "zfs"), frame("mount_fs", null));

    private static final List<Frame> NFS_UMOUNT = List.of(frame("io_schedule", null), frame("__folio_lock", null),
            frame("truncate_inode_pages_final", null), frame("nfs_evict_inode", "nfs"), frame("evict", null),
            frame("generic_shutdown_super", null), frame("kill_anon_super", null), frame("nfs_kill_super", "nfs"),
            frame("deactivate_locked_super", null), frame("deactivate_super", null));

    @Test
    void theFilesystemTiesTheWaiterToTheHolder() {
        Resource zfs = SuperblockWaits.waitOf(ZFS_MOUNT, WaitClassifier.stackWait(task(ZFS_MOUNT)));
        assertThat(zfs).isEqualTo(new Resource(ResourceKind.SUPERBLOCK, "zfs"));
        Resource nfsHeld = new Resource(ResourceKind.SUPERBLOCK, "nfs");
        assertThat(SuperblockWaits.holds(NFS_UMOUNT, null)).containsExactly(nfsHeld);
        assertThat(zfs.matches(nfsHeld)).isFalse();
    }

    @Test
    void noTeardownNoSuperblockLookupNoSuperblock() {
        // a page wait in the NFS client outside a umount holds no superblock
        List<Frame> writer = List.of(frame("io_schedule", null), frame("folio_wait_bit_common", null),
                frame("nfs_write_begin", "nfs"), frame("generic_perform_write", null));
        assertThat(SuperblockWaits.holds(writer, null)).isEmpty();
        // an rw-semaphore wait that is no superblock lookup (an inode's i_rwsem in a write)
        List<Frame> inode = List.of(frame("rwsem_down_write_slowpath", null), frame("down_write", null),
                frame("ext4_buffered_write_iter", null), frame("vfs_write", null));
        assertThat(SuperblockWaits.waitOf(inode, WaitClassifier.stackWait(task(inode)))).isNull();
        // built-in filesystems are told apart by their functions' first word, versions dropped
        assertThat(SuperblockWaits.filesystem(frame("ext4_fill_super", null))).isEqualTo("ext");
        assertThat(SuperblockWaits.filesystem(frame("nfs4_try_get_tree", "nfsv4"))).isEqualTo("nfs");
    }

    private static Frame frame(String fn, String module) {
        return new Frame(fn, "", module, false, StackContext.TASK);
    }

    private static dev.hangdoctor.model.Task task(List<Frame> frames) {
        return new dev.hangdoctor.model.Task(1).frames(frames);
    }
}
