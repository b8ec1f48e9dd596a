package io.archfarm.portal.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.LayerCache;
import io.archfarm.model.Placement;
import io.archfarm.model.PublishPolicy;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.jspecify.annotations.Nullable;

/**
 * A build as the portal inserts it. After the insert the scheduler owns status, times and error; the portal only
 * reads them (and sets cancel_requested_at or retry_requested_at with one update statement), so there is no
 * optimistic lock here.
 */
@Entity
@Table(name = "builds")
class Build {

    @Id
    private UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private BuildStatus status;

    @Column(nullable = false)
    private String repository;

    @Column(nullable = false)
    private String ref;

    @Column(name = "commit_sha", nullable = false)
    private String commitSha;

    /** The branch the ref named when the build was accepted; null for a tag or a commit id. */
    @Column(name = "branch")
    private @Nullable String branch;

    @Column(nullable = false)
    private String containerfile;

    @Column(name = "context_dir", nullable = false)
    private String contextDir;

    @Column(nullable = false)
    private String image;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private List<String> tags;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private List<String> platforms;

    @Convert(converter = JsonColumns.StringMap.class)
    @Column(name = "build_args", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private Map<String, String> buildArgs;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Placement placement;

    /** Canonical platform to placement name, for the platforms whose placement differs from the build's. */
    @Convert(converter = JsonColumns.StringMap.class)
    @Column(name = "platform_placements", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private Map<String, String> platformPlacements;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private PublishPolicy publish;

    private @Nullable String error;

    @Column(name = "requested_by")
    private @Nullable String requestedBy;

    @Column(name = "team_id")
    private @Nullable UUID teamId;

    @Column(name = "project_id")
    private @Nullable UUID projectId;

    @Column(name = "build_number")
    private @Nullable Long buildNumber;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private BuildOrigin.Trigger trigger;

    @Column(name = "fetch_submodules", nullable = false)
    private boolean fetchSubmodules;

    /** The project's layer cache setting when the build was recorded: a later change leaves this build as it was. */
    @Column(name = "layer_cache", nullable = false)
    private boolean layerCache;

    @Column(name = "no_cache", nullable = false)
    private boolean noCache;

    @Column(name = "cancel_requested_at")
    private @Nullable Instant cancelRequestedAt;

    /** Set with one update statement when a retry is asked for; the scheduler clears it when it takes it up. */
    @Column(name = "retry_requested_at", insertable = false, updatable = false)
    private @Nullable Instant retryRequestedAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private @Nullable Instant startedAt;

    @Column(name = "finished_at")
    private @Nullable Instant finishedAt;

    protected Build() {}

    static Build queued(
            UUID id, BuildSubmission submission, BuildService.ResolvedRef source, BuildOrigin origin, Instant now) {
        Build build = new Build();
        build.teamId = origin.teamId();
        build.projectId = origin.projectId();
        build.buildNumber = origin.buildNumber();
        build.trigger = origin.trigger();
        build.requestedBy = origin.requestedBy();
        build.fetchSubmodules = origin.fetchSubmodules();
        build.layerCache = origin.layerCache();
        build.noCache = submission.noCache();
        build.id = id;
        build.status = BuildStatus.QUEUED;
        build.repository = submission.repository();
        build.ref = source.ref();
        build.commitSha = source.commit();
        build.branch = source.branch();
        build.containerfile = submission.containerfile();
        build.contextDir = submission.context();
        build.image = submission.image();
        build.tags = List.copyOf(submission.tags());
        build.platforms = submission.platforms().stream().map(Object::toString).toList();
        build.buildArgs = Map.copyOf(submission.buildArgs());
        build.placement = submission.placement();
        build.platformPlacements = new LinkedHashMap<>();
        submission
                .platformPlacement()
                .forEach((platform, placement) -> build.platformPlacements.put(platform.toString(), placement.name()));
        build.publish = submission.publish();
        build.createdAt = now;
        return build;
    }

    UUID id() {
        return id;
    }

    BuildStatus status() {
        return status;
    }

    String repository() {
        return repository;
    }

    String ref() {
        return ref;
    }

    String commitSha() {
        return commitSha;
    }

    String containerfile() {
        return containerfile;
    }

    String contextDir() {
        return contextDir;
    }

    String image() {
        return image;
    }

    List<String> tags() {
        return tags;
    }

    List<String> platforms() {
        return platforms;
    }

    Map<String, String> buildArgs() {
        return buildArgs;
    }

    Placement placement() {
        return placement;
    }

    Placement placementOf(String platform) {
        String own = platformPlacements.get(platform);
        return own == null ? placement : Placement.valueOf(own);
    }

    PublishPolicy publish() {
        return publish;
    }

    @Nullable
    String error() {
        return error;
    }

    @Nullable
    UUID teamId() {
        return teamId;
    }

    @Nullable
    UUID projectId() {
        return projectId;
    }

    @Nullable
    Long buildNumber() {
        return buildNumber;
    }

    BuildOrigin.Trigger trigger() {
        return trigger;
    }

    @Nullable
    String requestedBy() {
        return requestedBy;
    }

    LayerCache layerCache() {
        return LayerCache.of(layerCache, noCache);
    }

    boolean noCache() {
        return noCache;
    }

    @Nullable
    Instant cancelRequestedAt() {
        return cancelRequestedAt;
    }

    @Nullable
    Instant retryRequestedAt() {
        return retryRequestedAt;
    }

    Instant createdAt() {
        return createdAt;
    }

    @Nullable
    Instant startedAt() {
        return startedAt;
    }

    @Nullable
    Instant finishedAt() {
        return finishedAt;
    }
}
