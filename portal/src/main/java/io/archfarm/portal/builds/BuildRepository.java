package io.archfarm.portal.builds;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface BuildRepository extends JpaRepository<Build, UUID> {

    /**
     * Marks the cancellation once, only while the build can still be stopped: one statement, so it cannot race
     * the scheduler's status changes. Returns 1 when it marked the build.
     */
    @Modifying
    @Query(value = """
            update builds set cancel_requested_at = :at
            where id = :id and cancel_requested_at is null and status in ('QUEUED', 'RUNNING')""", nativeQuery = true)
    int markCancelRequested(@Param("id") UUID id, @Param("at") Instant at);

    /**
     * Marks a retry of the failed platforms once, only while the build has ended FAILED, PARTIAL or CANCELLED and
     * no retry waits for the scheduler yet: a second request before the scheduler acted marks nothing. Returns 1
     * when it marked the build.
     */
    @Modifying
    @Query(value = """
            update builds set retry_requested_at = :at
            where id = :id and retry_requested_at is null and status in ('FAILED', 'PARTIAL', 'CANCELLED')""", nativeQuery = true)
    int markRetryRequested(@Param("id") UUID id, @Param("at") Instant at);

    /** The platforms of the build whose job succeeded (the scheduler's table, read only). */
    @Query(
            value = "select platform from platform_jobs where build_id = :id and status = 'SUCCEEDED'",
            nativeQuery = true)
    List<String> succeededPlatforms(@Param("id") UUID id);

    /**
     * Marks the cancellation of every queued or running build of the project's branch whose commit is not
     * {@code commit}, except {@code newest}, in one statement; returns the builds it marked with their numbers and
     * commits. Builds already asked to stop are left as they are.
     */
    @Query(value = """
            update builds set cancel_requested_at = :at
            where project_id = :project and branch = :branch and commit_sha <> :commit and id <> :newest
              and cancel_requested_at is null and status in ('QUEUED', 'RUNNING')
            returning id, build_number as number, commit_sha as commit""", nativeQuery = true)
    @Modifying
    List<Superseded> markSupersededCancelRequested(
            @Param("project") UUID project,
            @Param("branch") String branch,
            @Param("commit") String commit,
            @Param("newest") UUID newest,
            @Param("at") Instant at);

    /** A build a newer one of its branch superseded. */
    interface Superseded {
        UUID getId();

        Long getNumber();

        String getCommit();
    }
}
