package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which rw-semaphore a task sleeps on, read from the frames around its rwsem slow path. The slow path is the same for
 * every rw-semaphore (a process's mmap lock, an inode's i_rwsem, a superblock's s_umount, namespace_sem, XFS's inode
 * locks, ext4's xattr_sem ...); only the caller that took it tells them apart, so the mmap lock is named only where
 * the caller is a memory-map path (a page fault, mmap/munmap/mprotect/brk, GUP, a /proc read of another process's
 * memory, an mm's teardown at exit, khugepaged, ksmd, swapoff).
 */
final class RwsemWaits {
    /** The rwsem slow paths of 3.10 to 6.x (call_rwsem_* are the x86 assembly thunks of 3.x/4.x). */
    static final Set<String> SLOW_PATHS = Set.of(
            "rwsem_down_read_failed", "rwsem_down_read_slowpath", "rwsem_down_write_failed",
            "rwsem_down_write_slowpath", "call_rwsem_down_read_failed", "call_rwsem_down_write_failed",
            "rwsem_down_read_failed_killable", "rwsem_down_write_failed_killable",
            "call_rwsem_down_read_failed_killable", "call_rwsem_down_write_failed_killable",
            "percpu_rwsem_wait", "__percpu_down_read", "percpu_down_write");

    /**
     * The percpu rw-semaphore's own frames (5.8+ waits in percpu_rwsem_wait; 4.x through an inner rw_sem): a
     * filesystem's freeze lock (sb_writers), cgroup_threadgroup_rwsem or cpu_hotplug_lock, never the mmap lock or an
     * inode's.
     */
    private static final Set<String> PERCPU = Set.of(
            "percpu_rwsem_wait", "__percpu_down_read", "percpu_down_write", "percpu_down_read",
            "percpu_rwsem_down_read", "rcu_sync_enter");

    /** Frames between the slow path and the code that wanted the lock: the lock API itself. */
    private static final Set<String> PLUMBING = Set.of(
            "down_read", "down_write", "down_read_killable", "down_write_killable", "down_read_interruptible",
            "down_read_nested", "down_write_nested", "_down_write_nest_lock", "down_read_non_owner",
            "__down_read", "__down_write", "__down_read_common", "__down_write_common", "__down_read_killable",
            "__down_write_killable", "__down_read_interruptible");

    /** Lock API wrappers whose name says which rw-semaphore they take. */
    private static final Map<String, String> WRAPPERS = Map.ofEntries(
            Map.entry("mmap_read_lock", "mmap"), Map.entry("mmap_write_lock", "mmap"),
            Map.entry("mmap_read_lock_killable", "mmap"), Map.entry("mmap_write_lock_killable", "mmap"),
            Map.entry("inode_lock", "i_rwsem"), Map.entry("inode_lock_shared", "i_rwsem"),
            Map.entry("inode_lock_nested", "i_rwsem"), Map.entry("inode_lock_killable", "i_rwsem"),
            Map.entry("inode_lock_shared_killable", "i_rwsem"));

    /** Callers that take their process's mmap lock (mmap_sem before 5.8). */
    private static final Set<String> MM_PATHS = Set.of(
            "do_page_fault", "__do_page_fault", "do_user_addr_fault", "lock_mm_and_find_vma",
            "vm_mmap_pgoff", "do_mmap", "do_mmap_pgoff", "mmap_region", "ksys_mmap_pgoff", "sys_mmap_pgoff",
            "vm_munmap", "__vm_munmap", "do_munmap", "__do_munmap", "sys_munmap", "__do_sys_munmap",
            "__x64_sys_munmap", "do_mprotect_pkey", "sys_mprotect", "__do_sys_mprotect", "sys_brk", "__do_sys_brk",
            "vm_brk", "vm_brk_flags", "sys_mremap", "__do_sys_mremap", "do_madvise", "sys_madvise",
            "__do_sys_madvise", "do_mlock", "apply_vma_lock_flags", "sys_mlockall", "__do_sys_mlockall",
            "sys_msync", "__do_sys_msync", "sys_mincore", "__do_sys_mincore", "__mm_populate",
            "populate_vma_page_range", "__get_user_pages", "__get_user_pages_locked", "get_user_pages",
            "get_user_pages_unlocked", "get_user_pages_remote", "get_user_pages_fast", "__access_remote_vm",
            "access_remote_vm", "get_cmdline", "get_mm_cmdline", "proc_pid_cmdline_read", "environ_read",
            "proc_pid_environ_read", "m_start", "show_smaps_rollup", "pagemap_read", "collapse_huge_page",
            "khugepaged_scan_mm_slot", "hpage_collapse_scan_mm_slot", "khugepaged_do_scan", "khugepaged", "dup_mmap",
            "dup_mm", "exit_mmap", "exit_mm", "coredump_wait", "do_coredump", "userfaultfd_register",
            "userfaultfd_unregister", "acct_collect", "setup_arg_pages", "aio_setup_ring",
            // an mm's teardown: mmput runs ksm_exit and khugepaged_exit, which take the exiting mm's lock for write
            // to wait out ksmd's or khugepaged's scan of it (mm/ksm.c, mm/khugepaged.c), inlined or not
            "mmput", "__mmput", "ksm_exit", "__ksm_exit", "khugepaged_exit", "__khugepaged_exit",
            // ksmd's scan and unmerge read each mm's lock (mm/ksm.c); swapoff reads each mm's (unuse_mm)
            "scan_get_next_rmap_item", "ksm_do_scan", "ksm_scan_thread", "unmerge_and_remove_all_rmap_items",
            "break_cow", "get_mergeable_page", "try_to_merge_with_ksm_page", "unuse_mm",
            // another process's memory (ptrace, process_vm_readv/writev) and the GUP fallbacks that lock it
            "access_process_vm", "ptrace_access_vm", "process_vm_rw_single_vec", "__get_user_pages_unlocked",
            "__gup_longterm_unlocked",
            // the fault path's lock helpers of 6.4+ (after the per-VMA lock fell back to mmap_lock)
            "get_mmap_lock_carefully", "upgrade_mmap_lock_carefully",
            // syscalls and their helpers that lock the caller's mm
            "sys_mlock", "sys_munlock", "__do_sys_munlock", "sys_munlockall", "__do_sys_munlockall",
            "ksys_shmdt", "sys_shmdt", "__do_sys_shmdt", "prctl_set_mm", "prctl_set_mm_map", "__bprm_mm_init",
            "task_numa_work", "clear_refs_write", "proc_map_files_readdir",
            // userfaultfd's release and copy ioctls up to 6.3 (6.8+ also read ctx->map_changing_lock)
            "userfaultfd_release", "__mcopy_atomic");

    /** Callers of other well-known rw-semaphores, by the lock's name in the kernel. */
    private static final Map<String, String> NAMED = Map.ofEntries(
            // an inode's i_rwsem (i_mutex before 4.7): path walks, creates, renames, writes, readdir
            Map.entry("do_last", "i_rwsem"), Map.entry("open_last_lookups", "i_rwsem"),
            Map.entry("lookup_slow", "i_rwsem"), Map.entry("filename_create", "i_rwsem"),
            Map.entry("do_unlinkat", "i_rwsem"), Map.entry("do_rmdir", "i_rwsem"), Map.entry("lock_rename", "i_rwsem"),
            Map.entry("lock_rename_child", "i_rwsem"), Map.entry("lock_two_nondirectories", "i_rwsem"),
            Map.entry("chown_common", "i_rwsem"), Map.entry("chmod_common", "i_rwsem"),
            Map.entry("do_truncate", "i_rwsem"), Map.entry("iterate_dir", "i_rwsem"),
            Map.entry("generic_file_write_iter", "i_rwsem"), Map.entry("ext4_file_write_iter", "i_rwsem"),
            Map.entry("ext4_buffered_write_iter", "i_rwsem"), Map.entry("ext4_dio_write_iter", "i_rwsem"),
            Map.entry("ext4_fallocate", "i_rwsem"), Map.entry("btrfs_file_write_iter", "i_rwsem"),
            Map.entry("fuse_file_write_iter", "i_rwsem"), Map.entry("fuse_cache_write_iter", "i_rwsem"),
            Map.entry("vfs_setxattr", "i_rwsem"), Map.entry("vfs_removexattr", "i_rwsem"),
            Map.entry("simple_recursive_removal", "i_rwsem"),
            // a superblock's s_umount
            Map.entry("deactivate_super", "s_umount"), Map.entry("grab_super", "s_umount"),
            Map.entry("super_lock", "s_umount"), Map.entry("iterate_supers", "s_umount"),
            Map.entry("iterate_supers_type", "s_umount"), Map.entry("freeze_super", "s_umount"),
            Map.entry("thaw_super", "s_umount"), Map.entry("user_get_super", "s_umount"),
            Map.entry("get_super", "s_umount"), Map.entry("__get_super", "s_umount"),
            Map.entry("get_super_thawed", "s_umount"), Map.entry("get_active_super", "s_umount"),
            Map.entry("do_remount", "s_umount"), Map.entry("do_umount", "s_umount"),
            // mm/vmscan.c's shrinker_rwsem (up to 6.6): registering or unregistering a shrinker (every new
            // superblock's alloc_super preallocates one) waits for reclaim running the shrinkers under it
            Map.entry("prealloc_shrinker", "shrinker_rwsem"), Map.entry("prealloc_memcg_shrinker", "shrinker_rwsem"),
            Map.entry("register_shrinker_prepared", "shrinker_rwsem"), Map.entry("register_shrinker", "shrinker_rwsem"),
            Map.entry("unregister_shrinker", "shrinker_rwsem"), Map.entry("free_prealloced_shrinker", "shrinker_rwsem"),
            // the mount table's namespace_sem
            Map.entry("namespace_lock", "namespace_sem"), Map.entry("lock_mount", "namespace_sem"),
            Map.entry("do_lock_mount", "namespace_sem"),
            // cgroup_threadgroup_rwsem (a percpu rw-semaphore: fork, exit and moving tasks between cgroups)
            Map.entry("cgroup_procs_write_start", "cgroup_threadgroup_rwsem"),
            Map.entry("__cgroup_procs_write", "cgroup_threadgroup_rwsem"),
            Map.entry("cgroup_attach_lock", "cgroup_threadgroup_rwsem"),
            Map.entry("cgroup_threadgroup_change_begin", "cgroup_threadgroup_rwsem"),
            Map.entry("cgroup_can_fork", "cgroup_threadgroup_rwsem"),
            Map.entry("exit_signals", "cgroup_threadgroup_rwsem"),
            // ext4's xattr_sem
            Map.entry("ext4_xattr_set_handle", "xattr_sem"), Map.entry("ext4_xattr_get", "xattr_sem"),
            Map.entry("ext4_expand_extra_isize_ea", "xattr_sem"), Map.entry("ext4_write_lock_xattr", "xattr_sem"),
            // XFS's inode locks (i_lock, i_mmaplock: mrlock before 5.x)
            Map.entry("xfs_ilock", "xfs inode lock"), Map.entry("xfs_ilock_data_map_shared", "xfs inode lock"),
            Map.entry("xfs_ilock_attr_map_shared", "xfs inode lock"), Map.entry("xfs_ilock2_io_mmap", "xfs inode lock"),
            Map.entry("mraccess", "xfs inode lock"), Map.entry("mrupdate", "xfs inode lock"),
            Map.entry("mraccess_nested", "xfs inode lock"), Map.entry("mrupdate_nested", "xfs inode lock"));

    /**
     * Callers of a percpu rw-semaphore: writers and page faults of a filesystem take its freeze lock (sb_start_write,
     * sb_start_pagefault, sb_start_intwrite, inlined into them on most kernels) and the freezer waits it out; fork,
     * exit and cgroup moves take cgroup_threadgroup_rwsem; cpus_read_lock and CPU hotplug take cpu_hotplug_lock.
     */
    private static final Map<String, String> PERCPU_NAMED = Map.ofEntries(
            Map.entry("__sb_start_write", "sb_writers"), Map.entry("mnt_want_write", "sb_writers"),
            Map.entry("mnt_want_write_file", "sb_writers"), Map.entry("vfs_write", "sb_writers"),
            Map.entry("vfs_writev", "sb_writers"), Map.entry("do_iter_write", "sb_writers"),
            Map.entry("vfs_fallocate", "sb_writers"), Map.entry("do_sys_ftruncate", "sb_writers"),
            Map.entry("vfs_copy_file_range", "sb_writers"), Map.entry("sb_wait_write", "sb_writers"),
            Map.entry("freeze_super", "sb_writers"), Map.entry("do_page_mkwrite", "sb_writers"),
            Map.entry("block_page_mkwrite", "sb_writers"), Map.entry("ext4_page_mkwrite", "sb_writers"),
            Map.entry("xfs_filemap_page_mkwrite", "sb_writers"), Map.entry("__xfs_filemap_fault", "sb_writers"),
            Map.entry("btrfs_page_mkwrite", "sb_writers"), Map.entry("ext4_evict_inode", "sb_writers"),
            Map.entry("xfs_trans_alloc", "sb_writers"), Map.entry("io_write", "sb_writers"),
            Map.entry("cpus_read_lock", "cpu_hotplug_lock"), Map.entry("cpus_write_lock", "cpu_hotplug_lock"),
            Map.entry("get_online_cpus", "cpu_hotplug_lock"), Map.entry("cpu_hotplug_begin", "cpu_hotplug_lock"),
            Map.entry("exit_signals", "cgroup_threadgroup_rwsem"),
            Map.entry("copy_process", "cgroup_threadgroup_rwsem"),
            Map.entry("de_thread", "cgroup_threadgroup_rwsem"));

    private static final Map<String, String> WORDS = Map.of(
            "i_rwsem", "i_rwsem, the inode lock", "s_umount", "s_umount, the superblock's lock",
            "namespace_sem", "namespace_sem, the mount table's lock",
            "cgroup_threadgroup_rwsem", "cgroup_threadgroup_rwsem", "xattr_sem", "ext4 xattr_sem",
            "xfs inode lock", "an XFS inode lock", "sb_writers", "sb_writers, the filesystem's freeze lock",
            "cpu_hotplug_lock", "cpu_hotplug_lock", "shrinker_rwsem", "shrinker_rwsem, the shrinker list's lock");

    private RwsemWaits() {
    }

    /**
     * The wait of a task whose frame {@code at} is an rwsem slow path: the mmap lock when the code that took it is a
     * memory-map path (or khugepaged with its stack cut there: it reads no other rw-semaphore outside file THP
     * collapse), else an rw-semaphore named by that code.
     */
    static Resource of(Task t, List<Frame> frames, int at) {
        String caller = null;
        boolean percpu = PERCPU.contains(Frame.baseName(frames.get(at).function()));
        for (int i = at + 1; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (f.unreliable()) {
                continue;
            }
            String fn = Frame.baseName(f.function());
            String named = WRAPPERS.get(fn);
            if (named != null) {
                return resource(named);
            }
            if (SLOW_PATHS.contains(fn) || PLUMBING.contains(fn) || PERCPU.contains(fn)) {
                percpu |= PERCPU.contains(fn);
                continue;
            }
            caller = fn;
            break;
        }
        if (percpu) {
            String named = caller == null ? null : caller.startsWith("cgroup_") ? "cgroup_threadgroup_rwsem"
                    : PERCPU_NAMED.get(caller);
            return named != null ? resource(named)
                    : new Resource(ResourceKind.RWSEM, "percpu" + (caller == null ? "" : ", taken in " + caller));
        }
        if (caller == null) {
            return "khugepaged".equals(t.comm()) ? Resource.of(ResourceKind.MMAP_LOCK)
                    : Resource.of(ResourceKind.RWSEM);
        }
        if (MM_PATHS.contains(caller)) {
            return Resource.of(ResourceKind.MMAP_LOCK);
        }
        String named = NAMED.get(caller);
        return named != null ? resource(named) : new Resource(ResourceKind.RWSEM, "taken in " + caller);
    }

    private static Resource resource(String lock) {
        return lock.equals("mmap") ? Resource.of(ResourceKind.MMAP_LOCK)
                : new Resource(ResourceKind.RWSEM, WORDS.get(lock));
    }
}
