package io.archfarm.scheduler;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The PostgreSQL driver binds {@code timestamptz} from OffsetDateTime, not from Instant. */
public final class Timestamps {

    private Timestamps() {
    }

    public static OffsetDateTime of(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant toInstant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
