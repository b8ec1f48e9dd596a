package io.archfarm.scheduler.dispatch;

import io.archfarm.model.Platform;
import io.archfarm.model.UnknownPlatformException;
import io.archfarm.model.WorkerStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The fleet as the last heartbeats left it in {@code workers}. */
@Component
class FleetReader {

    private static final Logger log = LoggerFactory.getLogger(FleetReader.class);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    FleetReader(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Fleet online() {
        Set<Platform> nativePlatforms = new HashSet<>();
        Set<Platform> emulatedPlatforms = new HashSet<>();
        Map<String, Fleet.Worker> workers = new HashMap<>();
        jdbc.sql("select id, native_platforms::text as n, emulated_platforms::text as e from workers"
                        + " where status = :online")
                .param("online", WorkerStatus.ONLINE.name())
                .query(rs -> {
                    String worker = rs.getString("id");
                    Set<Platform> workerNative = new HashSet<>();
                    Set<Platform> workerEmulated = new HashSet<>();
                    addAll(worker, rs.getString("n"), workerNative);
                    addAll(worker, rs.getString("e"), workerEmulated);
                    nativePlatforms.addAll(workerNative);
                    emulatedPlatforms.addAll(workerEmulated);
                    workers.put(worker, new Fleet.Worker(workerNative, workerEmulated));
                });
        return new Fleet(nativePlatforms, emulatedPlatforms, workers);
    }

    private void addAll(String worker, String platformsJson, Set<Platform> into) {
        for (String value : json.readValue(platformsJson, STRINGS)) {
            try {
                into.add(Platform.parse(value));
            } catch (UnknownPlatformException e) {
                log.warn("worker {} advertises a platform the farm does not know: {}", worker, e.getMessage());
            }
        }
    }
}
