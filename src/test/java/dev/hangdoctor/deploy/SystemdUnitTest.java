package dev.hangdoctor.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped systemd unit: valid, hardened (exposure at most 5.5), and writing nothing to /etc. */
class SystemdUnitTest {
    private static final Path UNIT = PromTools.deployDir().resolve("hangdoctor.service");

    @Test
    void unitIsHardenedAndValid() throws Exception {
        Path analyze = PromTools.require("systemd-analyze");
        PromTools.Run verify = PromTools.run(null, List.of(analyze.toString(), "verify", UNIT.toString()));
        assertThat(verify.exit()).as(verify.output()).isZero();
        PromTools.Run sec = PromTools.run(null, List.of(analyze.toString(), "security", "--offline=yes",
                "--no-pager", UNIT.toString()));
        Matcher m = Pattern.compile("Overall exposure level for hangdoctor.service: (\\d+\\.\\d)").matcher(sec.output());
        assertThat(m.find()).as(sec.output()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isLessThanOrEqualTo(5.5);
    }

    @Test
    void unitWritesNothingToEtcAndTakesAMissingConfig() throws Exception {
        String unit = Files.readString(UNIT);
        assertThat(unit).doesNotContain("ExecStartPre").contains("--config-if-exists /etc/hangdoctor/watch.yaml")
                .contains("ProtectSystem=strict").contains("StateDirectory=hangdoctor");
    }
}
