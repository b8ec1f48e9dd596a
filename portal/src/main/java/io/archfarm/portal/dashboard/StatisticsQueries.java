package io.archfarm.portal.dashboard;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A team's success rates and platform job durations over the last 30 days, aggregated by PostgreSQL. Both queries
 * read only the V5 indexes: the team's ended builds by end time (with their ids), then those builds' succeeded jobs.
 * The platform jobs are the scheduler's table, read here and never written.
 */
@Component
class StatisticsQueries {

    static final Duration LONG_WINDOW = Duration.ofDays(30);
    static final Duration SHORT_WINDOW = Duration.ofDays(7);

    private static final String ENDED = "('SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED')";

    private final JdbcClient jdbc;
    private final Clock clock;

    StatisticsQueries(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public TeamStatistics of(UUID team) {
        Instant now = clock.instant();
        OffsetDateTime since = utc(now.minus(LONG_WINDOW));
        // the percentiles sort ~100,000 durations for a busy team: in memory, not in temporary files
        jdbc.sql("set local work_mem = '32MB'").update();
        SuccessRates rates = rates(team, since, utc(now.minus(SHORT_WINDOW)));
        List<PlatformDuration> durations = new ArrayList<>();
        List<DailyMedian> daily = new ArrayList<>();
        jdbc.sql("""
                        select j.platform, j.mode, (j.finished_at at time zone 'UTC')::date as day,
                               grouping((j.finished_at at time zone 'UTC')::date) as all_days, count(*) as jobs,
                               percentile_cont(array[0.5, 0.95]) within group (
                                   order by extract(epoch from j.finished_at - j.started_at) * 1000) as millis
                        from builds b
                        join platform_jobs j on j.build_id = b.id and j.status = 'SUCCEEDED'
                        where b.team_id = :team and b.status in %s and b.finished_at >= :since
                          and j.mode is not null and j.started_at is not null and j.finished_at is not null
                        group by grouping sets ((j.platform, j.mode), (j.platform, j.mode, 3))
                        order by j.platform, j.mode desc, day""".formatted(ENDED)).param("team", team).param("since", since).query((RowCallbackHandler) rs -> {
            double[] millis = doubles(rs.getArray("millis"));
            if (rs.getInt("all_days") == 1) {
                durations.add(new PlatformDuration(
                        rs.getString("platform"), rs.getString("mode"), rs.getLong("jobs"), millis[0], millis[1]));
            } else {
                daily.add(new DailyMedian(
                        rs.getString("platform"),
                        rs.getString("mode"),
                        rs.getObject("day", LocalDate.class),
                        rs.getLong("jobs"),
                        millis[0]));
            }
        });
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<LocalDate> days = Stream.iterate(
                        today.minusDays(LONG_WINDOW.toDays() - 1), d -> !d.isAfter(today), d -> d.plusDays(1))
                .toList();
        return new TeamStatistics(
                now,
                rates,
                days,
                durations,
                daily.stream().filter(d -> !d.day().isBefore(days.getFirst())).toList());
    }

    private SuccessRates rates(UUID team, OffsetDateTime since30, OffsetDateTime since7) {
        return jdbc.sql("""
                        select count(*) filter (where finished_at >= :since7) as ended7,
                               count(*) filter (where finished_at >= :since7 and status = 'SUCCEEDED') as succeeded7,
                               count(*) as ended30,
                               count(*) filter (where status = 'SUCCEEDED') as succeeded30
                        from builds
                        where team_id = :team and status in %s and finished_at >= :since30""".formatted(ENDED))
                .param("team", team)
                .param("since30", since30)
                .param("since7", since7)
                .query((rs, n) -> new SuccessRates(
                        rs.getLong("ended7"),
                        rs.getLong("succeeded7"),
                        rs.getLong("ended30"),
                        rs.getLong("succeeded30")))
                .single();
    }

    private static double[] doubles(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = ((Number) values[i]).doubleValue();
        }
        return result;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
