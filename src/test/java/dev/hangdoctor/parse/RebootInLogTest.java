package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEventKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A log that spans a reboot (/var/log/messages keeps them): pid 1234 of the first boot is not pid 1234 of the second. */
class RebootInLogTest {
    @Test
    void onlyTheLastBootIsDiagnosed() throws Exception {
        String log = String.join("\n",
                "[    0.000000] Linux version 3.10.0-862.el7.x86_64 (builder@kbuilder.dev.centos.org) (gcc version 4.8.5"
                        + " 20150623 (Red Hat 4.8.5-28) (GCC) ) #1 SMP Fri Apr 20 16:44:24 UTC 2018",
                "[ 4080.123456] INFO: task nginx:1234 blocked for more than 120 seconds.",
                "[    0.000000] Linux version 3.10.0-1160.el7.x86_64 (mockbuild@kbuilder.bsys.centos.org) (gcc version 4.8.5"
                        + " 20150623 (Red Hat 4.8.5-44) (GCC) ) #1 SMP Wed Oct 14 17:31:01 UTC 2020",
                "[  500.000000] INFO: task mysqld:1234 blocked for more than 240 seconds.", "");
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "messages");
        assertThat(e.host().kernelRelease()).isEqualTo("3.10.0-1160.el7.x86_64");
        assertThat(e.tasks()).singleElement().satisfies(t -> {
            assertThat(t.comm()).isEqualTo("mysqld");
            assertThat(t.blockedSeconds()).isEqualTo(240L);
        });
        assertThat(e.events(KernelEventKind.HUNG_TASK)).hasSize(1);
        assertThat(e.warnings()).anyMatch(w -> w.contains("spans a reboot"));
    }
}
