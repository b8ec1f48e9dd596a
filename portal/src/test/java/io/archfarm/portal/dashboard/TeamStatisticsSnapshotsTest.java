package io.archfarm.portal.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a team's statistics are computed again: never on a fresh snapshot, in the background on a stale one. */
class TeamStatisticsSnapshotsTest {

    private static final UUID TEAM = UUID.randomUUID();

    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final AtomicInteger computed = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(0);
    private final StatisticsQueries queries = new StatisticsQueries(null, clock) {
        @Override
        public TeamStatistics of(UUID team) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            computed.incrementAndGet();
            return new TeamStatistics(clock.instant(), SuccessRates.NONE, List.of(), List.of(), List.of());
        }
    };
    private final TeamStatisticsSnapshots snapshots = new TeamStatisticsSnapshots(
            queries, clock, new DashboardProperties(Duration.ofSeconds(30), Duration.ofMinutes(10)));

    @AfterEach
    void stop() {
        snapshots.stop();
    }

    @Test
    void aFreshSnapshotIsShownAsItIs() {
        TeamStatistics first = snapshots.of(TEAM);
        clock.move(Duration.ofSeconds(29));

        assertThat(snapshots.of(TEAM)).isSameAs(first);
        assertThat(computed).hasValue(1);
    }

    @Test
    void aStaleSnapshotIsShownWhileTheNextOneIsComputedOnce() {
        TeamStatistics first = snapshots.of(TEAM);
        clock.move(Duration.ofSeconds(31));
        release = new CountDownLatch(1);

        assertThat(snapshots.of(TEAM)).isSameAs(first);
        assertThat(snapshots.of(TEAM))
                .as("a second view does not start a second refresh")
                .isSameAs(first);
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> snapshots.of(TEAM) != first);
        assertThat(snapshots.of(TEAM).computedAt()).isEqualTo(clock.instant());
        assertThat(computed).hasValue(2);
    }

    @Test
    void anExpiredSnapshotIsNotShown() {
        snapshots.of(TEAM);
        clock.move(Duration.ofMinutes(11));

        assertThat(snapshots.of(TEAM).computedAt()).isEqualTo(clock.instant());
        assertThat(computed).hasValue(2);
    }

    @Test
    void eachTeamHasItsOwn() {
        snapshots.of(TEAM);
        snapshots.of(UUID.randomUUID());

        assertThat(computed).hasValue(2);
    }

    private static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
