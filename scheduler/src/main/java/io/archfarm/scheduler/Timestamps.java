package io.archfarm.scheduler;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/** The PostgreSQL driver binds {@code timestamptz} from OffsetDateTime, not from Instant. */
public final class Timestamps {

    private Timestamps() {}

    public static @Nullable OffsetDateTime of(@Nullable Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static @Nullable Instant toInstant(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
