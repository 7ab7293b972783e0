package dev.hangdoctor.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The arithmetic that decides when the guard acts, and the fill rate it works from. */
class LimitForecastTest {
    private static final long MIB = 1 << 20;
    private static final long LIMIT = 256 * MIB;
    private static final long HORIZON = 250_000_000L;
    private static final long INTERVAL = 10_000_000L;

    @Test
    void secondsToLimit() {
        assertThat(LimitForecast.secondsToLimit(156 * MIB, LIMIT, 100 * MIB)).isCloseTo(1.0, within(1e-9));
        assertThat(LimitForecast.secondsToLimit(300 * MIB, LIMIT, 100 * MIB)).isZero();
        assertThat(LimitForecast.secondsToLimit(100 * MIB, LIMIT, 0)).isInfinite();
        assertThat(LimitForecast.secondsToLimit(100 * MIB, LIMIT, -5)).isInfinite();
    }

    @Test
    void aboveTheThresholdItActsWhenTheHorizonReachesTheLimit() {
        // 240 of 256 MiB: 16 MiB left; at 100 MiB/s that is 160 ms (inside 250 ms), at 50 MiB/s 320 ms (outside)
        assertThat(LimitForecast.due(240 * MIB, LIMIT, 100 * MIB, 0.9, HORIZON, INTERVAL)).contains("threshold 90%");
        assertThat(LimitForecast.due(240 * MIB, LIMIT, 50 * MIB, 0.9, HORIZON, INTERVAL)).isNull();
        assertThat(LimitForecast.due(255 * MIB, LIMIT, 0, 0.9, HORIZON, INTERVAL)).as("flat at the limit").isNull();
    }

    @Test
    void belowTheThresholdOnlyWhenItWouldBeTooLateByTheNextLook() {
        // 200 of 256 MiB at 4 GiB/s: 56 MiB left is 13.7 ms, under three 10 ms intervals
        assertThat(LimitForecast.due(200 * MIB, LIMIT, 4096 * MIB, 0.9, HORIZON, INTERVAL))
                .contains("sooner than the guard looks again");
        // at 1 GiB/s that is 55 ms: the next looks will still be in time
        assertThat(LimitForecast.due(200 * MIB, LIMIT, 1024 * MIB, 0.9, HORIZON, INTERVAL)).isNull();
        // a fast start far from the limit is no reason
        assertThat(LimitForecast.due(20 * MIB, LIMIT, 4096 * MIB, 0.9, HORIZON, INTERVAL)).isNull();
    }

    @Test
    void fillRateSeesAStartAtOnceAndDoesNotForgetItOnOneQuietSample() {
        FillRate r = new FillRate(50_000_000L);
        long t = 0;
        r.add(t, 0);
        assertThat(r.bytesPerSecond()).isZero();
        t += INTERVAL;
        r.add(t, 10 * MIB); // 1000 MiB/s from a standing start
        assertThat(r.bytesPerSecond()).isCloseTo(1000.0 * MIB, within(1.0));
        t += INTERVAL;
        r.add(t, 10 * MIB); // one sample where the hog was not scheduled
        assertThat(r.bytesPerSecond()).isCloseTo(1000.0 * MIB * (1 - Math.exp(-0.2)) * Math.exp(-0.2), within(1e3));
        for (int i = 0; i < 30; i++) {
            t += INTERVAL;
            r.add(t, 10 * MIB + (i + 1) * MIB); // steady 100 MiB/s
        }
        assertThat(r.average()).isCloseTo(100.0 * MIB, within(2.0 * MIB));
        r.reset();
        assertThat(r.bytesPerSecond()).isZero();
    }
}
