package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownReportTest {

    @Test
    void seed001ReadsLikeATicket() throws IOException {
        Diagnosis d = Seeds.diagnose(Path.of("examples/seed001-centos7-jbd2-oom"));
        String md = MarkdownReport.render(d);
        assertThat(md).startsWith("## Hang: OOM kill deadlocks ext4/jbd2");
        assertThat(md).contains(
                "**Blocker:** `ext4-repro-with-write:27225 (R) in free_more_memory`",
                "**Victims:** 3 task(s): `jbd2/md127-8:587`",
                "- jbd2/md127-8:587 (D) waits for t_updates of the committing jbd2 transaction",
                "1. Give the cgroup more memory: `echo <bytes> > /sys/fs/cgroup/memory/<cgroup>/memory.limit_in_bytes`",
                "[94dc24c0c59a](https://git.kernel.org/linus/94dc24c0c59a)",
                "<https://bugzilla.redhat.com/show_bug.cgi?id=1911392>",
                "```text\n__schedule\nsys_sched_yield\n",
                "### Kernel log",
                "Killed process 27153");
        assertThat(fences(md) % 2).as("every fence closed").isZero();
    }

    @Test
    void everySeedRendersBounded() throws IOException {
        for (Path folder : Seeds.folders()) {
            Diagnosis d = Seeds.diagnose(folder);
            String md = MarkdownReport.render(d);
            for (Finding f : d.findings()) {
                assertThat(md).as(folder.toString()).contains(MarkdownReport.text(f.title()));
            }
            assertThat(md.length()).isLessThan(MarkdownReport.MAX_CHARS);
        }
        String big = MarkdownReport.render(Seeds.diagnose(Seeds.bigHost()));
        assertThat(big.length()).isLessThan(MarkdownReport.MAX_CHARS);
        assertThat(big).contains("top 5 shown", "5001 task(s)", "+4991 more", "5000 tasks like");
    }

    @Test
    void quotedTextCannotBreakOut() throws IOException {
        Evidence e = Seeds.load(Path.of("examples/seed001-centos7-jbd2-oom"));
        Task blocker = e.taskOrNull(27225);
        blocker.comm("x`](javascript:alert(1)) <img src=x>");
        List<Frame> frames = new ArrayList<>(blocker.frames());
        frames.add(0, Frame.of("```\n# not a heading"));
        blocker.frames(frames);
        String md = MarkdownReport.render(Seeds.diagnose(e));
        assertThat(md).contains("``x`](javascript:alert(1)) <img src=x>:27225");
        assertThat(md).contains("````text\n```\n# not a heading");
        assertThat(md).doesNotContain("\n# not a heading\n````\n```text");
        assertThat(md).contains("x\\`\\](javascript:alert(1)) \\<img src=x>:27225 (R)"); // in the chain prose
    }

    @Test
    void textEscapesOnlyWhatMarkdownActsOn() {
        assertThat(MarkdownReport.text("task_struct.journal_info in __getblk()")).isEqualTo(
                "task_struct.journal_info in \\_\\_getblk()");
        assertThat(MarkdownReport.text("# [a](b) <i> *x*")).isEqualTo("\\# \\[a\\](b) \\<i> \\*x\\*");
        assertThat(MarkdownReport.code("a`b")).isEqualTo("``a`b``");
    }

    private static int fences(String md) {
        int n = 0;
        for (String line : md.split("\n")) {
            if (line.startsWith("```")) {
                n++;
            }
        }
        return n;
    }
}
