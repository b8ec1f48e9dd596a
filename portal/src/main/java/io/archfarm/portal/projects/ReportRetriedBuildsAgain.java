package io.archfarm.portal.projects;

import io.archfarm.portal.builds.BuildRetryAccepted;
import java.sql.Timestamp;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A retried build owes its forge a new round of statuses: pending now, then the new outcome. Its row is due at once
 * with a fresh budget of attempts, even if the reporter had given up on it; {@link CommitStatusReporter} wants
 * PENDING while the retry waits for the scheduler, so the change is seen however fast the scheduler is.
 */
@Component
class ReportRetriedBuildsAgain {

    private final JdbcClient jdbc;

    ReportRetriedBuildsAgain(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Runs in the transaction that accepted the retry. */
    @EventListener
    void on(BuildRetryAccepted retry) {
        jdbc.sql("""
                        update commit_statuses set attempts = 0, last_error = null, next_attempt_at = :now
                        where build_id = :build""")
                .param("now", Timestamp.from(retry.at()))
                .param("build", retry.buildId())
                .update();
    }
}
