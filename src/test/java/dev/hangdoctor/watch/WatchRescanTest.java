package dev.hangdoctor.watch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A hang that stays as it was is not scanned again and again; as soon as it changes, it is. */
class WatchRescanTest {
    @TempDir
    Path tmp;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void anUnchangedHangIsLeftAloneUntilItChanges() throws Exception {
        Path host = dev.hangdoctor.collect.ProcFixtures.copyBundle(tmp.resolve("host"));
        WatchConfig cfg = WatchConfig.defaults().withRoot(host).withStateDir(tmp.resolve("state")).withListen("off")
                .withKmsgDevice(null).withInterval(Duration.ofMillis(100)).withStuckAfter(Duration.ofSeconds(1))
                .withScan(Duration.ofMillis(100), Duration.ofMillis(200), 2);
        try (WatchAgent agent = new WatchAgent(cfg, log::add).start()) {
            await(() -> !agent.tracker().open().isEmpty(), "an incident opens");
            // the tasks of the fixture's hang cross the threshold within an interval of each other: let the scans
            // they start settle, then nothing about the hang changes
            Thread.sleep(1500);
            long settled = agent.fullScans();
            Thread.sleep(3000);
            // before: a rescan every 200 ms (or three times a scan's cost) while the incident was open
            assertThat(agent.fullScans() - settled).as(String.join("\n", log)).isZero();

            // the hung tasks wake up: the cheap sample sees it and a full scan follows (resolving an incident takes
            // more than that: WatchLiveTest does it on real hangs)
            for (String rel : List.of("proc/4892/stat", "proc/4892/task/4892/stat", "proc/5213/stat",
                    "proc/5213/task/5213/stat")) {
                Path p = host.resolve(rel);
                Files.writeString(p, Files.readString(p, StandardCharsets.UTF_8).replaceFirst("\\) D ", ") S "),
                        StandardCharsets.UTF_8);
            }
            await(() -> agent.fullScans() > settled, "a full scan once the hang changed");
        }
    }

    private void await(BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(done.getAsBoolean()).as(what + "\n" + String.join("\n", log)).isTrue();
    }
}
