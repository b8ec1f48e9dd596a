package io.archfarm.portal.builds;

import io.archfarm.model.Platform;
import io.archfarm.model.UnknownPlatformException;
import io.archfarm.portal.problems.ApiProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
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

    private static final int TAIL_CHUNKS = 2000;
    /** A line that reports an error: "Error: ...", "fatal: ...", buildah's "ERRO[0001] ...". */
    private static final Pattern ERROR_LINE = Pattern.compile("(?i)^\\s*(?:error|fatal|erro\\[|panic)\\b");
    /** Failing that, a line that mentions one. */
    private static final Pattern ERROR_WORD =
            Pattern.compile("(?i)\\berror\\b|\\bfatal\\b|exit (?:status|code)|not found|no such file|failed");

    private final BuildRepository builds;
    private final JdbcClient jdbc;

    BuildLogs(BuildRepository builds, JdbcClient jdbc) {
        this.builds = builds;
        this.jdbc = jdbc;
    }

    String of(UUID buildId, String platformParameter) {
        Build build =
                builds.findById(buildId).orElseThrow(() -> ApiProblem.notFound("build " + buildId + " does not exist"));
        String platform = platformOf(build, platformParameter);
        return jobOf(buildId, platform).map(this::logOfJob).orElse("");
    }

    private static String platformOf(Build build, String parameter) {
        if (parameter == null || parameter.isBlank()) {
            if (build.platforms().size() == 1) {
                return build.platforms().getFirst();
            }
            throw ApiProblem.badRequest(
                    "platform",
                    "build " + build.id() + " has platforms " + build.platforms() + ": say which log with ?platform=");
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

    private Optional<UUID> jobOf(UUID buildId, String platform) {
        return jdbc.sql("select id from platform_jobs where build_id = :build and platform = :platform")
                .param("build", buildId)
                .param("platform", platform)
                .query(UUID.class)
                .optional();
    }

    /** "=== attempt 2 on worker w-1 (EMULATED) ===" per attempt that has started. */
    private TreeMap<Integer, String> headers(UUID jobId) {
        return new TreeMap<>(jdbc
                .sql("select attempt, worker_id, mode from job_attempts where job_id = :job")
                .param("job", jobId)
                .query((rs, n) -> Map.entry(
                        rs.getInt("attempt"),
                        "=== attempt " + rs.getInt("attempt") + " on worker " + rs.getString("worker_id") + " ("
                                + rs.getString("mode") + ") ==="))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /**
     * The end of a platform's log as a page shows it (readable, at most {@code maxChars}), and the cursor the live
     * stream goes on from.
     */
    LogTail tail(UUID buildId, String platform, int maxChars) {
        Optional<UUID> job = jobOf(buildId, platform);
        if (job.isEmpty()) {
            return new LogTail(platform, "", LogCursor.START, false);
        }
        List<Chunk> newestFirst = jdbc.sql("""
                        select attempt, seq, content from job_logs where job_id = :job
                        order by attempt desc, seq desc limit :limit""")
                .param("job", job.get())
                .param("limit", TAIL_CHUNKS)
                .query((rs, n) ->
                        new Chunk(new LogCursor(rs.getInt("attempt"), rs.getLong("seq")), rs.getString("content")))
                .list();
        List<Chunk> chunks = new ArrayList<>(newestFirst);
        Collections.reverse(chunks);
        TreeMap<Integer, String> headers = headers(job.get());
        int firstAttempt = chunks.isEmpty()
                ? Integer.MAX_VALUE
                : chunks.getFirst().cursor().attempt();
        StringBuilder text = new StringBuilder();
        LogCursor cursor = LogCursor.START;
        int attempt = chunks.size() == TAIL_CHUNKS ? firstAttempt : 0;
        for (Chunk chunk : chunks) {
            attempt = appendHeaders(text, headers, attempt, chunk.cursor().attempt());
            text.append(ReadableLog.of(chunk.content()));
            cursor = chunk.cursor();
        }
        int lastStarted = headers.isEmpty() ? 0 : headers.lastKey();
        if (lastStarted > cursor.attempt()) {
            appendHeaders(text, headers, attempt, lastStarted);
            cursor = LogCursor.beforeChunksOf(lastStarted);
        }
        boolean truncated = chunks.size() == TAIL_CHUNKS || text.length() > maxChars;
        String shown = text.length() > maxChars ? text.substring(text.length() - maxChars) : text.toString();
        return new LogTail(platform, shown, cursor, truncated);
    }

    /** What a platform's log gained after {@code cursor}, readable, with a header where a new attempt starts. */
    List<LiveChunk> after(UUID buildId, String platform, LogCursor cursor, int limit) {
        Optional<UUID> job = jobOf(buildId, platform);
        if (job.isEmpty()) {
            return List.of();
        }
        List<Chunk> chunks = jdbc.sql("""
                        select attempt, seq, content from job_logs
                        where job_id = :job and (attempt > :attempt or (attempt = :attempt and seq > :seq))
                        order by attempt, seq limit :limit""")
                .param("job", job.get())
                .param("attempt", cursor.attempt())
                .param("seq", cursor.seq())
                .param("limit", limit)
                .query((rs, n) ->
                        new Chunk(new LogCursor(rs.getInt("attempt"), rs.getLong("seq")), rs.getString("content")))
                .list();
        if (chunks.isEmpty()) {
            return List.of();
        }
        Map<Integer, String> headers =
                chunks.getLast().cursor().attempt() > cursor.attempt() ? headers(job.get()) : Map.of();
        List<LiveChunk> live = new ArrayList<>();
        int attempt = cursor.attempt();
        for (Chunk chunk : chunks) {
            StringBuilder text = new StringBuilder();
            attempt = appendHeaders(text, headers, attempt, chunk.cursor().attempt());
            text.append(ReadableLog.of(chunk.content()));
            live.add(new LiveChunk(platform, text.toString(), chunk.cursor()));
        }
        return live;
    }

    /**
     * The first lines that look like the error in the last attempt's log of a platform, for the failed-step panel;
     * empty when none does.
     */
    List<String> firstErrorLines(UUID buildId, String platform, int count) {
        Optional<UUID> job = jobOf(buildId, platform);
        if (job.isEmpty()) {
            return List.of();
        }
        String log = ReadableLog.of(String.join(
                "", jdbc.sql("""
                        select content from job_logs where job_id = :job
                          and attempt = (select max(attempt) from job_logs where job_id = :job)
                        order by seq""").param("job", job.get()).query(String.class).list()));
        List<String> lines = log.lines().toList();
        int first = firstMatch(lines, ERROR_LINE);
        if (first < 0) {
            first = firstMatch(lines, ERROR_WORD);
        }
        if (first < 0) {
            return List.of();
        }
        // from the step that failed, when buildah named one just before
        int from = first;
        for (int i = first - 1; i >= Math.max(0, first - 5); i--) {
            if (lines.get(i).startsWith("STEP ")) {
                from = i;
                break;
            }
        }
        return lines.subList(from, Math.min(lines.size(), from + count));
    }

    private static int firstMatch(List<String> lines, Pattern pattern) {
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }

    private static int appendHeaders(StringBuilder text, Map<Integer, String> headers, int shownUpTo, int attempt) {
        for (int next = shownUpTo + 1; next <= attempt; next++) {
            String header = headers.get(next);
            if (header == null && next < attempt) {
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
                text.append('\n');
            }
            text.append(header == null ? "=== attempt " + next + " ===" : header)
                    .append('\n');
        }
        return Math.max(shownUpTo, attempt);
    }

    private record Chunk(LogCursor cursor, String content) {}

    /** The shown end of a platform's log; {@code truncated} when earlier text is only in the raw log. */
    public record LogTail(String platform, String text, LogCursor cursor, boolean truncated) {}

    /** New log text for a live reader, and the cursor after it. */
    record LiveChunk(String platform, String text, LogCursor cursor) {}

    private String logOfJob(UUID jobId) {
        Map<Integer, String> headers = headers(jobId);
        List<Map.Entry<Integer, String>> chunks = jdbc.sql(
                        "select attempt, content from job_logs where job_id = :job order by attempt, seq")
                .param("job", jobId)
                .query((rs, n) -> Map.entry(rs.getInt("attempt"), rs.getString("content")))
                .list();
        Map<Integer, StringBuilder> byAttempt = new TreeMap<>();
        headers.keySet().forEach(attempt -> byAttempt.put(attempt, new StringBuilder()));
        chunks.forEach(c ->
                byAttempt.computeIfAbsent(c.getKey(), a -> new StringBuilder()).append(c.getValue()));
        StringBuilder log = new StringBuilder();
        byAttempt.forEach((attempt, text) -> {
            if (!log.isEmpty() && log.charAt(log.length() - 1) != '\n') {
                log.append('\n');
            }
            log.append(headers.getOrDefault(attempt, "=== attempt " + attempt + " ==="))
                    .append('\n')
                    .append(text);
        });
        return log.toString();
    }
}
