package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import dev.hangdoctor.model.UffdHandle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads from a task's stack what it waits for and, from the stack and the rest of the evidence, what it holds that
 * others may wait for. The tables name kernel functions of every generation (3.10 to 6.x) where they differ.
 */
public final class WaitClassifier {

    /** Innermost-first: the first row whose function is on the stack decides the wait. */
    private static final List<Row> WAITS = List.of(
            // ext3's jbd (before jbd2, 2.4 to 3.x) names the same waits without the prefix; its start_this_handle
            // sleeps for a locked transaction itself, as jbd2's does where wait_transaction_locked is inlined
            new Row(ResourceKind.JOURNAL_UPDATES, "jbd2_journal_commit_transaction", "journal_commit_transaction"),
            new Row(ResourceKind.JOURNAL_COMMIT, "jbd2_log_wait_commit", "wait_transaction_locked",
                    "wait_transaction_switching", "jbd2_journal_lock_updates", "log_wait_commit", "start_this_handle"),
            new Row(ResourceKind.MEMORY, "free_more_memory", "mem_cgroup_oom_synchronize", "try_to_free_mem_cgroup_pages",
                    "mem_cgroup_reclaim", "try_to_free_pages", "__alloc_pages_slowpath", "mem_cgroup_handle_over_high",
                    "try_charge_memcg", "__mem_cgroup_try_charge", "out_of_memory", "throttle_direct_reclaim"),
            new Row(ResourceKind.FUSE_REPLY, "request_wait_answer", "fuse_wait_answer", "__fuse_request_send",
                    "fuse_simple_request", "fuse_wait_on_page_writeback", "fuse_get_req"),
            new Row(ResourceKind.UFFD, "handle_userfault"),
            // a KVM guest's task waiting for the host to fault a page of its memory in (kvm_async_pf_task_wait up to
            // 5.7, kvm_async_pf_task_wait_schedule from 5.8)
            new Row(ResourceKind.HOST_PAGE, "kvm_async_pf_task_wait_schedule", "kvm_async_pf_task_wait"),
            new Row(ResourceKind.PATH_LOOKUP, "d_alloc_parallel", "d_wait_lookup"),
            new Row(ResourceKind.PIDNS_EXIT, "zap_pid_ns_processes"),
            new Row(ResourceKind.NFS_SERVER, "rpc_wait_bit_killable", "nfs_wait_bit_killable", "__rpc_wait_for_completion_task",
                    "nfs4_wait_clnt_recover", "nfs_wait_on_request", "nfs_page_group_lock_wait", "nfs_set_open_stateid_locked",
                    "nfs_wait_client_init_complete", "nfs_iocounter_wait", "nfs_wait_bit_uninterruptible",
                    "nfs_page_group_lock", "nfs_page_set_headlock", "nfs_direct_wait"),
            // 9p's client waits killable for the server's reply to each request (net/9p/client.c)
            new Row(ResourceKind.NINEP_SERVER, "p9_client_rpc", "p9_client_zc_rpc"),
            // other network filesystems' clients waiting for their server's reply: CephFS (fs/ceph/mds_client.c,
            // net/ceph/osd_client.c), SMB (fs/smb/client/transport.c: wait_for_response on top of a /proc stack, its
            // callers below), Lustre (ptlrpc's request sets and the lock manager's completion wait)
            new Row(ResourceKind.NETFS_SERVER, "ceph_mdsc_do_request", "ceph_mdsc_wait_request", "ceph_osdc_wait_request",
                    "ceph_osdc_sync", "wait_for_response", "compound_send_recv", "cifs_send_recv", "SendReceive", "SendReceive2",
                    "SendReceiveBlockingLock", "ptlrpc_set_wait", "ptlrpc_queue_wait", "ldlm_completion_ast",
                    "cl_sync_io_wait", "osc_extent_wait"),
            new Row(ResourceKind.XFS_LOG, "xlog_grant_head_wait", "xlog_wait", "xlog_wait_on_iclog", "_xfs_log_force",
                    "xfs_log_force", "xfs_log_force_seq", "xfs_buf_lock", "xlog_state_get_iclog_space"),
            // which rw-semaphore (the mmap lock or another) is read from the frames around it: RwsemWaits
            new Row(ResourceKind.RWSEM, RwsemWaits.SLOW_PATHS),
            // the API calls count as well: a stack whose scheduler frames were cut shows the task inside "down" or
            // "mutex_lock" (a stack's frames are innermost first, so a slow path above them decides first); lockdep
            // kernels sleep inside mutex_lock_nested itself
            new Row(ResourceKind.LOCK, "__mutex_lock", "__mutex_lock_slowpath", "mutex_lock_killable", "__down",
                    "__down_common", "__down_killable", "rt_mutex_slowlock", "mutex_lock_nested",
                    "mutex_lock_killable_nested", "mutex_lock_interruptible_nested", "mutex_lock", "mutex_lock_io",
                    "mutex_lock_interruptible", "down", "down_interruptible", "down_killable", "down_timeout"),
            new Row(ResourceKind.BLOCK_IO, "blk_mq_get_tag", "get_request", "wait_on_page_bit", "wait_on_page_bit_common",
                    "folio_wait_bit_common", "__wait_on_buffer", "submit_bio_wait", "blk_execute_rq", "wait_for_completion_io",
                    "wait_for_completion_io_timeout", "__lock_page", "__folio_lock", "bit_wait_io", "io_schedule",
                    // a task's own asynchronous or direct I/O in flight (fs/aio.c, fs/inode.c, fs/direct-io.c)
                    "exit_aio", "wait_for_all_aios", "wait_on_sync_kiocb", "inode_dio_wait", "__inode_dio_wait",
                    "dio_await_one", "dio_await_completion", "blk_io_schedule"));

    private static final Row NFS_WAITS = WAITS.stream().filter(r -> r.kind == ResourceKind.NFS_SERVER).findFirst()
            .orElseThrow();

    /** Frames that run inside a jbd2 handle: a task here has incremented t_updates and not yet dropped it. */
    private static final Set<String> HANDLE_SCOPE = Set.of(
            "ext4_mark_inode_dirty", "__ext4_mark_inode_dirty", "ext4_reserve_inode_write", "ext4_mark_iloc_dirty",
            "ext4_journal_get_write_access", "__ext4_journal_get_write_access", "jbd2_journal_get_write_access",
            "jbd2_journal_get_create_access", "__ext4_handle_dirty_metadata", "jbd2_journal_dirty_metadata",
            "ext4_ext_tree_init", "ext4_orphan_add", "ext4_xattr_set_handle", "__ext4_new_inode", "ext4_add_nondir",
            "ext4_add_entry", "ext4_new_meta_blocks", "ext4_ext_map_blocks", "ext4_ind_map_blocks");

    /** Frames of a journal handle being started: below them the task does not hold one yet. */
    private static final Set<String> HANDLE_START = Set.of(
            "start_this_handle", "jbd2__journal_start", "jbd2_journal_start", "wait_transaction_locked",
            "add_transaction_credits");

    /** Page-fault and GUP paths: a task inside them holds its mm's mmap lock (read). */
    private static final Set<String> FAULT_PATH = Set.of(
            "handle_mm_fault", "__do_page_fault", "do_page_fault", "do_user_addr_fault", "__get_user_pages",
            "populate_vma_page_range", "__mm_populate", "lock_mm_and_find_vma", "vm_mmap_pgoff");

    private final Set<Integer> oomVictims = new HashSet<>();
    private final Set<Integer> uffdOwners = new HashSet<>();
    /** Daemon pid -> the connections with unanswered requests it holds /dev/fuse for. */
    private final Map<Integer, Set<Integer>> fuseDaemons = new HashMap<>();
    /**
     * The connection a FUSE waiter no open file or cwd ties to waits on: the only one with unanswered requests, or
     * the only stuck one no tied caller explains.
     */
    private Integer onlyWaitingConnection;
    /** Connections with unanswered requests that did not drain (when the window read them again). */
    private final Set<Integer> stuckConnections = new LinkedHashSet<>();
    /** Pid namespaces whose init is in zap_pid_ns_processes: every other live task of them keeps it waiting. */
    private final Set<String> dyingNamespaces = new HashSet<>();

    public WaitClassifier(Evidence evidence) {
        for (KernelEvent e : evidence.events(KernelEventKind.OOM_KILLED)) {
            if (e.pid() != null) {
                oomVictims.add(e.pid());
            }
        }
        for (UffdHandle u : evidence.uffds()) {
            if (u.pending() != null && u.pending() > 0) {
                uffdOwners.add(u.pid());
            }
        }
        // only connections with requests waiting: the daemon of an idle, healthy mount blocks nobody; nor does
        // one whose waiting requests drained across the scan's window (busy, not stuck)
        List<Integer> waitingConnections = new ArrayList<>();
        for (FuseConnection c : evidence.fuseConnections()) {
            if (c.waiting() != null && c.waiting() > 0 && (c.waitingAfter() == null || c.notDraining())) {
                waitingConnections.add(c.id());
                for (int pid : c.daemonPids()) {
                    fuseDaemons.computeIfAbsent(pid, k -> new LinkedHashSet<>()).add(c.id());
                }
            }
        }
        stuckConnections.addAll(waitingConnections);
        // a caller is tied to a connection by its open files and cwd; the callers nothing ties go to the one
        // stuck connection no tied caller explains, when there is exactly one
        Set<Integer> explained = new HashSet<>();
        for (Task t : evidence.tasks()) {
            t.fuseConnections().stream().filter(stuckConnections::contains).forEach(explained::add);
        }
        List<Integer> unexplained = waitingConnections.stream().filter(c -> !explained.contains(c)).toList();
        onlyWaitingConnection = waitingConnections.size() == 1 ? waitingConnections.get(0)
                : unexplained.size() == 1 ? unexplained.get(0) : null;
        for (Task t : evidence.tasks()) {
            if (t.pidNamespace() != null && Frames.indexOf(t.frames(), "zap_pid_ns_processes") >= 0) {
                dyingNamespaces.add(t.pidNamespace());
            }
        }
    }

    /** The resource key of the userfaultfds with pending faults that one process holds. */
    static String uffdKey(int tgid) {
        return "userfaultfd of pid " + tgid;
    }

    /** The resource key of a FUSE connection. */
    static String fuseKey(int connection) {
        return "connection " + connection;
    }

    /** What the task waits for, or null when its stack shows no wait this table knows. */
    public Resource waitOf(Task t) {
        Resource w = stackWait(t);
        Resource superblock = SuperblockWaits.waitOf(t.frames(), w);
        if (superblock != null) {
            return superblock;
        }
        return w == null || w.kind() == ResourceKind.RWSEM ? w : keyed(w.kind(), t);
    }

    /**
     * What the task's stack alone says it waits for (no connection, namespace or cgroup it is narrowed to), or null
     * when its stack shows no wait this table knows.
     */
    public static Resource stackWait(Task t) {
        List<Frame> frames = t.frames();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (f.unreliable()) {
                continue;
            }
            for (Row r : WAITS) {
                if (r.has(f.function())) {
                    if (r.kind == ResourceKind.BLOCK_IO && anyBeyond(frames, i, NFS_WAITS::has)) {
                        // io_schedule / bit_wait_io under the NFS client's own request wait: the server, not a disk
                        return Resource.of(ResourceKind.NFS_SERVER);
                    }
                    if (r.kind == ResourceKind.BLOCK_IO && anyBeyond(frames, i, WaitClassifier::isMigrationWait)) {
                        // a fault on a migration entry sleeps on the page lock the migrating task holds
                        // (io_schedule in migration_entry_wait_on_locked, 6.1+; wait_on_page_locked or
                        // put_and_wait_on_page_locked under __migration_entry_wait before): no device
                        return Resource.of(ResourceKind.PAGE_MIGRATION);
                    }
                    return r.kind == ResourceKind.RWSEM ? RwsemWaits.of(t, frames, i) : Resource.of(r.kind);
                }
            }
        }
        return null;
    }

    /** Whether a reliable frame outer to {@code from} is one the test names. */
    private static boolean anyBeyond(List<Frame> frames, int from, java.util.function.Predicate<String> test) {
        for (int j = from + 1; j < frames.size(); j++) {
            Frame f = frames.get(j);
            if (!f.unreliable() && test.test(f.function())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A page fault's wait for a page under migration: migration_entry_wait (and its _huge form),
     * pmd_migration_entry_wait, __migration_entry_wait (which waits in wait_on_page_locked, 5.0+ in
     * put_and_wait_on_page_locked or folio_put_wait_locked, helpers the read path uses too) and, in 6.1+,
     * migration_entry_wait_on_locked.
     */
    static boolean isMigrationWait(String function) {
        String fn = Frame.baseName(function);
        return fn.startsWith("migration_entry_wait") || fn.startsWith("__migration_entry_wait")
                || fn.equals("pmd_migration_entry_wait");
    }

    /** Whether the function (compiler suffix ignored) is one of the waits this table names. */
    static boolean isWait(String function) {
        for (Row r : WAITS) {
            if (r.has(function)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Narrows a wait where the evidence tells which one: the FUSE connection the task's files or cwd are on, or
     * the one stuck connection left (a stack does not name its mount), the pid namespace of a zapping init.
     */
    private Resource keyed(ResourceKind kind, Task t) {
        if (kind == ResourceKind.FUSE_REPLY) {
            List<Integer> mine = t.fuseConnections().stream().filter(stuckConnections::contains).sorted().toList();
            if (mine.size() == 1) {
                return new Resource(kind, fuseKey(mine.get(0)));
            }
            if (mine.isEmpty() && !t.fuseConnections().isEmpty()) {
                // its files are on connections that drain: it waits on one of those, not on a stuck one
                return new Resource(kind, fuseKey(t.fuseConnections().stream().sorted().findFirst().get()));
            }
            if (mine.isEmpty() && onlyWaitingConnection != null) {
                return new Resource(kind, fuseKey(onlyWaitingConnection));
            }
        }
        if (kind == ResourceKind.UFFD) {
            // a thread faulting on its own process's memory waits on that process's uffd; a kworker or a remote
            // GUP (seed 002) could be faulting on anyone's
            int tgid = t.tgid() != null ? t.tgid() : t.pid();
            if (uffdOwners.contains(tgid)) {
                return new Resource(kind, uffdKey(tgid));
            }
        }
        if (kind == ResourceKind.PIDNS_EXIT && t.pidNamespace() != null) {
            return new Resource(kind, t.pidNamespace());
        }
        if (kind == ResourceKind.MEMORY && t.memoryCgroup() != null) {
            // memory is per cgroup: a task at one container's limit does not wait on another's
            return new Resource(kind, t.memoryCgroup());
        }
        return Resource.of(kind);
    }

    /** What the task holds that other tasks could be waiting for. */
    public Set<Resource> holdsOf(Task t) {
        Set<Resource> held = new LinkedHashSet<>();
        List<Frame> frames = t.frames();
        if (holdsJournalHandle(t)) {
            held.add(Resource.of(ResourceKind.JOURNAL_UPDATES));
        }
        if (Frames.indexOf(frames, "jbd2_journal_commit_transaction") >= 0 || Frames.indexOf(frames, "kjournald2") >= 0
                || Frames.indexOf(frames, "journal_commit_transaction") >= 0 || Frames.indexOf(frames, "kjournald") >= 0) {
            held.add(Resource.of(ResourceKind.JOURNAL_COMMIT));
        }
        if (oomVictims.contains(t.pid()) && t.state() != TaskState.DEAD && t.state() != TaskState.ZOMBIE) {
            held.add(t.memoryCgroup() == null ? Resource.of(ResourceKind.MEMORY)
                    : new Resource(ResourceKind.MEMORY, t.memoryCgroup()));
        }
        Resource wait = waitOf(t);
        held.addAll(SuperblockWaits.holds(frames, wait));
        if ((wait == null || wait.kind() != ResourceKind.MMAP_LOCK) && anyOf(frames, FAULT_PATH)) {
            held.add(Resource.of(ResourceKind.MMAP_LOCK));
        }
        if ((wait == null || wait.kind() != ResourceKind.PATH_LOOKUP)
                && (Frames.indexOf(frames, "__lookup_slow") >= 0 || Frames.indexOf(frames, "lookup_open") >= 0)) {
            held.add(Resource.of(ResourceKind.PATH_LOOKUP));
        }
        int tgid = t.tgid() != null ? t.tgid() : t.pid();
        if (uffdOwners.contains(tgid)) {
            held.add(new Resource(ResourceKind.UFFD, uffdKey(tgid)));
        }
        Set<Integer> served = fuseDaemons.get(t.pid());
        if (served != null) {
            // the process holding /dev/fuse of a connection with unanswered requests is who must answer them
            served.forEach(c -> held.add(new Resource(ResourceKind.FUSE_REPLY, fuseKey(c))));
        }
        boolean alive = t.state() != TaskState.ZOMBIE && t.state() != TaskState.DEAD;
        boolean zapping = wait != null && wait.kind() == ResourceKind.PIDNS_EXIT;
        String ns = t.pidNamespace();
        if (alive && !zapping && ns != null && dyingNamespaces.contains(ns)) {
            // any task of a dying namespace that has not exited keeps the init waiting (exiting or not: a task
            // closing a file when SIGKILL came never reaches do_exit while its flush is unanswered)
            held.add(new Resource(ResourceKind.PIDNS_EXIT, ns));
        } else if (alive && ns == null && Frames.indexOf(frames, "do_exit") >= 0 && wait != null && !zapping) {
            // no namespace ids (crash, pasted stacks): an exiting task stuck on something else is the suspect
            held.add(Resource.of(ResourceKind.PIDNS_EXIT));
        }
        return held;
    }

    /** A non-zero journal_info (crash), or a frame that runs inside a handle with no handle start below it. */
    public static boolean holdsJournalHandle(Task t) {
        if (t.journalInfo() != null) {
            return t.journalInfo() != 0;
        }
        List<Frame> frames = t.frames();
        int firstStart = Integer.MAX_VALUE;
        int firstScope = -1;
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (f.unreliable()) {
                continue;
            }
            String fn = Frame.baseName(f.function());
            if (firstScope < 0 && HANDLE_SCOPE.contains(fn)) {
                firstScope = i;
            }
            if (firstStart == Integer.MAX_VALUE && HANDLE_START.contains(fn)) {
                firstStart = i;
            }
        }
        // a handle start above (inner to) every scope frame means the task is still acquiring its handle
        return firstScope >= 0 && firstScope < firstStart;
    }

    private static boolean anyOf(List<Frame> frames, Set<String> names) {
        for (Frame f : frames) {
            if (!f.unreliable() && names.contains(Frame.baseName(f.function()))) {
                return true;
            }
        }
        return false;
    }


    private record Row(ResourceKind kind, Set<String> functions) {
        Row(ResourceKind kind, String... functions) {
            this(kind, Set.of(functions));
        }

        boolean has(String fn) {
            return functions.contains(fn) || functions.contains(Frame.baseName(fn));
        }
    }
}
