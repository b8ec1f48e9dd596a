package io.archfarm.portal.builds;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.BuildCancelRequested;
import io.archfarm.model.messages.BuildRequested;
import io.archfarm.model.messages.BuildRetryRequested;
import io.archfarm.portal.git.GitRemote;
import io.archfarm.portal.git.RemoteRefs;
import io.archfarm.portal.git.RepositoryUnreachableException;
import io.archfarm.portal.outbox.Outbox;
import io.archfarm.portal.problems.ApiProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts, cancels and retries builds. Each change is committed together with the outbox row that announces it,
 * before the caller answers. git is asked before the transaction starts, so no database connection waits on a
 * remote.
 */
@Service
public class BuildService {

    private final GitRemote git;
    private final BuildRepository builds;
    private final Outbox outbox;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    BuildService(
            GitRemote git,
            BuildRepository builds,
            Outbox outbox,
            TransactionTemplate transaction,
            ApplicationEventPublisher events,
            Clock clock) {
        this.git = git;
        this.builds = builds;
        this.outbox = outbox;
        this.transaction = transaction;
        this.events = events;
        this.clock = clock;
    }

    /** Resolves the ref to one commit, then records the build and announces it in one transaction. */
    public UUID submit(BuildSubmission submission, BuildOrigin origin) {
        ResolvedRef resolved = resolve(submission.repository(), submission.ref());
        return transaction.execute(tx -> record(submission, resolved, origin));
    }

    /** Asks the remote which commit {@code ref} (null: its HEAD branch) is, before any transaction starts. */
    public ResolvedRef resolve(String repository, @Nullable String requestedRef) {
        RemoteRefs refs = refsOf(repository);
        String ref = requestedRef != null
                ? requestedRef
                : refs.defaultBranch()
                        .orElseThrow(() -> ApiProblem.badRequest(
                                "ref",
                                "repository '" + repository + "' has no HEAD branch (is it empty?): give a ref"));
        String commit = refs.commitOf(ref)
                .orElseThrow(() -> ApiProblem.badRequest(
                        "ref", "ref '" + ref + "' does not exist in repository '" + repository + "'"));
        return new ResolvedRef(ref, commit, refs.fullNameOf(ref).orElse(null));
    }

    /** Records a build of a known commit with its outbox row; joins the caller's transaction (which must exist). */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID record(BuildSubmission submission, ResolvedRef source, BuildOrigin origin) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now(clock);
        // flushed now: rows written next with plain SQL (deliveries, commit statuses) refer to it
        builds.saveAndFlush(Build.queued(id, submission, source, origin, now));
        outbox.announce(new BuildRequested(UUID.randomUUID(), id, now), Topology.BUILD_REQUESTED);
        return id;
    }

    /**
     * A ref and the one commit it named when the build was accepted.
     *
     * @param fullRef {@code refs/heads/<branch>} or {@code refs/tags/<tag>}, or null when the ref is a commit id
     */
    public record ResolvedRef(
            String ref, String commit, @Nullable String fullRef) {

        private static final String BRANCH_PREFIX = "refs/heads/";

        /** The branch {@link #fullRef} names, or null when it names a tag or the ref is a commit id. */
        public @Nullable String branch() {
            return fullRef != null && fullRef.startsWith(BRANCH_PREFIX)
                    ? fullRef.substring(BRANCH_PREFIX.length())
                    : null;
        }
    }

    /**
     * Asks the scheduler to stop the project's queued and running builds of {@code newest}'s branch that build
     * another commit: {@code newest} supersedes them. Joins the caller's transaction, the one that records
     * {@code newest}; that transaction holds the project's row lock (its build number), so two pushes to one
     * branch are recorded one after the other and the later one always sees, and cancels, the earlier.
     *
     * @return how many builds it asked to stop
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int cancelSuperseded(UUID projectId, UUID newest, long newestNumber, ResolvedRef source) {
        if (source.branch() == null) {
            return 0;
        }
        Instant now = Instant.now(clock);
        List<BuildRepository.Superseded> superseded =
                builds.markSupersededCancelRequested(projectId, source.branch(), source.commit(), newest, now);
        for (BuildRepository.Superseded build : superseded) {
            String reason = "superseded by #" + newestNumber + " (commit " + shortCommit(source.commit())
                    + ") of branch " + source.branch();
            outbox.announce(
                    new BuildCancelRequested(UUID.randomUUID(), build.getId(), null, now, reason),
                    Topology.BUILD_CANCEL_REQUESTED);
        }
        return superseded.size();
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    /** Asks the scheduler to stop a build; asking again is a no-op, a build that already ended is a conflict. */
    public void cancel(UUID id) {
        cancel(id, null);
    }

    /**
     * Asks the scheduler to stop a build on behalf of {@code requestedBy} (the signed-in username; null for an
     * unnamed user); asking again is a no-op, a build that already ended is a conflict.
     */
    public void cancel(UUID id, @Nullable String requestedBy) {
        transaction.executeWithoutResult(tx -> {
            Instant now = Instant.now(clock);
            if (builds.markCancelRequested(id, now) == 1) {
                outbox.announce(
                        new BuildCancelRequested(UUID.randomUUID(), id, requestedBy, now, null),
                        Topology.BUILD_CANCEL_REQUESTED);
                return;
            }
            Build build = builds.findById(id).orElseThrow(() -> ApiProblem.notFound("build " + id + " does not exist"));
            if (build.cancelRequestedAt() == null && build.status().isTerminal()) {
                throw ApiProblem.conflict("build " + id + " is already " + build.status() + " and cannot be cancelled");
            }
        });
    }

    /**
     * Asks the scheduler to build again, at the same commit with the same settings, the platforms of an ended
     * build whose job did not succeed, and to merge them with the ones that did. Asking again before the scheduler
     * took the first request up is a no-op that answers the same platforms. The project's forge, if it gets commit
     * statuses, is told pending again and then the new outcome.
     *
     * @param requestedBy the signed-in username
     * @return the canonical platforms that will be built again, in the build's order
     * @throws ApiProblem 404 for an unknown build; 409 for a build that is queued, running or succeeded, or whose
     *                    platforms all succeeded
     */
    public List<String> retryFailed(UUID buildId, String requestedBy) {
        return transaction.execute(tx -> {
            Instant now = Instant.now(clock);
            boolean marked = builds.markRetryRequested(buildId, now) == 1;
            Build build = builds.findById(buildId)
                    .orElseThrow(() -> ApiProblem.notFound("build " + buildId + " does not exist"));
            if (!marked && build.retryRequestedAt() == null) {
                throw ApiProblem.conflict(whyNotRetryable(build));
            }
            List<String> platforms = notSucceeded(build.platforms(), builds.succeededPlatforms(buildId));
            if (platforms.isEmpty()) {
                // rolls the mark back with the transaction
                throw ApiProblem.conflict("every platform of build " + buildId + " succeeded, there is nothing to "
                        + "retry"
                        + (build.error() == null ? "" : " (it ended " + build.status() + ": " + build.error() + ")"));
            }
            if (marked) {
                outbox.announce(
                        new BuildRetryRequested(UUID.randomUUID(), buildId, requestedBy, now),
                        Topology.BUILD_RETRY_REQUESTED);
                events.publishEvent(new BuildRetryAccepted(buildId, now));
            }
            return platforms;
        });
    }

    private static String whyNotRetryable(Build build) {
        return switch (build.status()) {
            case QUEUED, RUNNING ->
                "build " + build.id() + " is " + build.status() + ": only a build that ended "
                        + "FAILED, PARTIAL or CANCELLED can retry its failed platforms";
            case SUCCEEDED -> "build " + build.id() + " SUCCEEDED: every platform was built, there is nothing to retry";
            default -> "build " + build.id() + " is " + build.status() + " and cannot be retried";
        };
    }

    /** The build's platforms, in its order, without those whose job succeeded. */
    static List<String> notSucceeded(List<String> platforms, Collection<String> succeeded) {
        return platforms.stream()
                .filter(platform -> !succeeded.contains(platform))
                .toList();
    }

    private RemoteRefs refsOf(String repository) {
        try {
            return git.refsOf(repository);
        } catch (RepositoryUnreachableException e) {
            throw ApiProblem.badRequest("repository", e.getMessage());
        }
    }
}
