package io.archfarm.scheduler.jobs;

import io.archfarm.model.ExecutionMode;
import io.archfarm.scheduler.Timestamps;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** {@code job_attempts}: one row per attempt, opened at the claim and closed exactly once. */
@Component
public class JobAttempts {

    /** The outcome of an attempt whose worker stopped heart-beating (not a {@code JobOutcome}: no worker said it). */
    public static final String LOST = "LOST";

    private final JdbcClient jdbc;

    JobAttempts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void open(UUID jobId, int attempt, String workerId, ExecutionMode mode, Instant startedAt) {
        jdbc.sql("insert into job_attempts (job_id, attempt, worker_id, mode, started_at)"
                        + " values (:job, :attempt, :worker, :mode, :started)")
                .param("job", jobId)
                .param("attempt", attempt)
                .param("worker", workerId)
                .param("mode", mode.name())
                .param("started", Timestamps.of(startedAt))
                .update();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void close(UUID jobId, int attempt, String outcome, @Nullable String error, Instant finishedAt) {
        jdbc.sql("update job_attempts set outcome = :outcome, error = :error, finished_at = :finished"
                        + " where job_id = :job and attempt = :attempt and finished_at is null")
                .param("job", jobId)
                .param("attempt", attempt)
                .param("outcome", outcome)
                .param("error", error)
                .param("finished", Timestamps.of(finishedAt))
                .update();
    }
}
