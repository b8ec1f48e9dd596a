package io.archfarm.portal.workers;

import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The fleet, read from the scheduler's {@code workers} table. */
@RestController
class WorkerController {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    WorkerController(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/api/v1/workers")
    List<WorkerView> workers() {
        return jdbc.sql("""
                        select id, host, native_platforms, emulated_platforms, slots, busy, last_seen, status
                        from workers order by id""")
                .query((rs, n) -> new WorkerView(rs.getString("id"), rs.getString("host"),
                        json.readValue(rs.getString("native_platforms"), STRINGS),
                        json.readValue(rs.getString("emulated_platforms"), STRINGS), rs.getInt("slots"),
                        rs.getInt("busy"), rs.getObject("last_seen", OffsetDateTime.class).toInstant(),
                        rs.getString("status")))
                .list();
    }
}
