package io.archfarm.scheduler.results;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.JobStatus;
import io.archfarm.model.PartOutage;
import io.archfarm.model.logging.JobLogContext;
import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.model.messages.JobPhases;
import io.archfarm.scheduler.ConcurrentChangeException;
import io.archfarm.scheduler.ProcessedMessages;
import io.archfarm.scheduler.jobs.JobAttempts;
import io.archfarm.scheduler.jobs.JobEnd;
import io.archfarm.scheduler.jobs.JobRetries;
import io.archfarm.scheduler.jobs.PlatformJob;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import io.archfarm.scheduler.metrics.JobMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Stores log chunks and the end of attempts; a result of any attempt but the job's current one is ignored. */
@Component
class RecordJobResults {

    private static final Logger log = LoggerFactory.getLogger(RecordJobResults.class);
    static final String RESULTS = "scheduler.job-results";
    private static final String DIGEST = "sha256:[0-9a-f]{64}";
    private static final long MAX_PHASE_MILLIS = 30L * 24 * 3600 * 1000;

    private final JdbcClient jdbc;
    private final PlatformJobStore jobs;
    private final JobAttempts attempts;
    private final JobRetries retries;
    private final ProcessedMessages processed;
    private final Clock clock;
    private final JsonMapper json;
    private final JobMetrics metrics;

    RecordJobResults(
            JdbcClient jdbc,
            PlatformJobStore jobs,
            JobAttempts attempts,
            JobRetries retries,
            ProcessedMessages processed,
            Clock clock,
            JsonMapper json,
            JobMetrics metrics) {
        this.json = json;
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.attempts = attempts;
        this.retries = retries;
        this.processed = processed;
        this.clock = clock;
    }

    /**
     * Idempotent by itself, so no processed_messages row: a chunk is one row per job, attempt and sequence number,
     * and a redelivered or duplicated chunk finds its row there.
     */
    void recordLog(JobLogChunk chunk) {
        // a chunk for a job that is gone (build deleted) is dropped rather than retried forever
        jdbc.sql("""
                insert into job_logs (job_id, attempt, seq, content)
                select :job, :attempt, :seq, :content where exists (select 1 from platform_jobs where id = :job)
                on conflict do nothing""")
                .param("job", chunk.jobId())
                .param("attempt", chunk.attempt())
                .param("seq", chunk.seq())
                .param("content", chunk.text() == null ? "" : chunk.text().replace("\u0000", ""))
                .update();
    }

    /**
     * Returns the build to look at for a merge when the job reached an end. The job's ids are in the log context of
     * every line about it.
     */
    @Transactional
    Optional<UUID> recordFinished(JobFinished result) {
        try (var context = JobLogContext.ofJob(null, result.jobId(), null, result.attempt())) {
            return recordFinished(result, context);
        }
    }

    private Optional<UUID> recordFinished(JobFinished result, JobLogContext context) {
        if (!processed.firstTime(result.messageId(), RESULTS)) {
            log.info("JobFinished {} seen before, nothing to do", result.messageId());
            return Optional.empty();
        }
        PlatformJob job = jobs.lock(result.jobId()).orElse(null);
        if (job == null || job.status() != JobStatus.RUNNING || job.attempt() != result.attempt()) {
            log.info(
                    "JobFinished of job {} attempt {} ({}) ignored: the job is {}",
                    result.jobId(),
                    result.attempt(),
                    result.outcome(),
                    job == null ? "unknown" : job.status() + " at attempt " + job.attempt());
            return Optional.empty();
        }
        context.with(JobLogContext.BUILD_ID, job.buildId()).with(JobLogContext.PLATFORM, job.platform());
        if (result.startedAt() != null && result.finishedAt() != null) {
            metrics.ended(
                    job.platform(),
                    job.mode(),
                    result.outcome().name(),
                    Duration.between(result.startedAt(), result.finishedAt()));
        }
        Instant now = clock.instant();
        if (result.outcome() == JobOutcome.INFRA_FAILED) {
            String reason = "infrastructure failure on " + result.workerId() + ": " + result.error();
            Optional<String> part = PartOutage.partOf(result.error());
            boolean queuedAgain = part.isPresent()
                    ? retries.retryAfterOutage(job, part.get(), reason)
                    : retries.retryOrFail(job, JobOutcome.INFRA_FAILED.name(), reason, false);
            return queuedAgain ? Optional.empty() : Optional.of(job.buildId());
        }
        JobStatus end = switch (result.outcome()) {
            case SUCCEEDED -> JobStatus.SUCCEEDED;
            case CANCELLED -> JobStatus.CANCELLED;
            default -> JobStatus.FAILED;
        };
        String error = result.error();
        if (end == JobStatus.SUCCEEDED
                && (result.digest() == null || !result.digest().matches(DIGEST))) {
            end = JobStatus.FAILED;
            error = "worker " + result.workerId() + " reported success with an invalid image digest '" + result.digest()
                    + "'";
        }
        JobEnd details = new JobEnd(
                result.digest(),
                result.size(),
                result.mediaType(),
                error,
                result.exitCode(),
                result.buildMillis(),
                isolation(result),
                phase(result, JobPhases::claim),
                phase(result, JobPhases::fetch),
                phase(result, JobPhases::pull),
                phase(result, JobPhases::build),
                phase(result, JobPhases::push),
                cache(result));
        ConcurrentChangeException.requireWon(jobs.end(job, end, details, now), "end of job " + job.id());
        attempts.close(job.id(), job.attempt(), result.outcome().name(), error, now);
        log.info("job {} ({}) attempt {} ended {}", job.id(), job.platform(), job.attempt(), end);
        return Optional.of(job.buildId());
    }

    /**
     * A phase the worker measured, or null where it did not; a figure no clock gives (negative, or above 30 days) is
     * dropped rather than shown, since a worker is less trusted than the control plane.
     */
    private static @Nullable Long phase(JobFinished result, Function<JobPhases, @Nullable Long> which) {
        Long millis = result.phases() == null ? null : which.apply(result.phases());
        return millis == null || millis < 0 || millis > MAX_PHASE_MILLIS ? null : millis;
    }

    /** The layer cache's report as {@code platform_jobs.cache} keeps it (see {@link ReportedCache}), or null. */
    private @Nullable String cache(JobFinished result) {
        var cache = ReportedCache.of(result.cache());
        return cache == null ? null : json.writeValueAsString(cache);
    }

    /** What the worker says, kept short: it is shown as it is, and a worker is less trusted than the control plane. */
    private static @Nullable String isolation(JobFinished result) {
        if (result.isolation() == null) {
            return null;
        }
        String isolation = result.isolation().replaceAll("\\p{Cntrl}", "");
        return isolation.substring(0, Math.min(80, isolation.length()));
    }
}
