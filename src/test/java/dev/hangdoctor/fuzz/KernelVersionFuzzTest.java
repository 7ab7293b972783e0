package dev.hangdoctor.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hangdoctor.diagnose.kb.KernelVersion;
import dev.hangdoctor.diagnose.kb.VersionRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kernel release strings and version ranges from any text: parsing fails only with IllegalArgumentException, and
 * the order is a total order (the knowledge base's "fixed in" verdicts depend on it).
 */
class KernelVersionFuzzTest {

    /** Three releases, one per line: antisymmetry, transitivity and equals/hashCode agreeing with compareTo. */
    @FuzzTest(maxDuration = "1m")
    void order(byte[] data) {
        String[] parts = FuzzInput.lines(data, 3);
        KernelVersion a = KernelVersion.tryParse(parts[0]);
        KernelVersion b = KernelVersion.tryParse(parts[1]);
        KernelVersion c = KernelVersion.tryParse(parts[2]);
        if (a == null || b == null) {
            return;
        }
        assertThat(a.compareTo(a)).isZero();
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
        if (a.compareTo(b) == 0) {
            assertThat(a).isEqualTo(b);
            assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
        if (c != null) {
            if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
                assertThat(a.compareTo(c)).isLessThanOrEqualTo(0);
            }
            if (a.compareTo(b) == 0) {
                assertThat(Integer.signum(a.compareTo(c))).isEqualTo(Integer.signum(b.compareTo(c)));
            }
        }
    }

    @FuzzTest(maxDuration = "1m")
    void versionRange(byte[] data) {
        String[] parts = FuzzInput.lines(data, 2);
        VersionRange range;
        try {
            range = VersionRange.parse(parts[0]);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        assertThat(range.toString()).isNotNull();
        KernelVersion v = KernelVersion.tryParse(parts[1]);
        if (v != null) {
            range.contains(v);
        }
    }
}
