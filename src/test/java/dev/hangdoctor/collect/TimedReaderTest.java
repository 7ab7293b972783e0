package dev.hangdoctor.collect;

import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.collect.TimedReader.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class TimedReaderTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private static long in(long millis) {
        return System.nanoTime() + millis * MS;
    }

    @Test
    void liveModeTimesOutOnAFifoAndCountsTheStuckThread() throws Exception {
        Path fifo = ProcFixtures.fifo(dir.resolve("status"));
        Path after = dir.resolve("stack");
        Files.writeString(after, "[<0>] x+0x1/0x2\n");
        TimedReader r = new TimedReader(2);
        try {
            List<Result> rs = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> r.run(List.of(Op.read(fifo), Op.read(after)), false, 200 * MS, in(5000)));
            assertThat(rs.get(0).status()).isEqualTo(Status.TIMEOUT);
            assertThat(rs.get(0).detail()).contains("did not answer");
            assertThat(rs.get(1).status()).isEqualTo(Status.SKIPPED);
            assertThat(r.stuck()).isEqualTo(1);
        } finally {
            ProcFixtures.release(fifo);
        }
        for (int i = 0; i < 100 && r.stuck() > 0; i++) {
            Thread.sleep(20);
        }
        assertThat(r.stuck()).isZero();
    }

    @Test
    void stopsStartingReadsOnceTooManyAreStuck() throws Exception {
        Path a = ProcFixtures.fifo(dir.resolve("a"));
        Path b = ProcFixtures.fifo(dir.resolve("b"));
        Path ok = dir.resolve("ok");
        Files.writeString(ok, "fine\n");
        TimedReader r = new TimedReader(2);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThat(r.run(Op.read(a), false, 100 * MS, in(5000)).status()).isEqualTo(Status.TIMEOUT);
                assertThat(r.run(Op.read(b), false, 100 * MS, in(5000)).status()).isEqualTo(Status.TIMEOUT);
                assertThat(r.saturated()).isTrue();
                Result refused = r.run(Op.read(ok), false, 100 * MS, in(5000));
                assertThat(refused.status()).isEqualTo(Status.SKIPPED);
                assertThat(refused.detail()).contains("stuck");
            });
        } finally {
            ProcFixtures.release(a);
            ProcFixtures.release(b);
        }
        for (int i = 0; i < 100 && r.stuck() > 0; i++) {
            Thread.sleep(20);
        }
        assertThat(r.run(Op.read(ok), false, 1000 * MS, in(5000)).text()).isEqualTo("fine\n");
    }

    @Test
    void bundleModeRefusesAFifoWithoutOpeningIt() throws Exception {
        Path fifo = ProcFixtures.fifo(dir.resolve("status"));
        TimedReader r = new TimedReader(2);
        try {
            Result res = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> r.run(Op.read(fifo), true, 1000 * MS, in(5000)));
            assertThat(res.status()).isEqualTo(Status.REFUSED);
            assertThat(r.stuck()).isZero();
        } finally {
            ProcFixtures.release(fifo);
        }
    }

    @Test
    void bundleModeRefusesSymlinkedFiles() throws Exception {
        Path target = dir.resolve("real");
        Files.writeString(target, "x");
        Path link = Files.createSymbolicLink(dir.resolve("stat"), target);
        TimedReader r = new TimedReader(2);
        assertThat(r.run(Op.read(link), true, 1000 * MS, in(5000)).status()).isEqualTo(Status.REFUSED);
        assertThat(r.run(Op.read(link), false, 1000 * MS, in(5000)).text()).isEqualTo("x");
    }

    @Test
    void missingFilesAreMissingAndBigFilesAreCut() throws Exception {
        TimedReader r = new TimedReader(2);
        assertThat(r.run(Op.read(dir.resolve("nope")), true, 1000 * MS, in(5000)).status()).isEqualTo(Status.MISSING);
        assertThat(r.run(Op.list(dir.resolve("nope")), true, 1000 * MS, in(5000)).status()).isEqualTo(Status.MISSING);
        Path big = dir.resolve("big");
        Files.write(big, new byte[TimedReader.MAX_BYTES + 1000]);
        assertThat(r.run(Op.read(big), true, 1000 * MS, in(5000)).text()).hasSize(TimedReader.MAX_BYTES);
    }

    @Test
    void readlinkFallsBackToASavedLinkFileInABundle() throws Exception {
        Files.writeString(dir.resolve("3.link"), "anon_inode:[userfaultfd]\n");
        Files.createSymbolicLink(dir.resolve("4"), Path.of("/dev/fuse"));
        TimedReader r = new TimedReader(2);
        assertThat(r.run(Op.readlink(dir.resolve("3")), true, 1000 * MS, in(5000)).text()).isEqualTo("anon_inode:[userfaultfd]");
        assertThat(r.run(Op.readlink(dir.resolve("4")), true, 1000 * MS, in(5000)).text()).isEqualTo("/dev/fuse");
        assertThat(r.run(Op.readlink(dir.resolve("5")), true, 1000 * MS, in(5000)).status()).isEqualTo(Status.MISSING);
    }

    @Test
    void listDirsSkipsFiles() throws Exception {
        Files.createDirectories(dir.resolve("12"));
        Files.writeString(dir.resolve("stat"), "");
        TimedReader r = new TimedReader(2);
        assertThat(r.run(Op.listDirs(dir), true, 1000 * MS, in(5000)).lines()).containsExactly("12");
        assertThat(r.run(Op.list(dir), true, 1000 * MS, in(5000)).lines()).containsExactlyInAnyOrder("12", "stat");
    }

    @Test
    void streamHandsOverEveryResultInOrderAndStopsAtATimeout() throws Exception {
        List<Op> ops = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Path f = dir.resolve("f" + i);
            Files.writeString(f, Integer.toString(i));
            ops.add(Op.read(f));
        }
        Path fifo = ProcFixtures.fifo(dir.resolve("hung"));
        ops.add(150, Op.read(fifo));
        TimedReader r = new TimedReader(2);
        List<Integer> seen = new java.util.ArrayList<>();
        List<Result> got = new java.util.ArrayList<>();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> r.stream(ops, false, 300 * MS, in(5000),
                    (i, res) -> {
                        seen.add(i);
                        got.add(res);
                    }));
        } finally {
            ProcFixtures.release(fifo);
        }
        assertThat(seen).hasSize(201).isSorted().doesNotHaveDuplicates();
        assertThat(got.subList(0, 150)).allMatch(Result::ok);
        assertThat(got.get(149).text()).isEqualTo("149");
        assertThat(got.get(150).status()).isEqualTo(Status.TIMEOUT);
        assertThat(got.subList(151, 201)).allMatch(x -> x.status() == Status.SKIPPED);
    }

    @Test
    void streamBytesHandsOverEachFilesFirstBytesInItsSlot() throws Exception {
        Files.writeString(dir.resolve("a"), "12 (a) S 1");
        Files.writeString(dir.resolve("b"), "x".repeat(100));
        String[] paths = {dir.resolve("a").toString(), dir.resolve("gone").toString(), dir.resolve("b").toString()};
        byte[] arena = new byte[3 * 16];
        List<String> seen = new java.util.ArrayList<>();
        TimedReader r = new TimedReader(2);
        r.streamBytes(paths, 3, 16, arena, 500 * MS, in(5000), (i, status, buf, off, len) -> {
            assertThat(off).isEqualTo(i * 16);
            seen.add(i + " " + status + " " + new String(buf, off, len));
        });
        assertThat(seen).containsExactly("0 OK 12 (a) S 1", "1 MISSING ", "2 OK " + "x".repeat(16));
    }

    @Test
    void streamBytesStopsAtATimeout() throws Exception {
        Path fifo = ProcFixtures.fifo(dir.resolve("stat"));
        Files.writeString(dir.resolve("after"), "y");
        String[] paths = {fifo.toString(), dir.resolve("after").toString()};
        TimedReader r = new TimedReader(2);
        List<Status> seen = new java.util.ArrayList<>();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> r.streamBytes(paths, 2, 8, new byte[16], 200 * MS,
                    in(5000), (i, status, buf, off, len) -> seen.add(status)));
            assertThat(seen).containsExactly(Status.TIMEOUT, Status.SKIPPED);
            assertThat(r.stuck()).isEqualTo(1);
        } finally {
            ProcFixtures.release(fifo);
        }
    }
}
