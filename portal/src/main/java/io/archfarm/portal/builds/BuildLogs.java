package io.archfarm.portal.builds;

import io.archfarm.model.Platform;
import io.archfarm.model.UnknownPlatformException;
import io.archfarm.portal.web.ApiProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The log of one platform job, every attempt introduced by a header saying where and how it ran. Reads what the
 * scheduler has stored so far, so it works while the build runs.
 */
@Component
@Transactional(readOnly = true)
class BuildLogs {

    private final BuildRepository builds;
    private final JdbcClient jdbc;

    BuildLogs(BuildRepository builds, JdbcClient jdbc) {
        this.builds = builds;
        this.jdbc = jdbc;
    }

    String of(UUID buildId, String platformParameter) {
        Build build = builds.findById(buildId)
                .orElseThrow(() -> ApiProblem.notFound("build " + buildId + " does not exist"));
        String platform = platformOf(build, platformParameter);
        Optional<UUID> jobId = jdbc.sql("select id from platform_jobs where build_id = :build and platform = :platform")
                .param("build", buildId).param("platform", platform)
                .query(UUID.class).optional();
        return jobId.map(this::logOfJob).orElse("");
    }

    private static String platformOf(Build build, String parameter) {
        if (parameter == null || parameter.isBlank()) {
            if (build.platforms().size() == 1) {
                return build.platforms().getFirst();
            }
            throw ApiProblem.badRequest("platform", "build " + build.id() + " has platforms " + build.platforms()
                    + ": say which log with ?platform=");
        }
        String platform;
        try {
            platform = Platform.parse(parameter).toString();
        } catch (UnknownPlatformException e) {
            throw ApiProblem.badRequest("platform", e.getMessage());
        }
        if (!build.platforms().contains(platform)) {
            throw ApiProblem.notFound("build " + build.id() + " has no platform '" + parameter + "'; its platforms are "
                    + build.platforms());
        }
        return platform;
    }

    private String logOfJob(UUID jobId) {
        Map<Integer, String> headers = new TreeMap<>(jdbc.sql(
                        "select attempt, worker_id, mode from job_attempts where job_id = :job")
                .param("job", jobId)
                .query((rs, n) -> Map.entry(rs.getInt("attempt"), "=== attempt " + rs.getInt("attempt") + " on worker "
                        + rs.getString("worker_id") + " (" + rs.getString("mode") + ") ==="))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        List<Map.Entry<Integer, String>> chunks = jdbc.sql(
                        "select attempt, content from job_logs where job_id = :job order by attempt, seq")
                .param("job", jobId)
                .query((rs, n) -> Map.entry(rs.getInt("attempt"), rs.getString("content")))
                .list();
        Map<Integer, StringBuilder> byAttempt = new TreeMap<>();
        headers.keySet().forEach(attempt -> byAttempt.put(attempt, new StringBuilder()));
        chunks.forEach(c -> byAttempt.computeIfAbsent(c.getKey(), a -> new StringBuilder()).append(c.getValue()));
        StringBuilder log = new StringBuilder();
        byAttempt.forEach((attempt, text) -> {
            if (!log.isEmpty() && log.charAt(log.length() - 1) != '\n') {
                log.append('\n');
            }
            log.append(headers.getOrDefault(attempt, "=== attempt " + attempt + " ===")).append('\n').append(text);
        });
        return log.toString();
    }
}
