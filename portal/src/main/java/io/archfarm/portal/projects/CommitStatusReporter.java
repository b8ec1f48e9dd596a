package io.archfarm.portal.projects;

import io.archfarm.model.logging.JobLogContext;
import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.status.CommitState;
import io.archfarm.portal.forge.status.CommitStatus;
import io.archfarm.portal.forge.status.CommitStatusClient;
import io.archfarm.portal.forge.status.CommitStatusException;
import io.archfarm.portal.forge.status.CommitStatusTarget;
import io.archfarm.portal.secrets.SecretBox;
import io.archfarm.portal.web.PortalProperties;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tells each project's forge how its builds stand: pending while a build is queued or running, then success,
 * failure or error. It runs beside the builds, never in their way: a forge that is down or slow only delays its
 * own status, retried with back-off. Several portals may run it at once; a lease keeps them off the same build.
 */
@Component
class CommitStatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(CommitStatusReporter.class);
    private static final int BATCH = 20;
    /**
     * The state a build's status calls for, in SQL, so that only statuses that changed are picked. A build whose
     * retry waits for the scheduler is pending already.
     */
    private static final String DESIRED = """
            case when b.retry_requested_at is not null then 'PENDING'
                 else case b.status when 'SUCCEEDED' then 'SUCCESS' when 'FAILED' then 'FAILURE'
                                    when 'PARTIAL' then 'FAILURE' when 'CANCELLED' then 'ERROR' else 'PENDING' end
            end""";
    /** The status a description names: a build whose retry waits for the scheduler is queued again. */
    private static final String SHOWN_STATUS =
            "case when b.retry_requested_at is not null then 'QUEUED' else b.status end";

    private final JdbcClient jdbc;
    private final CommitStatusClient client;
    private final SecretBox secrets;
    private final PortalProperties portal;
    private final CommitStatusReporting settings;
    private final Clock clock;

    CommitStatusReporter(
            JdbcClient jdbc,
            CommitStatusClient client,
            SecretBox secrets,
            PortalProperties portal,
            CommitStatusReporting settings,
            Clock clock) {
        this.jdbc = jdbc;
        this.client = client;
        this.secrets = secrets;
        this.portal = portal;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${archfarm.commit-statuses.poll-interval:1s}")
    void reportDue() {
        for (Owed owed : leaseDue()) {
            report(owed);
        }
    }

    /** Takes up to a batch of statuses that are due and differ from what the forge was last told. */
    private List<Owed> leaseDue() {
        Instant now = Instant.now(clock);
        return jdbc.sql("""
                        with due as (
                            select cs.build_id, (%s) as status, b.commit_sha, b.ref, b.build_number, b.error, p.slug,
                                   p.forge, p.forge_api_url, p.forge_repository, p.forge_token, (%s) as desired
                            from commit_statuses cs join builds b on b.id = cs.build_id
                                 join projects p on p.id = b.project_id
                            where cs.next_attempt_at <= :now and p.forge is not null and p.forge_token is not null
                              and cs.reported_state is distinct from (%s)
                            order by cs.next_attempt_at limit :batch
                            for update of cs skip locked)
                        update commit_statuses cs set next_attempt_at = :leaseEnd
                        from due where cs.build_id = due.build_id
                        returning due.build_id as id, due.status, due.commit_sha, due.ref, due.build_number,
                                  due.error, cs.attempts, due.slug, due.forge, due.forge_api_url,
                                  due.forge_repository, due.forge_token, due.desired""".formatted(SHOWN_STATUS, DESIRED, DESIRED))
                .param("now", Timestamp.from(now))
                .param("batch", BATCH)
                .param("leaseEnd", Timestamp.from(now.plus(settings.lease())))
                .query((rs, n) -> new Owed(
                        rs.getObject("id", UUID.class),
                        rs.getString("status"),
                        rs.getString("commit_sha"),
                        rs.getString("ref"),
                        rs.getLong("build_number"),
                        rs.getString("error"),
                        rs.getInt("attempts"),
                        rs.getString("slug"),
                        Forge.valueOf(rs.getString("forge")),
                        rs.getString("forge_api_url"),
                        rs.getString("forge_repository"),
                        rs.getString("forge_token"),
                        CommitState.valueOf(rs.getString("desired"))))
                .list();
    }

    /** Reports one build's status, with the build's id in the log context of what it says. */
    private void report(Owed owed) {
        try (var context = JobLogContext.ofBuild(owed.id())) {
            reportOwed(owed);
        }
    }

    private void reportOwed(Owed owed) {
        Instant now = Instant.now(clock);
        try {
            CommitStatusTarget target = new CommitStatusTarget(
                    owed.forge(), URI.create(owed.apiUrl()), owed.repository(), secrets.open(owed.sealedToken()));
            client.report(
                    target,
                    new CommitStatus(
                            owed.commit(),
                            owed.desired(),
                            portal.link("/builds/" + owed.id()),
                            description(owed),
                            "archfarm/" + owed.project(),
                            owed.ref()));
            jdbc.sql("""
                            update commit_statuses set reported_state = :state, attempts = 0, last_error = null,
                                   reported_at = :now, next_attempt_at = :now
                            where build_id = :build""")
                    .param("state", owed.desired().name())
                    .param("now", Timestamp.from(now))
                    .param("build", owed.id())
                    .update();
        } catch (CommitStatusException | IllegalArgumentException | IllegalStateException e) {
            int attempts = owed.attempts() + 1;
            boolean giveUp = attempts >= settings.maxAttempts()
                    || (e instanceof CommitStatusException c && !c.retryable() && attempts >= 3);
            Instant next = giveUp ? now.plus(Duration.ofDays(36500)) : now.plus(backoff(attempts));
            if (giveUp) {
                LOG.warn(
                        "gave up reporting {} for build {} to {} after {} attempts: {}",
                        owed.desired(),
                        owed.id(),
                        owed.forge().wireName(),
                        attempts,
                        e.getMessage());
            } else {
                LOG.info(
                        "reporting {} for build {} to {} failed (attempt {}), retrying at {}: {}",
                        owed.desired(),
                        owed.id(),
                        owed.forge().wireName(),
                        attempts,
                        next,
                        e.getMessage());
            }
            jdbc.sql("""
                            update commit_statuses set attempts = :attempts, last_error = :error,
                                   next_attempt_at = :next where build_id = :build""")
                    .param("attempts", attempts)
                    .param("error", e.getMessage())
                    .param("next", Timestamp.from(next))
                    .param("build", owed.id())
                    .update();
        }
    }

    private Duration backoff(int attempts) {
        Duration wait = settings.firstRetry().multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : wait;
    }

    private static String description(Owed owed) {
        String number = "#" + owed.number() + " ";
        return switch (owed.status()) {
            case "QUEUED" -> number + "is queued";
            case "RUNNING" -> number + "is building";
            case "SUCCEEDED" -> number + "succeeded";
            case "PARTIAL" -> number + "published only some platforms" + reason(owed);
            case "FAILED" -> number + "failed" + reason(owed);
            case "CANCELLED" -> number + "was cancelled";
            default -> number + owed.status().toLowerCase(Locale.ROOT);
        };
    }

    private static String reason(Owed owed) {
        return owed.error() == null ? "" : ": " + owed.error();
    }

    private record Owed(
            UUID id,
            String status,
            String commit,
            String ref,
            long number,
            String error,
            int attempts,
            String project,
            Forge forge,
            String apiUrl,
            String repository,
            String sealedToken,
            CommitState desired) {}
}
