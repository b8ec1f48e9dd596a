package io.archfarm.portal.workers;

import io.archfarm.model.WorkerStatus;
import io.archfarm.model.messages.DrainWorker;
import io.archfarm.portal.builds.JsonColumns;
import io.archfarm.portal.outbox.Outbox;
import io.archfarm.portal.problems.ApiProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fleet as the scheduler's {@code workers} table shows it, and the admins' orders to drain a worker (it
 * finishes what it runs and takes no new job) or resume it. An order goes through the outbox to the control
 * fanout that every worker hears; the worker named in it obeys and says so in its next heartbeat, which the
 * scheduler records as DRAINING or ONLINE. Access is the caller's business (admins only).
 */
@Service
public class Fleet {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = "id, host, native_platforms, emulated_platforms, slots, busy, last_seen,"
            + " status, draining, storage_driver, tools";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Outbox outbox;
    private final Clock clock;

    Fleet(JdbcClient jdbc, JsonMapper json, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<WorkerView> workers() {
        return jdbc.sql("select " + COLUMNS + " from workers order by id")
                .query(this::map)
                .list();
    }

    @Transactional(readOnly = true)
    public Optional<WorkerView> worker(String workerId) {
        return jdbc.sql("select " + COLUMNS + " from workers where id = :id")
                .param("id", workerId)
                .query(this::map)
                .optional();
    }

    /**
     * Tells the worker to finish what it runs and take no new job.
     *
     * @throws ApiProblem 404 for a worker the farm has never seen, 409 for an OFFLINE one
     */
    @Transactional
    public void drain(String workerId, String requestedBy) {
        order(workerId, true, requestedBy);
    }

    /**
     * Tells a draining worker to take jobs again; a worker that is not draining is told too, which changes nothing.
     *
     * @throws ApiProblem 404 for a worker the farm has never seen, 409 for an OFFLINE one
     */
    @Transactional
    public void resume(String workerId, String requestedBy) {
        order(workerId, false, requestedBy);
    }

    private void order(String workerId, boolean draining, String requestedBy) {
        WorkerView worker =
                worker(workerId).orElseThrow(() -> ApiProblem.notFound("worker '" + workerId + "' does not exist"));
        if (WorkerStatus.OFFLINE.name().equals(worker.status())) {
            throw ApiProblem.conflict("worker '" + workerId + "' is OFFLINE (last seen " + worker.lastSeen()
                    + "): it would not hear the order to " + (draining ? "drain" : "resume"));
        }
        outbox.broadcastToWorkers(
                new DrainWorker(UUID.randomUUID(), workerId, draining, requestedBy, Instant.now(clock)));
    }

    private WorkerView map(ResultSet rs, int row) throws SQLException {
        return new WorkerView(
                rs.getString("id"),
                rs.getString("host"),
                json.readValue(rs.getString("native_platforms"), STRINGS),
                json.readValue(rs.getString("emulated_platforms"), STRINGS),
                rs.getInt("slots"),
                rs.getInt("busy"),
                rs.getObject("last_seen", OffsetDateTime.class).toInstant(),
                rs.getString("status"),
                rs.getBoolean("draining"),
                rs.getString("storage_driver"),
                JsonColumns.tools(rs.getString("tools")));
    }
}
