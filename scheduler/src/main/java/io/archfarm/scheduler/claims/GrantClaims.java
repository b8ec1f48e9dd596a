package io.archfarm.scheduler.claims;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.ImageReference;
import io.archfarm.model.JobStatus;
import io.archfarm.model.logging.JobLogContext;
import io.archfarm.model.messages.ClaimReply;
import io.archfarm.model.messages.ClaimRequest;
import io.archfarm.model.registry.RegistryCredential;
import io.archfarm.model.registry.WorkerSeal;
import io.archfarm.scheduler.ConcurrentChangeException;
import io.archfarm.scheduler.ProcessedMessages;
import io.archfarm.scheduler.builds.Build;
import io.archfarm.scheduler.builds.BuildStore;
import io.archfarm.scheduler.jobs.JobAttempts;
import io.archfarm.scheduler.jobs.PlatformJob;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import io.archfarm.scheduler.metrics.JobMetrics;
import io.archfarm.scheduler.registry.RegistryCredentials;
import io.archfarm.scheduler.secrets.BuildSecretsOfBuild;
import io.archfarm.scheduler.workers.ReportedTools;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Grants an attempt of a job to at most one worker. The build and then the job row are locked for the decision (the
 * order every writer of both uses), so of two claims for the same attempt the second waits and then finds the job
 * RUNNING.
 */
@Component
class GrantClaims {

    private static final Logger log = LoggerFactory.getLogger(GrantClaims.class);
    static final String CONSUMER = "scheduler.claims";

    private final PlatformJobStore jobs;
    private final BuildStore builds;
    private final JobAttempts attempts;
    private final ProcessedMessages processed;
    private final Clock clock;
    private final RegistryCredentials credentials;
    private final JsonMapper json;
    private final BuildSecretsOfBuild secrets;
    private final JobMetrics metrics;

    GrantClaims(
            PlatformJobStore jobs,
            BuildStore builds,
            JobAttempts attempts,
            ProcessedMessages processed,
            Clock clock,
            RegistryCredentials credentials,
            JsonMapper json,
            BuildSecretsOfBuild secrets,
            JobMetrics metrics) {
        this.secrets = secrets;
        this.metrics = metrics;
        this.credentials = credentials;
        this.json = json;
        this.jobs = jobs;
        this.builds = builds;
        this.attempts = attempts;
        this.processed = processed;
        this.clock = clock;
    }

    /** Decides the claim with the job's ids in the log context of every line about it. */
    @Transactional
    ClaimReply decide(ClaimRequest claim) {
        try (var context = JobLogContext.ofJob(null, claim.jobId(), null, claim.attempt())) {
            return decide(claim, context);
        }
    }

    private ClaimReply decide(ClaimRequest claim, JobLogContext context) {
        boolean firstTime = processed.firstTime(claim.messageId(), CONSUMER);
        Optional<UUID> buildId = jobs.buildOf(claim.jobId());
        if (buildId.isEmpty()) {
            return refuse(claim, "no platform job " + claim.jobId());
        }
        context.with(JobLogContext.BUILD_ID, buildId.get());
        Build build = builds.lock(buildId.get()).orElseThrow();
        PlatformJob job = jobs.lock(claim.jobId()).orElseThrow();
        context.with(JobLogContext.PLATFORM, job.platform());
        if (!firstTime) {
            // a redelivered request: answer what the first one decided, change nothing
            boolean mine = job.status() == JobStatus.RUNNING
                    && job.attempt() == claim.attempt()
                    && claim.workerId().equals(job.workerId());
            if (!mine) {
                return refuse(claim, "claim " + claim.messageId() + " was answered before");
            }
            try {
                return new ClaimReply(
                        UUID.randomUUID(),
                        claim.messageId(),
                        true,
                        null,
                        sealedCredential(claim, build),
                        sealedSecrets(claim, build));
            } catch (CannotSeal e) {
                return refuse(claim, e.getMessage());
            }
        }
        String refusal = refusal(claim, build, job);
        if (refusal != null) {
            return refuse(claim, refusal);
        }
        WorkerSeal.Sealed credential;
        WorkerSeal.Sealed sealedSecrets;
        try {
            credential = sealedCredential(claim, build);
            sealedSecrets = sealedSecrets(claim, build);
        } catch (CannotSeal e) {
            return refuse(claim, e.getMessage());
        }
        Instant now = clock.instant();
        ConcurrentChangeException.requireWon(
                jobs.claim(job, claim.workerId(), claim.mode(), ReportedTools.json(claim.tools(), json), now),
                "claim of job " + job.id());
        metrics.dispatched(job.platform(), claim.mode(), Duration.between(job.queuedAt(), now));
        attempts.open(job.id(), job.attempt(), claim.workerId(), claim.mode(), now);
        if (build.status() == BuildStatus.QUEUED) {
            ConcurrentChangeException.requireWon(builds.start(build, now), "start of build " + build.id());
        }
        log.info(
                "job {} ({}) attempt {} granted to {} ({})",
                job.id(),
                job.platform(),
                job.attempt(),
                claim.workerId(),
                claim.mode());
        return new ClaimReply(UUID.randomUUID(), claim.messageId(), true, null, credential, sealedSecrets);
    }

    private static @Nullable String refusal(ClaimRequest claim, Build build, PlatformJob job) {
        if (claim.workerId() == null || claim.workerId().isBlank() || claim.mode() == null) {
            return "a claim must name its worker and mode";
        }
        if (build.cancelRequested() || build.status().isTerminal()) {
            return build.cancelRequested() ? "build cancelled" : "build already " + build.status();
        }
        if (job.attempt() != claim.attempt()) {
            return "attempt " + claim.attempt() + " is stale, job is at attempt " + job.attempt();
        }
        if (job.status() == JobStatus.RUNNING) {
            return "job already running on " + job.workerId();
        }
        if (job.status() != JobStatus.QUEUED) {
            return "job already " + job.status();
        }
        return null;
    }

    /**
     * The project's registry credential sealed for the claiming worker's key, or null when it has none.
     *
     * @throws CannotSeal when the claim carries no usable public key
     */
    private WorkerSeal.@Nullable Sealed sealedCredential(ClaimRequest claim, Build build) throws CannotSeal {
        Optional<RegistryCredentials.Owned> owned;
        try {
            owned = credentials.ofProject(build.id(), ImageReference.parse(build.image()));
        } catch (IllegalStateException e) {
            log.error(
                    "the registry credential of build {} cannot be opened, its worker pushes without it: {}",
                    build.id(),
                    e.getMessage());
            return null;
        }
        if (owned.isEmpty()) {
            return null;
        }
        RegistryCredential credential = owned.get().credential();
        try {
            return WorkerSeal.seal(
                    claim.publicKey(),
                    json.writeValueAsBytes(Map.of(
                            "registry",
                            credential.registry(),
                            "username",
                            credential.username(),
                            "secret",
                            credential.secret(),
                            "owner",
                            owned.get().owner())));
        } catch (IllegalArgumentException e) {
            throw new CannotSeal("the project's image needs its registry credential and it cannot be sealed for"
                    + " worker " + claim.workerId() + ": " + e.getMessage());
        }
    }

    /**
     * The build secrets of the build's project and team, as one JSON object sealed for the claiming worker's key, or
     * null when there are none. Secrets that cannot be opened are left out (and the error logged, without values):
     * the build's RUN steps then find no file, as the registry credential is left out in the same case.
     *
     * @throws CannotSeal when there are secrets and the claim carries no usable public key
     */
    private WorkerSeal.@Nullable Sealed sealedSecrets(ClaimRequest claim, Build build) throws CannotSeal {
        Map<String, String> opened;
        try {
            opened = secrets.of(build.id());
        } catch (IllegalStateException e) {
            log.error(
                    "the build secrets of build {} cannot be opened, its jobs run without them: {}",
                    build.id(),
                    e.getMessage());
            return null;
        }
        if (opened.isEmpty()) {
            return null;
        }
        try {
            return WorkerSeal.seal(claim.publicKey(), json.writeValueAsBytes(opened));
        } catch (IllegalArgumentException e) {
            throw new CannotSeal("the build has secrets and they cannot be sealed for worker " + claim.workerId() + ": "
                    + e.getMessage());
        }
    }

    /** A claim whose answer would carry a secret the claiming worker cannot be given. */
    private static final class CannotSeal extends Exception {
        CannotSeal(String reason) {
            super(reason, null, false, false);
        }
    }

    private static ClaimReply refuse(ClaimRequest claim, @Nullable String reason) {
        log.info(
                "claim of job {} attempt {} by {} refused: {}",
                claim.jobId(),
                claim.attempt(),
                claim.workerId(),
                reason);
        return new ClaimReply(UUID.randomUUID(), claim.messageId(), false, reason);
    }
}
