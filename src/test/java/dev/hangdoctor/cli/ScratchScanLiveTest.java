package dev.hangdoctor.cli;

import dev.hangdoctor.live.*;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import java.nio.file.*;

@Tag("scratch")
class ScratchScanLiveTest {
    static void dump(String name, String extra) throws Exception {
        CliRun r = CliRun.of("scan", "--json", "--window", "1s");
        Files.writeString(Path.of("/tmp/h7/" + name + ".json"), extra + "\nEXIT " + r.exit() + "\nERR " + r.err() + "\n" + r.out());
    }
    @Test void memcg() throws Exception {
        try (MemcgOomStall s = MemcgOomStall.start(new MemcgOomStall.Spec().limitMiB(32).bystandersMiB(1).hogsMiB(8, 40))) {
            dump("memcg", "cg " + s.cgroupDir() + " pids " + s.ownPids() + " stalled " + s.stalled());
        }
    }
    @Test void fuse() throws Exception {
        try (HungFuseDaemon h = HungFuseDaemon.start()) {
            dump("fuse", "conn " + h.connectionId() + " mnt " + h.mountPoint() + " daemon " + h.daemonPid() + " pids " + h.ownPids());
        }
    }
    @Test void cluster() throws Exception {
        try (HungFuseDaemon h = HungFuseDaemon.stoppedCluster(8)) {
            dump("cluster", "conn " + h.connectionId() + " mnt " + h.mountPoint() + " daemon " + h.daemonPid() + " pids " + h.ownPids());
        }
    }
    @Test void flush() throws Exception {
        try (FuseFlushPidns h = FuseFlushPidns.start()) {
            dump("flush", "conn " + h.connectionId() + " init " + h.initPid() + " stuck " + h.stuckPid() + " daemon " + h.daemonPid());
        }
    }
    @Test void uffdS() throws Exception {
        try (OrphanUffd h = OrphanUffd.start()) {
            dump("uffdS", "pid " + h.pid() + " tid " + h.faultingTid() + " fd " + h.fd());
        }
    }
    @Test void uffdD() throws Exception {
        try (OrphanUffd h = OrphanUffd.start(OrphanUffd.Fault.KERNEL_GUP)) {
            dump("uffdD", "pid " + h.pid() + " tid " + h.faultingTid() + " fd " + h.fd());
        }
    }
    @Test void healthy() throws Exception {
        try (HealthyFuseMount m = HealthyFuseMount.start(); SleepingBystander b = SleepingBystander.start()) {
            dump("healthy", "conn " + m.connectionId() + " daemon " + m.daemonPid() + " sleeper " + b.pid());
        }
    }
}
