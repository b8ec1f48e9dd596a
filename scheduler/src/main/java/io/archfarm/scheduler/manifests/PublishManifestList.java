package io.archfarm.scheduler.manifests;

import io.archfarm.model.ImageReference;
import io.archfarm.model.PartOutage;
import io.archfarm.model.Platform;
import io.archfarm.scheduler.Timestamps;
import io.archfarm.scheduler.builds.Build;
import io.archfarm.scheduler.registry.RegistryCredentials;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads each image manifest from the registry, assembles the index, pushes it by digest and then under every tag
 * (so no tag ever points at something that is not there): outside any transaction, which {@link #push} refuses.
 * Tags only move forward: each is claimed in {@link TagHeads} first, and a tag that a build accepted later holds gets
 * that build's index, not this one's, whichever merge pushes last. Then, in the caller's transaction,
 * {@link #record} keeps what was pushed, in place of what an earlier merge of the same build recorded.
 */
@Component
class PublishManifestList {

    private static final Logger log = LoggerFactory.getLogger(PublishManifestList.class);
    /** Pushes of a tag per merge while newer claims keep arriving; each newer claimant pushes its own too. */
    private static final int TAG_ROUNDS = 5;

    private final RegistryClient registry;
    private final TagHeads tagHeads;
    private final RegistryCredentials credentials;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final RegistryErrors errors;

    PublishManifestList(
            RegistryClient registry,
            TagHeads tagHeads,
            RegistryCredentials credentials,
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            RegistryErrors errors) {
        this.registry = registry;
        this.errors = errors;
        this.tagHeads = tagHeads;
        this.credentials = credentials;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Registry I/O only: never inside a transaction, so that no row lock is held while the registry answers.
     *
     * @param digests image digest per platform, of the jobs that succeeded
     */
    @Transactional(propagation = Propagation.NEVER)
    ImageIndex push(Build build, Map<String, String> digests) throws MergeFailedException {
        ImageReference image;
        try {
            image = ImageReference.parse(build.image());
            for (String tag : build.tags()) {
                ImageReference.tagRefusal(tag).ifPresent(why -> {
                    throw new IllegalArgumentException(why);
                });
            }
        } catch (IllegalArgumentException e) {
            throw new MergeFailedException("cannot publish the manifest list: " + e.getMessage(), e);
        }
        RegistryClient.Session session;
        try {
            session = registry.session(image, credentials.forBuild(build.id(), image));
        } catch (IllegalStateException e) {
            throw new MergeFailedException("cannot publish the manifest list: " + e.getMessage(), e);
        } catch (RegistryException e) {
            throw new MergeFailedException(
                    "cannot publish the manifest list: " + e.getMessage(), errors.counted(e), part(image));
        }
        ImageIndex index = ImageIndex.assemble(readImages(session, image, digests), build.commit(), build.repository());
        try {
            session.putIndex(index.digest(), index);
            for (String tag : build.tags()) {
                pushForward(session, image, tag, build, index);
            }
        } catch (RegistryException e) {
            throw new MergeFailedException(
                    (e.isTransient()
                                    ? part(image) + " failed the push of the manifest list: "
                                    : "registry refused the manifest list: ")
                            + e.getMessage(),
                    errors.counted(e),
                    part(image));
        }
        return index;
    }

    /**
     * Claims the tag, pushes the index of the build that holds it after the claim, then reads the claim again: when a
     * newer build claimed the tag meanwhile (its push may have landed before this one), pushes the newer index over
     * this one. The last push to the tag is therefore always the newest claim's: a claimant reads the claim after its
     * own push, and any claim made after that read is followed by that claimant's own push.
     */
    private void pushForward(
            RegistryClient.Session session, ImageReference image, String tag, Build build, ImageIndex own)
            throws RegistryException {
        String repository = image.registry() + "/" + image.repository();
        TagHeads.Head head = tagHeads.claim(repository, tag, build, own);
        for (int round = 1; ; round++) {
            session.putIndex(tag, head.index());
            TagHeads.Head after = tagHeads.read(repository, tag);
            if (after.index().digest().equals(head.index().digest())) {
                break;
            }
            if (round == TAG_ROUNDS) {
                log.warn(
                        "tag {}:{} claimed {} times more while build {} pushed it; its newest claimant pushes it",
                        repository,
                        tag,
                        round,
                        build.id());
                break;
            }
            head = after;
        }
        if (!head.isOf(build)) {
            log.info(
                    "tag {}:{} stays on build {} (accepted after build {}), not moved back to {}",
                    repository,
                    tag,
                    head.buildId(),
                    build.id(),
                    own.digest());
        }
    }

    private static String part(ImageReference image) {
        return PartOutage.REGISTRY + " " + image.registry();
    }

    private List<IndexEntry> readImages(
            RegistryClient.Session session, ImageReference image, Map<String, String> digests)
            throws MergeFailedException {
        List<IndexEntry> entries = new ArrayList<>();
        for (Map.Entry<String, String> job : digests.entrySet()) {
            try {
                RegistryClient.IndexEntryFacts facts = session.manifest(job.getValue());
                entries.add(
                        new IndexEntry(Platform.parse(job.getKey()), job.getValue(), facts.size(), facts.mediaType()));
            } catch (RegistryException e) {
                throw new MergeFailedException(
                        "could not read the " + job.getKey() + " image from the registry: " + e.getMessage(),
                        errors.counted(e),
                        part(image));
            }
        }
        return entries;
    }

    /** Replaces the build's earlier manifest list, if any: a retried PARTIAL build is merged a second time. */
    @Transactional(propagation = Propagation.MANDATORY)
    void record(Build build, ImageIndex index) {
        jdbc.sql("delete from manifest_lists where build_id = :build")
                .param("build", build.id())
                .update();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into manifest_lists (id, build_id, digest, media_type, size, tags, content, created_at)
                values (:id, :build, :digest, :mediaType, :size, cast(:tags as jsonb), :content, :now)""")
                .param("id", id)
                .param("build", build.id())
                .param("digest", index.digest())
                .param("mediaType", ImageIndex.MEDIA_TYPE)
                .param("size", index.size())
                .param("tags", json.writeValueAsString(build.tags()))
                .param("content", index.content())
                .param("now", Timestamps.of(clock.instant()))
                .update();
        for (IndexEntry entry : index.entries()) {
            jdbc.sql("insert into manifest_list_entries (manifest_list_id, platform, digest, size, media_type)"
                            + " values (:list, :platform, :digest, :size, :mediaType)")
                    .param("list", id)
                    .param("platform", entry.platform().toString())
                    .param("digest", entry.digest())
                    .param("size", entry.size())
                    .param("mediaType", entry.mediaType())
                    .update();
        }
    }
}
