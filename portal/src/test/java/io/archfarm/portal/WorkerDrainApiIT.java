package io.archfarm.portal;

import static io.archfarm.portal.FarmAccounts.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.messages.DrainWorker;
import io.archfarm.portal.PortalApi.Answer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admins drain and resume workers: the order goes through the outbox to the workers' control fanout. The test plays
 * the scheduler's part (the {@code workers} table). The same context as {@link BuildApiIT}.
 */
@PortalIntegrationTest
class WorkerDrainApiIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Value("${archfarm.topology.prefix}")
    String prefix;

    FarmAccounts farm;
    String worker;

    @BeforeEach
    void aWorkerOnline() {
        farm = new FarmAccounts(port);
        worker = FarmAccounts.unique("w-drain");
        insertWorker(worker, "ONLINE");
    }

    @Test
    void anAdminDrainsAndResumesAWorkerThroughTheControlExchange() {
        Answer drained = farm.admin().post("/api/v1/workers/" + worker + "/drain", "");
        Answer resumed = farm.admin().post("/api/v1/workers/" + worker + "/resume", "");

        assertThat(drained.status()).as(drained.toString()).isEqualTo(202);
        assertThat(drained.json().path("id").asString()).isEqualTo(worker);
        assertThat(drained.json().path("status").asString())
                .as("until its next heartbeat")
                .isEqualTo("ONLINE");
        assertThat(drained.json().path("draining").asBoolean()).isFalse();
        assertThat(resumed.status()).isEqualTo(202);
        List<Map<String, Object>> rows = orders(worker);
        assertThat(rows).hasSize(2);
        for (Map<String, Object> row : rows) {
            assertThat(row.get("exchange_name")).isEqualTo(prefix + ".control");
            assertThat(row.get("routing_key")).isEqualTo("");
        }
        JsonMapper json = JsonMapper.builder().build();
        DrainWorker drain = json.readValue((String) rows.get(0).get("payload"), DrainWorker.class);
        DrainWorker resume = json.readValue((String) rows.get(1).get("payload"), DrainWorker.class);
        assertThat(drain.workerId()).isEqualTo(worker);
        assertThat(drain.draining()).isTrue();
        assertThat(drain.requestedBy()).isEqualTo(PortalApi.ADMIN);
        assertThat(resume.draining()).isFalse();
    }

    @Test
    void theFleetShowsADrainingWorker() {
        jdbc.sql("update workers set status = 'DRAINING', draining = true where id = :id")
                .param("id", worker)
                .update();

        JsonNode workers = farm.admin().get("/api/v1/workers").json();

        JsonNode shown = workers.values().stream()
                .filter(w -> w.path("id").asString().equals(worker))
                .findFirst()
                .orElseThrow(() -> new AssertionError(worker + " missing from " + workers));
        assertThat(shown.path("status").asString()).isEqualTo("DRAINING");
        assertThat(shown.path("draining").asBoolean()).isTrue();
    }

    @Test
    void onlyAdminsDrainAKnownWorkerThatIsNotOffline() {
        PortalApi developer = farm.member(farm.team("fleet"), "maintainer");
        String offline = FarmAccounts.unique("w-gone");
        insertWorker(offline, "OFFLINE");

        Answer notAdmin = developer.post("/api/v1/workers/" + worker + "/drain", "");
        Answer notAdminResume = developer.post("/api/v1/workers/" + worker + "/resume", "");
        Answer unknown = farm.admin().post("/api/v1/workers/no-such-worker/drain", "");
        Answer gone = farm.admin().post("/api/v1/workers/" + offline + "/drain", "");

        assertThat(notAdmin.status()).as(notAdmin.toString()).isEqualTo(403);
        assertThat(notAdmin.problemDetail()).contains("only an admin may drain a worker");
        assertThat(notAdminResume.status()).isEqualTo(403);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemDetail()).contains("'no-such-worker' does not exist");
        assertThat(gone.status()).as(gone.toString()).isEqualTo(409);
        assertThat(gone.problemDetail()).contains("OFFLINE");
        assertThat(orders(worker)).isEmpty();
        assertThat(orders(offline)).isEmpty();
        expect(farm.admin().post("/api/v1/workers/" + worker + "/drain", ""), 202);
    }

    private void insertWorker(String id, String status) {
        jdbc.sql("""
                        insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status,
                                             first_seen, last_seen)
                        values (:id, 'host-a', '["linux/amd64"]', '[]', 2, 0, :status, now(), now())""").param("id", id).param("status", status).update();
    }

    private List<Map<String, Object>> orders(String workerId) {
        return jdbc.sql("""
                        select exchange_name, routing_key, payload::text as payload from outbox
                        where message_type = :type and payload->>'workerId' = :worker order by created_at""")
                .param("type", DrainWorker.class.getName())
                .param("worker", workerId)
                .query()
                .listOfRows();
    }
}
