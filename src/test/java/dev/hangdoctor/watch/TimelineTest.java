package dev.hangdoctor.watch;

import dev.hangdoctor.report.DashboardPage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void oneSecondSamplesAreKeptAsFiveSecondBucketsWithTheirPeak() {
        Timeline t = new Timeline(Duration.ofSeconds(1));
        assertThat(t.bucket()).isEqualTo(Duration.ofSeconds(5));
        for (int s = 0; s < 10; s++) {
            // a one-second spike of 7 D tasks in the first bucket, quiet otherwise
            t.add(T0.plusSeconds(s), s == 2 ? 7 : 1, 0.5 + s, s == 3 ? null : 0.25);
        }
        List<DashboardPage.Point> p = t.points(T0.plusSeconds(10));
        assertThat(p).hasSize(2);
        assertThat(p.get(0)).isEqualTo(new DashboardPage.Point(T0, 7, 4.5, 0.25));
        assertThat(p.get(1)).isEqualTo(new DashboardPage.Point(T0.plusSeconds(5), 1, 9.5, 0.25));
    }

    @Test
    void aDayOfSamplesKeepsOnlyTheLastHourInFixedSlots() {
        Timeline t = new Timeline(Duration.ofSeconds(1));
        int capacity = t.capacity();
        assertThat(capacity).isLessThanOrEqualTo(Timeline.MAX_POINTS + 1);
        Instant end = T0;
        for (int s = 0; s < 24 * 3600; s++) {
            end = T0.plusSeconds(s);
            t.add(end, s % 100, 1.0, 0.0);
        }
        assertThat(t.capacity()).isEqualTo(capacity);
        List<DashboardPage.Point> p = t.points(end);
        assertThat(p).hasSizeBetween(Timeline.MAX_POINTS - 1, Timeline.MAX_POINTS + 1);
        assertThat(p.get(0).at()).isAfterOrEqualTo(end.minus(Timeline.SPAN).minusSeconds(5));
        assertThat(p.get(p.size() - 1).at()).isEqualTo(end.minusSeconds(end.getEpochSecond() % 5));
        for (int i = 1; i < p.size(); i++) {
            assertThat(p.get(i).at()).isAfter(p.get(i - 1).at());
        }
    }

    @Test
    void aLongIntervalIsItsOwnBucketAndStillCoversAnHour() {
        Timeline t = new Timeline(Duration.ofSeconds(30));
        assertThat(t.bucket()).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.capacity()).isEqualTo(121);
        for (int s = 0; s < 3 * 3600; s += 30) {
            t.add(T0.plusSeconds(s), 0, null, null);
        }
        List<DashboardPage.Point> p = t.points(T0.plusSeconds(3 * 3600 - 30));
        assertThat(p).hasSize(121);
        assertThat(p.get(0).load1()).isNull();
        assertThat(p.get(0).memorySome10()).isNull();
    }

    @Test
    void pointsOlderThanTheSpanAreLeftOutAfterAPause() {
        Timeline t = new Timeline(Duration.ofSeconds(1));
        t.add(T0, 3, 1.0, 0.0);
        t.add(T0.plus(Duration.ofMinutes(90)), 1, 1.0, 0.0);
        assertThat(t.points(T0.plus(Duration.ofMinutes(90)))).extracting(DashboardPage.Point::dTasks).containsExactly(1);
    }

    @Test
    void aClockSteppedBackStartsAfreshInsteadOfDrawingOutOfOrder() {
        Timeline t = new Timeline(Duration.ofSeconds(1));
        t.add(T0, 3, 1.0, 0.0);
        t.add(T0.minusSeconds(600), 2, 1.0, 0.0);
        assertThat(t.points(T0)).extracting(DashboardPage.Point::dTasks).containsExactly(2);
    }
}
