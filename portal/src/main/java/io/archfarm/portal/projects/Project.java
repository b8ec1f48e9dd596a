package io.archfarm.portal.projects;

import io.archfarm.model.Placement;
import io.archfarm.model.PublishPolicy;
import io.archfarm.portal.builds.JsonColumns;
import io.archfarm.portal.forge.Forge;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.jspecify.annotations.Nullable;

/**
 * A repository a team builds with fixed defaults, by hand or on every matching push. The webhook secret and the
 * forge token are stored sealed by {@link io.archfarm.portal.secrets.SecretBox}, never in plain text.
 */
@Entity
@Table(name = "projects")
class Project {

    @Id
    private UUID id;

    @Column(name = "team_id", nullable = false)
    private UUID teamId;

    @Column(nullable = false)
    private String slug;

    @Column(nullable = false)
    private String repository;

    @Column(name = "default_branch", nullable = false)
    private String defaultBranch;

    @Column(nullable = false)
    private String containerfile;

    @Column(name = "context_dir", nullable = false)
    private String contextDir;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private List<String> platforms;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Placement placement;

    @Convert(converter = JsonColumns.StringMap.class)
    @Column(name = "platform_placements", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private Map<String, String> platformPlacements;

    @Column(nullable = false)
    private String image;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "tag_templates", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private List<String> tagTemplates;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "branch_filters", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private List<String> branchFilters;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "tag_filters", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private List<String> tagFilters;

    @Convert(converter = JsonColumns.StringMap.class)
    @Column(name = "build_args", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private Map<String, String> buildArgs;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private PublishPolicy publish;

    @Column(name = "fetch_submodules", nullable = false)
    private boolean fetchSubmodules;

    @Column(name = "layer_cache", nullable = false)
    private boolean layerCache;

    @Column(name = "cancel_superseded", nullable = false)
    private boolean cancelSuperseded;

    @Column(name = "webhook_secret", nullable = false)
    private String sealedWebhookSecret;

    @Enumerated(EnumType.STRING)
    private @Nullable Forge forge;

    @Column(name = "forge_api_url")
    private @Nullable String forgeApiUrl;

    @Column(name = "forge_repository")
    private @Nullable String forgeRepository;

    @Column(name = "forge_token")
    private @Nullable String sealedForgeToken;

    @Column(name = "registry_host")
    private @Nullable String registryHost;

    @Column(name = "registry_username")
    private @Nullable String registryUsername;

    @Column(name = "registry_secret")
    private @Nullable String sealedRegistrySecret;

    @Column(name = "last_build_number", nullable = false)
    private long lastBuildNumber;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected Project() {}

    // the settings follow at once: Projects calls configure(...) on the new project before it is saved
    @SuppressWarnings("NullAway.Init")
    Project(UUID id, UUID teamId, String slug, String sealedWebhookSecret, Instant now) {
        this.id = id;
        this.teamId = teamId;
        this.slug = slug;
        this.sealedWebhookSecret = sealedWebhookSecret;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Replaces every setting; a forge token of null keeps the one stored (tokens are never read back out). */
    void configure(ProjectSettings settings, @Nullable String sealedToken, Instant now) {
        this.repository = settings.repository();
        this.defaultBranch = settings.defaultBranch();
        this.containerfile = settings.containerfile();
        this.contextDir = settings.context();
        this.platforms = settings.platforms().stream().map(Object::toString).toList();
        this.placement = settings.placement();
        this.platformPlacements = new LinkedHashMap<>();
        settings.platformPlacement().forEach((p, placement) -> platformPlacements.put(p.toString(), placement.name()));
        this.image = settings.image();
        this.tagTemplates = List.copyOf(settings.tagTemplates());
        this.branchFilters = List.copyOf(settings.branchFilters());
        this.tagFilters = List.copyOf(settings.tagFilters());
        this.buildArgs = Map.copyOf(settings.buildArgs());
        this.publish = settings.publish();
        this.fetchSubmodules = settings.fetchSubmodules();
        this.layerCache = settings.layerCache();
        this.cancelSuperseded = settings.cancelSuperseded();
        ProjectSettings.CommitStatusSettings status = settings.commitStatus();
        if (status == null) {
            this.forge = null;
            this.forgeApiUrl = null;
            this.forgeRepository = null;
            this.sealedForgeToken = null;
        } else {
            this.forge = status.forge();
            this.forgeApiUrl = status.apiUrl();
            this.forgeRepository = status.repository();
            if (sealedToken != null) {
                this.sealedForgeToken = sealedToken;
            }
        }
        this.updatedAt = now;
    }

    void rotateWebhookSecret(String sealed, Instant now) {
        this.sealedWebhookSecret = sealed;
        this.updatedAt = now;
    }

    /** Stores the credential for {@code registry}, or forgets it when {@code registry} is null. */
    void registryCredential(
            @Nullable String registry, @Nullable String username, @Nullable String sealedSecret, Instant now) {
        this.registryHost = registry;
        this.registryUsername = registry == null ? null : username;
        this.sealedRegistrySecret = registry == null ? null : sealedSecret;
        this.updatedAt = now;
    }

    UUID id() {
        return id;
    }

    UUID teamId() {
        return teamId;
    }

    String slug() {
        return slug;
    }

    String repository() {
        return repository;
    }

    String defaultBranch() {
        return defaultBranch;
    }

    String containerfile() {
        return containerfile;
    }

    String contextDir() {
        return contextDir;
    }

    List<String> platforms() {
        return platforms;
    }

    Placement placement() {
        return placement;
    }

    Map<String, String> platformPlacements() {
        return platformPlacements;
    }

    String image() {
        return image;
    }

    List<String> tagTemplates() {
        return tagTemplates;
    }

    List<String> branchFilters() {
        return branchFilters;
    }

    List<String> tagFilters() {
        return tagFilters;
    }

    Map<String, String> buildArgs() {
        return buildArgs;
    }

    PublishPolicy publish() {
        return publish;
    }

    boolean fetchSubmodules() {
        return fetchSubmodules;
    }

    boolean layerCache() {
        return layerCache;
    }

    boolean cancelSuperseded() {
        return cancelSuperseded;
    }

    String sealedWebhookSecret() {
        return sealedWebhookSecret;
    }

    @Nullable
    Forge forge() {
        return forge;
    }

    @Nullable
    String forgeApiUrl() {
        return forgeApiUrl;
    }

    @Nullable
    String forgeRepository() {
        return forgeRepository;
    }

    @Nullable
    String sealedForgeToken() {
        return sealedForgeToken;
    }

    @Nullable
    String registryHost() {
        return registryHost;
    }

    @Nullable
    String registryUsername() {
        return registryUsername;
    }

    long lastBuildNumber() {
        return lastBuildNumber;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }
}
