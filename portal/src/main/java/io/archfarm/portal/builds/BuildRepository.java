package io.archfarm.portal.builds;

import java.time.Instant;
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
            where id = :id and cancel_requested_at is null and status in ('QUEUED', 'RUNNING')""",
            nativeQuery = true)
    int markCancelRequested(@Param("id") UUID id, @Param("at") Instant at);
}
