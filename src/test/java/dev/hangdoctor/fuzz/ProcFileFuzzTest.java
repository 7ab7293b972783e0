package dev.hangdoctor.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hangdoctor.procfs.CgroupProcs;
import dev.hangdoctor.procfs.CpuQuota;
import dev.hangdoctor.procfs.CpuStat;
import dev.hangdoctor.procfs.FdinfoFile;
import dev.hangdoctor.procfs.MountinfoEntry;
import dev.hangdoctor.procfs.MemcgEvents;
import dev.hangdoctor.procfs.MemcgLimit;
import dev.hangdoctor.procfs.MemcgOomControl;
import dev.hangdoctor.procfs.MemcgStat;
import dev.hangdoctor.procfs.MemcgUsage;
import dev.hangdoctor.procfs.PidCgroup;
import dev.hangdoctor.procfs.PidStat;
import dev.hangdoctor.procfs.PidStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** The /proc and cgroup file parsers take any text a (racing, truncated or hostile) file can hold. */
class ProcFileFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void procStat(byte[] data) {
        PidStat.Fields s = PidStat.parse(FuzzInput.text(data));
        if (s != null) {
            assertThat(s.comm()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "1m")
    void procStatus(byte[] data) {
        PidStatus s = PidStatus.parse(FuzzInput.text(data));
        assertThat(s).isNotNull();
        s.contextSwitches();
    }

    @FuzzTest(maxDuration = "1m")
    void mountinfo(byte[] data) {
        for (String line : FuzzInput.text(data).split("\n", -1)) {
            MountinfoEntry e = MountinfoEntry.parse(line);
            if (e != null && e.isFuse()) {
                e.fuseConnectionId();
            }
        }
    }

    @FuzzTest(maxDuration = "1m")
    void fdinfo(byte[] data) {
        FdinfoFile f = FdinfoFile.parse(FuzzInput.text(data));
        assertThat(f).isNotNull();
        f.uffdPending();
        f.uffdTotal();
        f.inode();
        f.fuseConnection();
    }

    @FuzzTest(maxDuration = "1m")
    void cgroupFiles(byte[] data) {
        String text = FuzzInput.text(data);
        PidCgroup.memoryPath(text);
        assertThat(MemcgOomControl.parse(text).fields()).hasSizeLessThanOrEqualTo(256);
        MemcgOomControl.parse(text).underOom();
        MemcgEvents.parse(text).oomKill();
        MemcgStat.parse(text).get("inactive_file");
        CpuStat.parse(text).throttledNanos();
        MemcgUsage.parse(text);
        MemcgLimit.parse(text);
        assertThat(CgroupProcs.parse(text, 16)).hasSizeLessThanOrEqualTo(16);
        CpuQuota.parse(text);
    }
}
