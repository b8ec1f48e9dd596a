package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.text.Text;
import io.archfarm.model.BuildStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A build as afctl reads the API's BuildView: only what it shows; fields a newer farm adds are ignored, and the JSON
 * itself is what {@code --output json} prints.
 */
record Build(
        String id,
        String status,
        @Nullable String team,
        @Nullable String project,
        @Nullable Long number,
        @Nullable String trigger,
        @Nullable String requestedBy,
        @Nullable String repository,
        @Nullable String ref,
        @Nullable String commit,
        @Nullable String image,
        List<String> tags,
        @Nullable String error,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        List<PlatformJob> platforms,
        @Nullable ManifestList manifestList,
        boolean retryable,
        List<String> retryPlatforms) {

    Build {
        tags = tags == null ? List.of() : tags;
        platforms = platforms == null ? List.of() : platforms;
        retryPlatforms = retryPlatforms == null ? List.of() : retryPlatforms;
    }

    static Build of(JsonNode view) {
        return Json.as(view, Build.class);
    }

    /** One platform job. */
    record PlatformJob(
            String platform,
            @Nullable String placement,
            String status,
            @Nullable String mode,
            @Nullable String worker,
            int attempt,
            @Nullable String digest,
            @Nullable Long size,
            @Nullable String error,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt) {

        /** How long it ran: to its end, or to {@code now} while it runs; empty before it started. */
        Optional<Duration> elapsed(Instant now) {
            if (startedAt == null) {
                return Optional.empty();
            }
            Instant end = finishedAt != null ? finishedAt : now;
            return Optional.of(end.isBefore(startedAt) ? Duration.ZERO : Duration.between(startedAt, end));
        }

        /** The first line of its error: what failed, without the log tail the worker appends. */
        Optional<String> errorSummary() {
            return Optional.ofNullable(error).flatMap(e -> e.lines().findFirst());
        }
    }

    record ManifestList(String digest, @Nullable String mediaType, List<String> tags, List<Entry> entries) {

        ManifestList {
            tags = tags == null ? List.of() : tags;
            entries = entries == null ? List.of() : entries;
        }
    }

    record Entry(
            String platform,
            String digest,
            long size,
            @Nullable String mediaType) {}

    BuildStatus buildStatus() {
        return BuildStatus.valueOf(status);
    }

    boolean ended() {
        return buildStatus().isTerminal();
    }

    /** {@code #12 demo/hello}; a build outside any project by its short id and image: {@code 3f1c2a9e reg/app}. */
    String title() {
        if (project != null) {
            return "#" + number + " " + team + "/" + project;
        }
        String what = image != null ? image : repository;
        return what == null ? Text.shortId(id) : Text.shortId(id) + " " + what;
    }

    Optional<PlatformJob> platform(String name) {
        return platforms.stream().filter(job -> job.platform().equals(name)).findFirst();
    }

    /** How long the build has taken: to its end, or to {@code now} while it runs. */
    Duration elapsed(Instant now) {
        Instant from = createdAt == null ? now : createdAt;
        Instant to = finishedAt != null ? finishedAt : now;
        return to.isBefore(from) ? Duration.ZERO : Duration.between(from, to);
    }
}
