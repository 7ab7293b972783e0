package dev.hangdoctor.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One duration syntax for flags and config files, compound ones included. */
class DurationTextTest {
    private static Duration d(String s) {
        return DurationText.parse(s, "s", "interval");
    }

    @Test
    void simpleAndCompound() {
        assertThat(d("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(d("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(d("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationText.parse("2", "ms", "x")).isEqualTo(Duration.ofMillis(2));
        assertThat(d("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(d("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
        assertThat(d("2s500ms")).isEqualTo(Duration.ofMillis(2500));
        assertThat(d("1m0.5s")).isEqualTo(Duration.ofMillis(60_500));
        assertThat(d("1ms500us")).isEqualTo(Duration.ofNanos(1_500_000));
    }

    @Test
    void notDurations() {
        for (String bad : new String[] {"30s1m", "1s1s", "1m30", "m", "", "1 m 30 s", "soon", "-1s", "1d"}) {
            assertThatThrownBy(() -> d(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("interval: '");
        }
    }
}
