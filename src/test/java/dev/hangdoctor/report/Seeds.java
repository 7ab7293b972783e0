package dev.hangdoctor.report;

import dev.hangdoctor.collect.EvidenceLoader;
import dev.hangdoctor.diagnose.Diagnoser;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Evidence for report tests: the seed example folders run through the real pipeline, and a generated big host. */
final class Seeds {
    static final Path EXAMPLES = Path.of("examples");

    private Seeds() {
    }

    /** The seed example folders that exist (seedNNN-*), sorted. */
    static List<Path> folders() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("seed")).sorted().toList();
        }
    }

    /** The folder loaded as `analyze FOLDER` loads it: its files merged, or a saved bundle read as one host. */
    static Evidence load(Path folder) throws IOException {
        return EvidenceLoader.load(folder.toString(), InputStream.nullInputStream());
    }

    static Diagnosis diagnose(Evidence e) {
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    static Diagnosis diagnose(Path folder) throws IOException {
        return diagnose(load(folder));
    }

    static List<Frame> frames(String... fns) {
        return Arrays.stream(fns).map(Frame::of).toList();
    }

    /**
     * A 10 000-task host: seed 001's deadlock (a handle holder looping in free_more_memory, the jbd2 thread, and
     * 5 000 writers queued in wait_transaction_locked) plus ~5 000 sleeping tasks in 2 500 distinct stacks.
     */
    static Evidence bigHost() {
        Evidence e = new Evidence();
        e.addTask(new Task(587).comm("jbd2/md127-8").state(TaskState.UNINTERRUPTIBLE).frames(frames(
                "__schedule", "schedule", "jbd2_journal_commit_transaction", "kjournald2", "kthread")));
        e.addTask(new Task(27225).comm("writer").state(TaskState.RUNNING).journalInfo(0xffff9f53fa89bb70L)
                .frames(frames("__schedule", "sys_sched_yield", "yield", "free_more_memory", "__getblk",
                        "__ext4_get_inode_loc", "ext4_reserve_inode_write", "ext4_mark_inode_dirty",
                        "ext4_ext_tree_init", "__ext4_new_inode", "ext4_create", "vfs_create")));
        for (int i = 0; i < 5000; i++) {
            e.addTask(new Task(30000 + i).comm("writer-" + i).state(TaskState.UNINTERRUPTIBLE).frames(frames(
                    "__schedule", "schedule", "wait_transaction_locked", "add_transaction_credits",
                    "start_this_handle", "jbd2__journal_start", "__ext4_journal_start_sb", "ext4_dirty_inode",
                    "__mark_inode_dirty", "update_time", "file_update_time")));
        }
        for (int i = 0; i < 4998; i++) {
            List<String> fns = new ArrayList<>(List.of("__schedule", "schedule", "schedule_hrtimeout_range",
                    "ep_poll", "sys_epoll_wait"));
            fns.add("caller_" + (i % 2500)); // 2 500 distinct stacks of two tasks each
            e.addTask(new Task(100000 + i).comm("svc-" + i).state(TaskState.SLEEPING)
                    .frames(frames(fns.toArray(String[]::new))));
        }
        return e;
    }
}
