package io.archfarm.scheduler.jobs;

import io.archfarm.model.JobStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.scheduler.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Reads of {@code platform_jobs} that several features share; every read locks the rows it returns. */
@Component
public class PlatformJobs {

    public static final String COLUMNS = "pj.id, pj.build_id, pj.platform, pj.placement, pj.status, pj.attempt,"
            + " pj.max_attempts, pj.worker_id, pj.dispatched_native, pj.dispatched_emulated, pj.native_deadline,"
            + " pj.unplaceable_since, pj.affinity_worker, pj.affinity_deadline";

    private final JdbcClient jdbc;

    PlatformJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<PlatformJob> lock(UUID jobId) {
        return jdbc.sql("select " + COLUMNS + " from platform_jobs pj where pj.id = :id for update")
                .param("id", jobId).query(PlatformJobs::map).optional();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public List<PlatformJob> lockRunningOn(String workerId) {
        return jdbc.sql("select " + COLUMNS + " from platform_jobs pj"
                        + " where pj.worker_id = :worker and pj.status = 'RUNNING' for update")
                .param("worker", workerId).query(PlatformJobs::map).list();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public List<PlatformJob> lockOfBuild(UUID buildId) {
        return jdbc.sql("select " + COLUMNS + " from platform_jobs pj where pj.build_id = :build"
                        + " order by pj.platform for update")
                .param("build", buildId).query(PlatformJobs::map).list();
    }

    public static PlatformJob map(ResultSet rs, int row) throws SQLException {
        return new PlatformJob(
                rs.getObject("id", UUID.class),
                rs.getObject("build_id", UUID.class),
                Platform.parse(rs.getString("platform")),
                Placement.valueOf(rs.getString("placement")),
                JobStatus.valueOf(rs.getString("status")),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("worker_id"),
                rs.getBoolean("dispatched_native"),
                rs.getBoolean("dispatched_emulated"),
                Timestamps.toInstant(rs.getObject("native_deadline", OffsetDateTime.class)),
                Timestamps.toInstant(rs.getObject("unplaceable_since", OffsetDateTime.class)),
                rs.getString("affinity_worker"),
                Timestamps.toInstant(rs.getObject("affinity_deadline", OffsetDateTime.class)));
    }
}
