package dev.hangdoctor.collect;

import dev.hangdoctor.diagnose.Diagnoser;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live scan's kernel buffer holds reports of hangs that are over: they become history with when, never a finding.
 * The host is the captured 6.18 bundle; its kernel messages are the real records of a hung `fsop` (pid 6365, not on
 * this host any more) plus the same report block re-addressed to two of the bundle's tasks: `hog` 5213, which stays
 * in D across the window, and `mk2` 4892, which runs again during it.
 */
class KernelHistoryTest {
    @TempDir
    Path dir;

    private Path kmsg() throws Exception {
        List<String> records = Files.readAllLines(KmsgReaderTest.records());
        List<String> out = new ArrayList<>(records);
        for (String[] who : new String[][] {{"hog", "5213"}, {"mk2", "4892"}}) {
            for (String r : records.subList(7, records.size())) {
                out.add(r.replace("fsop:6365", who[0] + ":" + who[1]).replace("task:fsop", "task:" + who[0])
                        .replace("pid:6365  tgid:6365", "pid:" + who[1] + "  tgid:" + who[1]));
            }
        }
        Path f = dir.resolve("kmsg.txt");
        Files.write(f, out);
        return f;
    }

    private Evidence scan(Path host, Path save) throws Exception {
        // the reports were logged at 726 s; the host has been up 3 hours
        Files.writeString(host.resolve("proc/uptime"), "11526.00 20000.00\n");
        LiveSampler.Options o = LiveSampler.Options.defaults().withWindow(Duration.ofMillis(200))
                .withReader(new TimedReader(4)).withKmsgDevice(kmsg()).withSaveDir(save);
        // 4892 runs again during the window (and 4891 exits)
        return new LiveSampler(host, o, LiveSamplerTest.changes(host)).scan();
    }

    @Test
    void reportsOfGoneOrRunningTasksAreHistoryWithWhenAndTheStuckOneStaysCurrent() throws Exception {
        Path host = ProcFixtures.copyBundle(dir.resolve("host"));
        Evidence ev = scan(host, null);

        assertThat(ev.events(KernelEventKind.HUNG_TASK)).extracting(e -> e.pid()).containsExactly(5213);
        assertThat(ev.history()).hasSize(2);
        assertThat(ev.history()).anySatisfy(h -> assertThat(h)
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(3 h ago\\) INFO: task fsop:6365 blocked for"
                        + " more than 120 seconds\\. \\(task 6365 is gone\\)"));
        assertThat(ev.history()).anySatisfy(h -> assertThat(h).contains("task mk2:4892 blocked")
                .endsWith("(task 4892 is no longer stuck: now S)"));

        Diagnosis d = new Diagnoser(KnowledgeBase.load(List.of())).diagnose(ev);
        assertThat(d.history()).isEqualTo(ev.history());
        assertThat(d.logLines()).noneMatch(l -> l.contains("fsop:6365") || l.contains("mk2:4892"));
    }

    @Test
    void onlyHistoryLeftIsNoHang() throws Exception {
        Path host = ProcFixtures.copyBundle(dir.resolve("host"));
        // every task of the host runs again: nothing is stuck now, whatever the kernel buffer says
        try (var s = Files.walk(host.resolve("proc"))) {
            for (Path p : (Iterable<Path>) s.filter(p -> p.getFileName().toString().equals("stat")
                    && p.getParent().getParent().getFileName().toString().equals("task"))::iterator) {
                Files.writeString(p, Files.readString(p).replace(") D ", ") S "));
            }
        }
        Evidence ev = scan(host, null);
        assertThat(ev.eventCount(KernelEventKind.HUNG_TASK)).isZero();
        Diagnosis d = new Diagnoser(KnowledgeBase.load(List.of())).diagnose(ev);
        assertThat(d.findings()).noneMatch(f -> f.signature().equals("unclassified-d-state"));
        assertThat(d.history()).hasSize(3);
    }

    @Test
    void theBundleOfTheScanKeepsTheSameHistory() throws Exception {
        Path host = ProcFixtures.copyBundle(dir.resolve("host"));
        Path save = dir.resolve("saved");
        Evidence live = scan(host, save);
        assertThat(save.resolve(KernelHistory.FILE)).content().startsWith("uptime 11526.000\nat ");

        Evidence back = new ProcTreeReader(save, ProcTreeReader.Options.defaults().withReader(new TimedReader(4))).read();
        assertThat(back.history()).isEqualTo(live.history()).hasSize(2);
        assertThat(back.events(KernelEventKind.HUNG_TASK)).extracting(e -> e.pid()).containsExactly(5213);
    }

    @Test
    void anOopsIsHistoryOnceItsTaskIsGoneOrItIsOldAndNamesNone() {
        // lib/list_debug.c's BUG, its task from the "CPU: 1 PID: 148 Comm: kswapd0" line after it
        KernelHistory clock = new KernelHistory(11526.0, java.time.Instant.parse("2026-12-04T12:00:00Z"));
        Evidence ev = new Evidence();
        dev.hangdoctor.model.KernelEvent gone = new dev.hangdoctor.model.KernelEvent(KernelEventKind.OOPS, 11500.0, 148,
                "kswapd0", 1, null, "kernel BUG at lib/list_debug.c:51!", "kmsg:1");
        assertThat(clock.pastReason(gone, ev)).endsWith("(task 148 is gone)");
        dev.hangdoctor.model.KernelEvent old = new dev.hangdoctor.model.KernelEvent(KernelEventKind.OOPS, 726.0, null,
                null, null, null, "invalid opcode: 0000 [#1] SMP", "kmsg:2");
        assertThat(clock.pastReason(old, ev)).contains("not repeated for 180 s");
        dev.hangdoctor.model.KernelEvent fresh = new dev.hangdoctor.model.KernelEvent(KernelEventKind.OOPS, 11500.0, null,
                null, null, null, "invalid opcode: 0000 [#1] SMP", "kmsg:3");
        assertThat(clock.pastReason(fresh, ev)).isNull();
    }

    @Test
    void aGpuHangMessageIsHistoryOnceTheDriverHasNotRepeatedItFor180Seconds() {
        // amdgpu's ring timeout as 6.x prints it (a public report's line): a reset that worked ends it
        KernelHistory clock = new KernelHistory(11526.0, java.time.Instant.parse("2026-12-04T12:00:00Z"));
        Evidence ev = new Evidence();
        String line = "amdgpu 0000:64:00.0: amdgpu: ring gfx_0.0.0 timeout, signaled seq=54114692, emitted seq=54114694";
        dev.hangdoctor.model.KernelEvent old = new dev.hangdoctor.model.KernelEvent(KernelEventKind.GPU_HANG, 726.0,
                null, null, null, null, line, "kmsg:1");
        assertThat(clock.pastReason(old, ev)).contains("ring gfx_0.0.0 timeout").endsWith("(not repeated for 180 s)");
        dev.hangdoctor.model.KernelEvent fresh = new dev.hangdoctor.model.KernelEvent(KernelEventKind.GPU_HANG,
                11500.0, null, null, null, null, line, "kmsg:2");
        assertThat(clock.pastReason(fresh, ev)).isNull();
    }
}
