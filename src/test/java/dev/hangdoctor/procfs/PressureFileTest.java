package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PressureFileTest {

    @Test
    void theHostsMemoryPressure() {
        String text = Fixtures.text("bundle-6.18/proc/pressure/memory");
        assertThat(PressureFile.someAvg10(text)).isEqualTo(0.0);
        assertThat(PressureFile.firstLine(text)).isEqualTo("some avg10=0.00 avg60=0.00 avg300=0.00 total=0");
    }

    @Test
    void aStalledHostAndBadText() {
        // the fixture's format with a stall in it
        String stalled = "some avg10=0.22 avg60=0.17 avg300=1.11 total=58761459\n"
                + "full avg10=0.23 avg60=0.16 avg300=1.08 total=58464525\n";
        assertThat(PressureFile.someAvg10(stalled)).isEqualTo(0.22);
        assertThat(PressureFile.someAvg10("full avg10=1.00\n")).isNull();
        assertThat(PressureFile.someAvg10("some avg10=x avg60=0.00\n")).isNull();
        assertThat(PressureFile.someAvg10(null)).isNull();
        assertThat(PressureFile.firstLine(" \n")).isNull();
    }

    @Test
    void paths() {
        assertThat(PressureFile.path(Path.of("r/proc"), "io")).isEqualTo(Path.of("r/proc/pressure/io"));
        assertThat(PressureFile.memoryPath(Path.of("cg"))).isEqualTo(Path.of("cg/memory.pressure"));
    }
}
