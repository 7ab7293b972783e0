package dev.hangdoctor.watch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SelfUsageTest {
    // pid 4892 of the 6.18 bundle with utime 7 and stime 3 ticks
    private static final String STAT = "4892 (mk2) D 4889 4875 3753 0 -1 4194368 29 0 0 0 7 3 0 0 20 0 1 0 43795"
            + " 10944512 174 18446744073709551615 94358313906176 94358313907281 140723902063776 0 0 0 0 6 0 1 0 0 17"
            + " 0 0 0 0 0 0 94358313917904 94358313918616 94358741233664 140723902069299 140723902069305"
            + " 140723902069305 140723902070770 0\n";

    @Test
    void cpuIsUtimePlusStimeInSecondsAndRssIsVmRssInBytes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("stat"), STAT);
        Files.copy(Path.of("src/test/resources/proc/bundle-6.18/proc/4892/status"), dir.resolve("status"));
        assertThat(SelfUsage.cpuSeconds(dir)).isEqualTo(0.1);
        assertThat(SelfUsage.rssBytes(dir)).isEqualTo(804 * 1024.0);
    }

    @Test
    void aNameThatIsNotUtf8CostsNeitherValue(@TempDir Path dir) throws IOException {
        byte[] stat = STAT.replace("(mk2)", "(mk\u00ff)").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("stat"), stat);
        Files.write(dir.resolve("status"), "Name:\tmk\u00ff\nVmRSS:\t     804 kB\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(SelfUsage.cpuSeconds(dir)).isEqualTo(0.1);
        assertThat(SelfUsage.rssBytes(dir)).isEqualTo(804 * 1024.0);
    }

    @Test
    void whatIsMissingIsNotANumberNeverZero(@TempDir Path dir) throws IOException {
        assertThat(SelfUsage.cpuSeconds(dir)).isNaN();
        assertThat(SelfUsage.rssBytes(dir)).isNaN();
        Files.writeString(dir.resolve("status"), "Name:\tkthreadd\nState:\tS (sleeping)\n");
        assertThat(SelfUsage.rssBytes(dir)).isNaN();
    }
}
