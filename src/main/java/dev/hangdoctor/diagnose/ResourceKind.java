package dev.hangdoctor.diagnose;

/** What a blocked task can wait for; each kind says in words what holding it means. */
public enum ResourceKind {
    JOURNAL_UPDATES("t_updates of the committing jbd2 transaction", "holds an open jbd2 handle"),
    JOURNAL_COMMIT("the jbd2 journal commit", "is the jbd2 thread committing the transaction"),
    MEMORY("memory (reclaim under a memory limit)", "was chosen by the OOM killer but cannot exit to free its memory"),
    MMAP_LOCK("an mmap lock (mmap_sem)", "holds an mmap lock (inside a page fault)"),
    FUSE_REPLY("a reply from a FUSE daemon", "is the FUSE daemon that must answer"),
    UFFD("a userfaultfd handler to serve a page fault", "owns the userfaultfd nobody serves"),
    PIDNS_EXIT("the other tasks of its pid namespace to exit", "is a task of that pid namespace that has not exited"),
    NFS_SERVER("an NFS server", "is the NFS server"),
    /** A 9p server (QEMU's virtfs, WSL's plan9 server for Windows drives, a container runtime's share). */
    NINEP_SERVER("a reply from a 9p server", "is the 9p server"),
    /**
     * The server of another network or cluster filesystem whose client waits killable for each request's reply:
     * CephFS's MDS or OSDs, an SMB server, Lustre's MDS/OSS (through ptlrpc and its lock manager).
     */
    NETFS_SERVER("a reply from a network filesystem's server (CephFS, SMB, Lustre)", "is the network filesystem's server"),
    /**
     * The hypervisor bringing in a page of a KVM guest's memory (an asynchronous page fault, arch/x86/kernel/kvm.c):
     * on the host that page is swapped out, or served on demand (a snapshot's memory through userfaultfd, a file
     * mapping, a post-copy migration).
     */
    HOST_PAGE("the hypervisor to bring in a page of the guest's memory (KVM asynchronous page fault)",
            "is the hypervisor's page-fault handling (host swap, a snapshot's memory served on demand)"),
    BLOCK_IO("block I/O to complete", "is the device"),
    XFS_LOG("XFS log space or a log force", "holds XFS log space"),
    /**
     * A page under migration (compaction, NUMA balancing, memory offlining): a fault on its migration entry sleeps
     * until the migrating task unlocks the page; no device is involved.
     */
    PAGE_MIGRATION("a page under migration (compaction, NUMA balancing) to be unlocked", "is migrating the page"),
    PATH_LOOKUP("another task's lookup of the same path (d_alloc_parallel)", "is doing that lookup"),
    LOCK("a kernel lock (mutex/rwsem/semaphore)", "holds the lock"),
    /** An rw-semaphore other than a process's mmap lock (an inode's, a superblock's ...): its holder is not known. */
    RWSEM("an rw-semaphore", "holds the rw-semaphore"),
    /**
     * A superblock's s_umount, which a mount looking up an existing superblock (sget, grab_super) takes and which the
     * task tearing that superblock down (deactivate_locked_super, generic_shutdown_super, kill_sb) or setting it up
     * (fill_super) holds; the key is the filesystem.
     */
    SUPERBLOCK("a superblock's s_umount (held by whoever tears that superblock down or sets it up)",
            "is tearing down or setting up that superblock, holding its s_umount"),
    CPU("a CPU (interrupts off / not scheduling)", "runs on the CPU");

    private final String waitPhrase;
    private final String holdPhrase;

    ResourceKind(String waitPhrase, String holdPhrase) {
        this.waitPhrase = waitPhrase;
        this.holdPhrase = holdPhrase;
    }

    public String waitPhrase() {
        return waitPhrase;
    }

    public String holdPhrase() {
        return holdPhrase;
    }

    /**
     * Waits the kernel does in S as well as D (FUSE's first interruptible wait, a userfault, do_wait in a dying pid
     * namespace, NFS's killable waits shown as S on some kernels): a task in S there still waits on it.
     */
    public boolean interruptibleWait() {
        return this == FUSE_REPLY || this == UFFD || this == PIDNS_EXIT || this == NFS_SERVER || this == NINEP_SERVER
                || this == NETFS_SERVER;
    }

    /** Resources no task in the evidence can hold: the chain ends outside the host's task list. */
    public boolean external() {
        return this == NFS_SERVER || this == NINEP_SERVER || this == NETFS_SERVER || this == BLOCK_IO;
    }
}
