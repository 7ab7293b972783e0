package dev.hangdoctor.diagnose.kb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelVersionTest {

    private static int cmp(String a, String b) {
        return Integer.signum(KernelVersion.parse(a).compareTo(KernelVersion.parse(b)));
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
        "3.10.0-693.el7, 3.10.0-862.el7",
        "3.10.0-862.el7, 3.10.0-1160.el7",
        "3.10.0-693.el7.x86_64, 3.10.0-1160.el7.x86_64",
        "3.10.0-514.16.1.el7.x86_64, 3.10.0-585.el7",
        "3.10.0-1160.el7, 3.10.0-1160.119.1.el7",
        "3.10.0-1160.el7.x86_64, 3.10.0-1160.119.1.el7.x86_64",
        "3.10.0-1160.119.1.el7, 4.18.0-305.el8",
        "4.18.0-305.el8.x86_64, 4.18.0-305.3.1.el8_4.x86_64",
        "4.18.0-305.el8, 5.4.0",
        "5.15.0-91-generic, 5.15.0-101-generic",
        "5.15.0-91-generic, 6.1.0-18-amd64",
        "6.1.0-18-amd64, 6.1.0-25-amd64",
        "6.8.0-1015-aws, 6.8.0-1016-aws",
        "6.8.0-1015-aws, 6.12.0-rc1",
        "6.12.0-rc1, 6.12.0-rc2",
        "6.12.0-rc2, 6.12.0",
        "6.12.0, 6.12.1",
        "6.12.0-rc1, 6.12.0-1",
        "6.18.44-fc-v595, 6.18.45",
        "3.10.0, 3.10.0-1.el7",
        "5.4, 5.4.1",
        "5.9.0, 5.10.0",
    })
    void orders(String lower, String higher) {
        assertThat(cmp(lower, higher)).isEqualTo(-1);
        assertThat(cmp(higher, lower)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource({
        "3.10.0-862.el7, 3.10.0-862.el7.x86_64",
        "3.10.0-862.el7.centos.x86_64, 3.10.0-862.el7",
        "3.10.0-1160.119.1.el7.aarch64, 3.10.0-1160.119.1.el7.x86_64",
        "5.4, 5.4.0",
        "3.10.0-8, 3.10.0.0-8",
    })
    void ignoresArchAndCentosSuffixes(String a, String b) {
        assertThat(cmp(a, b)).isZero();
        assertThat(KernelVersion.parse(a)).isEqualTo(KernelVersion.parse(b));
        assertThat(KernelVersion.parse(a).hashCode()).isEqualTo(KernelVersion.parse(b).hashCode());
    }

    @Test
    void textAsGivenIsKept() {
        assertThat(KernelVersion.parse(" 3.10.0-862.el7.x86_64 ").text()).isEqualTo("3.10.0-862.el7.x86_64");
    }

    @Test
    void rejectsWhatIsNotAVersion() {
        assertThatThrownBy(() -> KernelVersion.parse("el7")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KernelVersion.parse("5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KernelVersion.parse("5.4abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KernelVersion.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(KernelVersion.tryParse("")).isNull();
    }
}
