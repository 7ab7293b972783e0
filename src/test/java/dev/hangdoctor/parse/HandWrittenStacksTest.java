package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Stacks written out by hand (arrow chains, name lists, call trees) become a task, innermost frame first. */
class HandWrittenStacksTest {

    static List<Task> tasks(String text) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t");
        return List.copyOf(e.tasks());
    }

    static List<String> frames(Task t) {
        return t.frames().stream().map(Frame::function).toList();
    }

    @Test
    void anArrowChainRunsFromTheCallerToWhereTheTaskSleeps() throws Exception {
        // github.com/seaweedfs/seaweedfs pull 10090
        List<Task> t = tasks("""
                The reported kernel stack shows the killed process in uninterruptible `D` state inside `close()`:

                ```
                __x64_sys_close -> close_fd -> filp_close -> fuse_flush -> request_wait_answer
                ```
                """);
        assertThat(t).hasSize(1);
        assertThat(frames(t.get(0))).containsExactly("request_wait_answer", "fuse_flush", "filp_close", "close_fd",
                "__x64_sys_close");
    }

    @Test
    void aChainInsideASentenceIsFoundBetweenItsWords() throws Exception {
        List<Task> t = tasks("the task hangs in `ksys_read -> vfs_read -> fuse_file_read_iter -> request_wait_answer`."
                + " It never returns.\n");
        assertThat(t).hasSize(1);
        assertThat(frames(t.get(0))).containsExactly("request_wait_answer", "fuse_file_read_iter", "vfs_read",
                "ksys_read");
    }

    @Test
    void aChainAMailerWrappedAtAnArrowIsOneChain() throws Exception {
        // corpus zb-022 (a virtiofs guest's readdir), its sentence wrapped at 72 columns as a mailer sends it: once
        // after an arrow, once before one
        String after = """
                Independent `du`/`find` over that path block in the guest kernel at `request_wait_answer ->
                __fuse_simple_request -> fuse_readdir_uncached`, while the client `nix` waits on the daemon
                """;
        String before = """
                Independent `du`/`find` over that path block in the guest kernel at `request_wait_answer
                -> __fuse_simple_request -> fuse_readdir_uncached`, while the client `nix` waits on the daemon
                """;
        for (String text : List.of(after, before)) {
            List<Task> t = tasks(text);
            assertThat(t).hasSize(1);
            assertThat(frames(t.get(0))).containsExactly("request_wait_answer", "__fuse_simple_request",
                    "fuse_readdir_uncached");
        }
    }

    @Test
    void aWrappedLineWithoutAnArrowAtTheBreakStaysApart() throws Exception {
        // the chain ends on its own line; the next line's words are prose, not more of the chain
        List<Task> t = tasks("""
                it sleeps in `fuse_flush -> request_wait_answer`
                while close waits, see the trace below
                """);
        assertThat(t).isEmpty();
    }

    @Test
    void aNameListIsInnermostFirstAsTheKernelPrintsIt() throws Exception {
        // blog.csdn.net/lijzheng/article/details/23216633 (symbols copied from a sysrq dump)
        List<Task> t = tasks("""
                调用关系如下所示:
                schedule
                __down_read
                do_page_fault
                根据 内核调用链提示的信息
                """);
        assertThat(t).hasSize(1);
        assertThat(frames(t.get(0))).containsExactly("schedule", "__down_read", "do_page_fault");
    }

    @Test
    void aNameListOnADoubleSpacedPageIsStillOneList() throws Exception {
        // the same blog's list, a paragraph a line (a blank line after every line)
        List<Task> t = tasks("调用关系如下所示:\n\nschedule\n\n__down_read\n\ndo_page_fault\n\n根据 内核调用链提示的信息\n\n");
        assertThat(t).hasSize(1);
        assertThat(frames(t.get(0))).containsExactly("schedule", "__down_read", "do_page_fault");
        // a blank line of the page's own ends a list
        assertThat(tasks("schedule\n__down_read\n\nfoo\nbar_baz\n")).isEmpty();
    }

    @Test
    void aCallTreeDrawnCallerFirstIsTurnedAndItsMarkedLineIsInnermost() throws Exception {
        // github.com/kata-containers/kata-containers issue 13641
        List<Task> t = tasks("""
                ```
                inotify_release
                  fsnotify_destroy_group
                    fsnotify_wait_marks_destroyed
                      flush_delayed_work
                        __flush_work            <- D-state here
                          __x64_sys_close
                ```
                """);
        assertThat(t).hasSize(1);
        assertThat(frames(t.get(0))).containsExactly("__flush_work", "flush_delayed_work",
                "fsnotify_wait_marks_destroyed", "fsnotify_destroy_group", "inotify_release", "__x64_sys_close");
    }

    @Test
    void ftracesStackTraceLinesAreNames() throws Exception {
        // the " => %ps" lines of ftrace's stacktrace option (kernel/trace/trace_output.c)
        List<Task> t = tasks("""
                 => __schedule
                 => schedule
                 => io_schedule
                 => folio_wait_bit_common
                """);
        assertThat(t).hasSize(1);
        assertThat(frames(t.get(0))).containsExactly("__schedule", "schedule", "io_schedule", "folio_wait_bit_common");
    }

    @Test
    void framesWithTheirOffsetsJoinedByArrowsInASentenceAreAStack() throws Exception {
        // home-operations/miroir issue 262 (corpus zj-017): a /proc/PID/stack quoted inline in a bullet, left arrows
        List<Task> t = tasks("- **2026-09-13 18:20** \u2014 agent self-repair issued `drbdsetup down pvc-9e3357f3-\u2026`;"
                + " process went **D-state, uninterruptible, inside `del_connection`** (`/proc/<pid>/stack`:"
                + " `del_connection+0x4a/0x1c0 [drbd]` \u2190 `drbd_adm_down+0xcf/0x390`) and stayed there 45+ min.\n");
        assertThat(t).hasSize(1);
        assertThat(frames(t.get(0))).containsExactly("del_connection", "drbd_adm_down");
        assertThat(t.get(0).state()).isEqualTo(dev.hangdoctor.model.TaskState.UNINTERRUPTIBLE);
        // the same frames with right arrows run from the caller, and a sentence that says nothing of a stuck task
        // leaves the state unknown
        List<Task> forward = tasks("the call is `drbd_adm_down+0xcf/0x390` -> `del_connection+0x4a/0x1c0 [drbd]` here\n");
        assertThat(forward).hasSize(1);
        assertThat(frames(forward.get(0))).containsExactly("del_connection", "drbd_adm_down");
        assertThat(forward.get(0).state()).isEqualTo(dev.hangdoctor.model.TaskState.UNKNOWN);
    }

    @Test
    void oneFrameWithItsOffsetOrVersionArrowsAreNoChain() throws Exception {
        assertThat(tasks("it went D inside `del_connection+0x4a/0x1c0 [drbd]` and stayed\n")).isEmpty();
        assertThat(tasks("upgrade 9.2.1+0x1/0x2 -> 9.2.2 fixed it\n")).isEmpty();
    }

    @Test
    void menusMentionsMemberAccessAndWordListsAreProse() throws Exception {
        assertThat(tasks("Open Settings -> Network -> Proxy and wait.\n")).isEmpty();
        assertThat(tasks("it sits in fuse_flush -> request_wait_answer forever\n")).isEmpty();
        assertThat(tasks("if (sb->s_umount->wait_lock)\n")).isEmpty();
        assertThat(tasks("Thanks\nwaiting\nregards\n")).isEmpty();
        assertThat(tasks("hello\nworld_one\nschedule\n")).isEmpty();
    }

    /** lore.kernel.org/r/CAJZ5v0jesX_fz6-1wnNqYqtVE1qtjZhMsq2OW2L6EGvcpLPtsg@mail.gmail.com (corpus zl-005): retyped. */
    private static final String RETYPED = """
            > After about 20 minutes, the kernel issues a stack trace.
            >
            >         Task swapper blocked for more than 491 seconds.
            >         schedule
            >         schedule_timeout
            >         __down_timeout
            >         down_timeout
            >         acpi_os_wait_semaphore
            >         acpi_ex_system_wait_semaphore
            >         acpi_ev_acquire_global_lock
            >         acpi_ex_acquire_mutex_object
            >         acpi_ex_acquire_global_lock
            >         acpi_ex_write_data_to_field
            >         acpi_ex_store_object_to_node
            >         acpi_ex_store
            >         acpi_ex_opcode_1A_1T_1R
            >         acpi_ds_exec_end_op
            >         acpi_ps_parse_loop
            >         [a few frames more]
            >
            > For comparison, a (vastly) different laptop with a proper firmware,
            """;

    @Test
    void nameLinesAPageJoinedIntoOneLineAreTheSameStack() throws Exception {
        List<String> lines = frames(tasks(RETYPED).get(0));
        assertThat(lines).hasSize(15).startsWith("schedule", "schedule_timeout").endsWith("acpi_ps_parse_loop");
        // the page lost the line breaks: each line's quote mark and indentation stand between the names
        List<Task> joined = tasks(RETYPED.replace("\n", " "));
        assertThat(joined).hasSize(1);
        assertThat(frames(joined.get(0))).isEqualTo(lines);
        // and the same far into a long line, which the report's words keep as pieces cut between words
        List<Task> far = tasks("Some context first. ".repeat(30) + RETYPED.replace("\n", " "));
        assertThat(far).hasSize(1);
        assertThat(frames(far.get(0))).isEqualTo(lines);
    }

    @Test
    void wordsASentenceSeparatesBySingleSpacesAreNoJoinedList() throws Exception {
        // symbols in a sentence stand a single space apart: no list of lines was joined there
        assertThat(tasks("the task sleeps in schedule_timeout __down_timeout down_timeout acpi_os_wait_semaphore"
                + " as far as I can tell\n")).isEmpty();
        // a run of names apart by wide gaps, but no place to sleep among them, is a table of words, not a stack
        assertThat(tasks("acpi_ex_store         acpi_ex_opcode_1A_1T_1R         acpi_ds_exec_end_op\n")).isEmpty();
        // gaps of different widths are columns, not the joined lines of one list
        assertThat(tasks("schedule  schedule_timeout      __down_timeout   down_timeout\n")).isEmpty();
    }
}
