package io.archfarm.scheduler.outbox;

import io.archfarm.scheduler.SchedulerProperties;
import io.archfarm.scheduler.Timestamps;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Published outbox rows and the ids of handled messages only matter while a message may still be redelivered;
 * kept forever they would grow with every build. Unpublished rows are never pruned: they are work still to do.
 */
@Component
class PruneHandledMessages {

    private static final Logger log = LoggerFactory.getLogger(PruneHandledMessages.class);

    private final JdbcClient jdbc;
    private final SchedulerProperties properties;
    private final Clock clock;

    PruneHandledMessages(JdbcClient jdbc, SchedulerProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${archfarm.scheduler.prune-interval:1h}", initialDelayString = "1m")
    @Transactional
    public void prune() {
        var cutoff = Timestamps.of(clock.instant().minus(properties.messageRetention()));
        int outbox = jdbc.sql("delete from outbox where published_at < :cutoff")
                .param("cutoff", cutoff)
                .update();
        int processed = jdbc.sql("delete from processed_messages where processed_at < :cutoff")
                .param("cutoff", cutoff)
                .update();
        if (outbox + processed > 0) {
            log.info(
                    "pruned {} published outbox rows and {} handled message ids older than {}",
                    outbox,
                    processed,
                    properties.messageRetention());
        }
    }
}
