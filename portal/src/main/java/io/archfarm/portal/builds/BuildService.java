package io.archfarm.portal.builds;

import io.archfarm.model.Topology;
import io.archfarm.model.messages.BuildCancelRequested;
import io.archfarm.model.messages.BuildRequested;
import io.archfarm.portal.git.GitRemote;
import io.archfarm.portal.git.RemoteRefs;
import io.archfarm.portal.git.RepositoryUnreachableException;
import io.archfarm.portal.outbox.Outbox;
import io.archfarm.portal.web.ApiProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts and cancels builds. Each change is committed together with the outbox row that announces it, before the
 * caller answers. git is asked before the transaction starts, so no database connection waits on a remote.
 */
@Service
class BuildService {

    private final GitRemote git;
    private final BuildRepository builds;
    private final Outbox outbox;
    private final TransactionTemplate transaction;
    private final Clock clock;

    BuildService(GitRemote git, BuildRepository builds, Outbox outbox, TransactionTemplate transaction, Clock clock) {
        this.git = git;
        this.builds = builds;
        this.outbox = outbox;
        this.transaction = transaction;
        this.clock = clock;
    }

    UUID submit(BuildSubmission submission) {
        RemoteRefs refs = refsOf(submission.repository());
        String ref = submission.ref() != null ? submission.ref() : refs.defaultBranch().orElseThrow(() ->
                ApiProblem.badRequest("ref", "repository '" + submission.repository()
                        + "' has no HEAD branch (is it empty?): give a ref"));
        String commit = refs.commitOf(ref).orElseThrow(() -> ApiProblem.badRequest("ref", "ref '" + ref
                + "' does not exist in repository '" + submission.repository() + "'"));
        UUID id = UUID.randomUUID();
        Instant now = Instant.now(clock);
        transaction.executeWithoutResult(tx -> {
            builds.save(Build.queued(id, submission, ref, commit, now));
            outbox.announce(new BuildRequested(UUID.randomUUID(), id, now), Topology.BUILD_REQUESTED);
        });
        return id;
    }

    /** Asks the scheduler to stop a build; asking again is a no-op, a build that already ended is a conflict. */
    void cancel(UUID id) {
        transaction.executeWithoutResult(tx -> {
            Instant now = Instant.now(clock);
            if (builds.markCancelRequested(id, now) == 1) {
                outbox.announce(new BuildCancelRequested(UUID.randomUUID(), id, null, now),
                        Topology.BUILD_CANCEL_REQUESTED);
                return;
            }
            Build build = builds.findById(id)
                    .orElseThrow(() -> ApiProblem.notFound("build " + id + " does not exist"));
            if (build.cancelRequestedAt() == null && build.status().isTerminal()) {
                throw ApiProblem.conflict("build " + id + " is already " + build.status() + " and cannot be cancelled");
            }
        });
    }

    private RemoteRefs refsOf(String repository) {
        try {
            return git.refsOf(repository);
        } catch (RepositoryUnreachableException e) {
            throw ApiProblem.badRequest("repository", e.getMessage());
        }
    }
}
