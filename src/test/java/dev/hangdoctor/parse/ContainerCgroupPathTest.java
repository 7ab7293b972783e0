package dev.hangdoctor.parse;

import dev.hangdoctor.model.ContainerRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pod and container from real cgroup paths of every driver and runtime (src/test/resources/cgroup-paths). */
class ContainerCgroupPathTest {
    private static String orNull(String s) {
        return s.equals("-") ? null : s;
    }

    @Test
    void everyRealPathReadsAsItsReportSays() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/cgroup-paths/cases.txt"));
        List<String> failures = new ArrayList<>();
        int cases = 0;
        String path = null;
        for (String l : lines) {
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            if (!l.startsWith("=> ")) {
                path = l;
                continue;
            }
            cases++;
            ContainerRef got = ContainerCgroupPath.parse(path);
            String[] want = l.substring(3).trim().split(" ");
            if (want[0].equals("none")) {
                if (got != null) {
                    failures.add(path + ": expected no container, got " + got);
                }
                continue;
            }
            ContainerRef expected = new ContainerRef(orNull(want[0]), orNull(want[1]), orNull(want[2]), orNull(want[3]),
                    null, null, null);
            if (!expected.equals(got)) {
                failures.add(path + ":\n  expected " + expected + "\n  got      " + got);
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(14);
        assertThat(failures).isEmpty();
    }

    @Test
    void notAContainer() {
        assertThat(ContainerCgroupPath.parse("/")).isNull();
        assertThat(ContainerCgroupPath.parse("/user.slice/user-0.slice/session-3.scope")).isNull();
        assertThat(ContainerCgroupPath.parse(null)).isNull();
        assertThat(ContainerCgroupPath.parse("/hangdoctor-live-123/victim")).isNull();
    }
}
