package dev.hangdoctor.diagnose.kb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionRangeTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = ';', value = {
        "3.10.0-862.el7 <= v <= 3.10.0-1160.el7; 3.10.0-862.el7.x86_64; true",
        "3.10.0-862.el7 <= v <= 3.10.0-1160.el7; 3.10.0-957.21.3.el7.x86_64; true",
        "3.10.0-862.el7 <= v <= 3.10.0-1160.el7; 3.10.0-1160.el7.x86_64; true",
        "3.10.0-862.el7 <= v <= 3.10.0-1160.el7; 3.10.0-1160.119.1.el7.x86_64; false",
        "3.10.0-862.el7 <= v <= 3.10.0-1160.el7; 3.10.0-693.el7.x86_64; false",
        "3.10.0-862.el7 <= v <= 3.10.0-1160.el7; 4.18.0-305.el8.x86_64; false",
        "3.10.0-862.el7 <= v < 3.10.0-1161.el7; 3.10.0-1160.119.1.el7.x86_64; true",
        "3.10.0 <= v < 3.10.0-585.el7; 3.10.0-514.16.1.el7.x86_64; true",
        "3.10.0 <= v < 3.10.0-585.el7; 3.10.0-585.el7.x86_64; false",
        "v < 6.3; 6.2.16; true",
        "v < 6.3; 6.3.0-rc1; true",
        "v < 6.3; 6.3; false",
        "v <= 6.3; 6.3.0; true",
        "v >= 6.8; 6.8.0-1015-aws; true",
        "v >= 6.8; 6.1.0-18-amd64; false",
        "v > 6.8; 6.8; false",
        "6.8 <= v; 6.12.0-rc1; true",
    })
    void contains(String range, String version, boolean expected) {
        assertThat(VersionRange.parse(range).contains(KernelVersion.parse(version))).isEqualTo(expected);
    }

    @Test
    void exactVersion() {
        VersionRange r = VersionRange.parse("v == 5.15.0-91-generic");
        assertThat(r.contains(KernelVersion.parse("5.15.0-91-generic"))).isTrue();
        assertThat(r.contains(KernelVersion.parse("5.15.0-92-generic"))).isFalse();
    }

    @Test
    void badRangesSayWhy() {
        assertThatThrownBy(() -> VersionRange.parse("3.10 to 4.0")).hasMessageContaining("bad version range '3.10 to 4.0'");
        assertThatThrownBy(() -> VersionRange.parse("v < banana")).hasMessageContaining("not a kernel version: 'banana'");
        assertThatThrownBy(() -> VersionRange.parse("5.0 <= v <= 4.0")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> VersionRange.parse(" ")).hasMessageContaining("empty version range");
    }

    @Test
    void keepsItsText() {
        assertThat(VersionRange.parse(" v >= 6.3 ")).hasToString("v >= 6.3");
    }
}
