package dev.hangdoctor.watch;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReportCacheTest {
    @Test
    void aPageIsMadeOncePerVersionOfItsIncident() {
        ReportCache c = new ReportCache(2, 0);
        AtomicInteger made = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            assertThat(c.get("a", "v1", () -> new byte[] {(byte) made.incrementAndGet()})).containsExactly(1);
        }
        assertThat(c.get("a", "v2", () -> new byte[] {(byte) made.incrementAndGet()})).containsExactly(2);
        c.get("b", "v1", () -> new byte[] {(byte) made.incrementAndGet()});
        c.get("c", "v1", () -> new byte[] {(byte) made.incrementAndGet()});
        // two kept: "a" was the least recently used and had to go
        assertThat(c.get("a", "v2", () -> new byte[] {(byte) made.incrementAndGet()})).containsExactly(5);
        assertThat(made).hasValue(5);
    }

    @Test
    void newPagesAreMadeAtMostOncePerInterval() {
        ReportCache c = new ReportCache(8, TimeUnit.HOURS.toNanos(1));
        assertThat(c.get("a", "v1", () -> new byte[] {1})).isNotNull();
        assertThat(c.get("b", "v1", () -> new byte[] {2})).isNull();
        assertThat(c.get("a", "v1", () -> new byte[] {3})).containsExactly(1);
    }
}
