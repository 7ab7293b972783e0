package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A mount that finds an existing superblock of its filesystem waits for the superblock's s_umount (fs/super.c:
 * sget, sget_userns and sget_fc call grab_super, which takes it with down_write up to 6.5, through super_lock /
 * super_lock_excl from 6.5, and grab_super_dead of 6.6 also waits for SB_DEAD); the task unmounting that
 * superblock holds s_umount for write from deactivate_super through deactivate_locked_super, the filesystem's
 * kill_sb (nfs_kill_super, kill_anon_super, kill_block_super) and generic_shutdown_super, and a mount setting a new
 * superblock up holds it across the filesystem's fill_super. Both sides are tied by the filesystem: the module of
 * its frames (nfs, zfs, overlay) or, for a built-in one, the prefix of its function names.
 */
final class SuperblockWaits {
    /** fs/super.c's lookup of an existing superblock (3.10 to 6.x). */
    private static final Set<String> GRAB = Set.of("grab_super", "grab_super_dead", "super_lock", "super_lock_excl",
            "__super_lock_excl", "sget", "sget_userns", "sget_fc");

    /** The VFS between a filesystem's mount code and the superblock lookup, and the mount syscall's path. */
    private static final Set<String> VFS_MOUNT = Set.of("mount_bdev", "mount_nodev", "mount_single", "mount_ns",
            "get_tree_nodev", "get_tree_bdev", "get_tree_bdev_flags", "get_tree_single", "get_tree_keyed",
            "vfs_get_super", "legacy_get_tree", "vfs_get_tree", "mount_fs", "vfs_kern_mount", "fc_mount",
            "do_new_mount", "path_mount", "do_mount");

    /** The superblock's teardown under s_umount (the VFS's own part, its generic kill_sb helpers). */
    private static final Set<String> TEARDOWN = Set.of("deactivate_locked_super", "generic_shutdown_super",
            "kill_anon_super", "kill_block_super", "kill_litter_super");

    private SuperblockWaits() {
    }

    /**
     * The superblock wait of a task whose stack waits for s_umount (or, in 6.6's grab_super_dead, for the superblock
     * to die) inside a superblock lookup, or null. {@code wait} is what its stack otherwise waits for (null: none).
     */
    static Resource waitOf(List<Frame> frames, Resource wait) {
        boolean rwsem = wait != null && wait.kind() == ResourceKind.RWSEM;
        if (wait != null && !rwsem) {
            return null;
        }
        int last = -1;
        boolean dead = false;
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            String fn = Frame.baseName(f.function());
            if (!f.unreliable() && GRAB.contains(fn)) {
                last = i;
                dead |= fn.equals("grab_super_dead");
            }
        }
        if (last < 0 || (!rwsem && !dead)) {
            return null;
        }
        // a wait inside alloc_super (sget found no superblock and makes one) is for no superblock's s_umount: the
        // new one is its own, taken uncontended; it waits for what setting it up needs (the shrinker list's lock)
        for (int i = 0; i < last; i++) {
            if (!frames.get(i).unreliable() && Frame.baseName(frames.get(i).function()).equals("alloc_super")) {
                return null;
            }
        }
        for (int i = last + 1; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (!f.unreliable() && !VFS_MOUNT.contains(Frame.baseName(f.function()))) {
                return new Resource(ResourceKind.SUPERBLOCK, filesystem(f));
            }
        }
        return Resource.of(ResourceKind.SUPERBLOCK);
    }

    /**
     * The superblocks a task holds s_umount of: it is in their teardown or in a filesystem's fill_super, and does not
     * itself wait to take s_umount. Only where the filesystem is known (a module's frame, a filesystem's own kill_sb
     * or fill_super): a generic teardown alone ties to no mount.
     */
    static Set<Resource> holds(List<Frame> frames, Resource wait) {
        if (wait != null && wait.kind() == ResourceKind.SUPERBLOCK) {
            return Set.of();
        }
        boolean teardown = false;
        Set<String> filesystems = new LinkedHashSet<>();
        for (Frame f : frames) {
            if (f.unreliable()) {
                continue;
            }
            String fn = Frame.baseName(f.function());
            boolean own = fn.endsWith("_kill_super") || fn.endsWith("_kill_sb") || fn.endsWith("_fill_super");
            teardown |= own || TEARDOWN.contains(fn);
            if (own && !TEARDOWN.contains(fn)) {
                filesystems.add(filesystem(f));
            } else if (f.module() != null) {
                filesystems.add(filesystem(f));
            }
        }
        if (!teardown) {
            return Set.of();
        }
        Set<Resource> out = new LinkedHashSet<>();
        filesystems.forEach(fs -> out.add(new Resource(ResourceKind.SUPERBLOCK, fs)));
        return out;
    }

    /**
     * The filesystem a frame belongs to: its module, else its name's first word ("ext4" of ext4_fill_super), without
     * a version (nfsv4 and nfs4 are nfs, ext4 is ext).
     */
    static String filesystem(Frame f) {
        String name = f.module() != null ? f.module() : Frame.baseName(f.function()).replaceFirst("^_+", "");
        int cut = name.indexOf('_');
        String word = cut > 0 ? name.substring(0, cut) : name;
        return word.replaceFirst("v?[0-9]+$", "");
    }
}
