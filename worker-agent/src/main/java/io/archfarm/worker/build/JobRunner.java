package io.archfarm.worker.build;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.ImageReference;
import io.archfarm.model.JobOutcome;
import io.archfarm.model.LayerCache;
import io.archfarm.model.Platform;
import io.archfarm.model.UnknownPlatformException;
import io.archfarm.model.hosts.HostRefusal;
import io.archfarm.model.hosts.HostResolver;
import io.archfarm.model.hosts.RegistryRule;
import io.archfarm.model.messages.JobAssignment;
import io.archfarm.model.messages.JobCache;
import io.archfarm.model.messages.JobFinished;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Runs one claimed attempt of a platform job from source to pushed image: fetch the commit, {@code buildah build}
 * in an image store no other running job uses, push by digest, and describe the outcome as a {@link JobFinished}.
 * Never throws: every failure becomes a reason.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final Pattern BUILD_ARG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Duration CLEANUP_LIMIT = Duration.ofMinutes(2);

    private final BuildSettings settings;
    private final ProcessRunner processes = new ProcessRunner();
    private final SourceFetcher sources;
    private final RegistryRule registries;
    private final ImageStores stores;
    private final RunIsolation isolation;
    private final NetworkSandboxes sandboxes;
    private final EvictLayerCache eviction;
    private final Consumer<PartError> partErrors;

    /**
     * A runner whose RUN steps share the worker's network (level host), for tests of other things.
     *
     * @throws IllegalArgumentException when an entry of {@code archfarm.git.allowed-hosts} or
     *                                  {@code archfarm.registry.allowed-hosts} is malformed (naming the setting)
     */
    public JobRunner(BuildSettings settings) {
        this(settings, RunIsolation.host());
    }

    public JobRunner(BuildSettings settings, RunIsolation isolation) {
        this(settings, isolation, error -> {});
    }

    /** @param partErrors told of each job's failure on the way to a registry or a git server (the metrics) */
    public JobRunner(BuildSettings settings, RunIsolation isolation, Consumer<PartError> partErrors) {
        this(settings, isolation, HostResolver.system(), partErrors);
    }

    /** With {@code resolver} for the host rule instead of the system's DNS: tests bring their own answers. */
    JobRunner(BuildSettings settings, HostResolver resolver) {
        this(settings, RunIsolation.host(), resolver, error -> {});
    }

    private JobRunner(
            BuildSettings settings, RunIsolation isolation, HostResolver resolver, Consumer<PartError> partErrors) {
        this.settings = settings;
        this.partErrors = partErrors;
        this.isolation = isolation;
        this.sandboxes = new NetworkSandboxes(isolation, settings.workDir().resolve("sandboxes"));
        // before the first job: what a crashed worker left goes, and the host is checked for what the level needs
        sandboxes.prepareHost();
        this.sources = new SourceFetcher(
                new GitUrlPolicy(settings.allowFileUrls()),
                GitUrlPolicy.forSubmodules(settings.allowFileSubmodules()),
                new GitHosts(settings.allowedGitHosts(), resolver),
                settings.gitTimeout(),
                settings.gitCacheRoot(),
                settings.gitCacheMaxBytes());
        this.registries = RegistryRule.of(settings.insecureRegistries(), settings.allowedRegistries(), resolver);
        this.stores = new ImageStores(settings.storageRoot(), settings.storageDriver());
        this.eviction = new EvictLayerCache(stores, settings.layerCacheMaxBytes(), settings.workDir());
    }

    public JobFinished run(JobAssignment job, ExecutionMode mode, JobControl control, JobLog log) {
        return run(job, mode, control, log, Optional.empty());
    }

    public JobFinished run(
            JobAssignment job, ExecutionMode mode, JobControl control, JobLog log, Optional<JobCredential> credential) {
        return run(job, mode, control, log, credential, JobSecrets.none());
    }

    /**
     * @param credential the project's registry credential the claim's answer brought, if any
     * @param secrets    the build secrets the claim's answer brought; {@code log} should redact them
     */
    public JobFinished run(
            JobAssignment job,
            ExecutionMode mode,
            JobControl control,
            JobLog log,
            Optional<JobCredential> credential,
            JobSecrets secrets) {
        Instant startedAt = Instant.now();
        Path jobDir = settings.workDir().resolve("jobs").resolve(job.jobId() + "-" + job.attempt());
        Duration[] buildTime = {Duration.ZERO};
        @Nullable JobCache[] cache = {null};
        Phases phases = new Phases();
        try {
            if (job.timeoutSeconds() <= 0) {
                throw new JobFailure(JobOutcome.FAILED, "timeoutSeconds must be positive, was " + job.timeoutSeconds());
            }
            Platform platform = platform(job.platform());
            ImageReference image = image(job.image());
            Map<String, String> buildArgs = buildArgs(job.buildArgs());
            Attempt attempt = new Attempt(control, log, processes, job.timeoutSeconds());
            log.line("worker " + settings.workerId() + " builds " + platform + " (" + mode + ")");
            log.line("isolation: " + isolation.describe());
            Path checkout = jobDir.resolve("source");
            long fetchStart = System.nanoTime();
            sources.fetch(attempt, job.repository(), job.ref(), job.commit(), job.fetchSubmodules(), checkout);
            phases.fetched(Duration.ofNanos(System.nanoTime() - fetchStart));
            SourceTree tree = SourceTree.locate(checkout, job.containerfile(), job.context(), job.commit());
            checkRegistry(image);
            checkBaseImages(tree, buildArgs, platform);
            credential.ifPresent(c -> log.line("using the registry credential of " + c.owner() + " (user "
                    + c.credential().username() + ") for " + c.registry()));
            BuildCommands.RegistryAccess access = new BuildCommands.RegistryAccess(
                    JobAuthFile.prepare(jobDir, settings.hostAuthFile(), credential), certDir(image));
            if (!secrets.isEmpty()) {
                log.line("build secrets for RUN --mount=type=secret,id=…: "
                        + String.join(", ", secrets.values().keySet()));
            }
            ImageManifest manifest = buildInOwnStore(
                    new Job(
                            attempt,
                            jobDir,
                            platform,
                            tree,
                            buildArgs,
                            job.cacheScope(),
                            job.layerCache(),
                            image,
                            credential,
                            access,
                            secrets,
                            phases),
                    buildTime,
                    cache);
            log.line("pushed " + image + "@" + manifest.digest() + " (" + manifest.mediaType() + ", " + manifest.size()
                    + " bytes)");
            return finished(job, JobOutcome.SUCCEEDED, manifest, null, null, startedAt, buildTime[0], phases, cache[0]);
        } catch (JobFailure failure) {
            failure.partError().ifPresent(partErrors);
            // the first line only: the rest of the message is the log's own tail, already above
            log.line("error: " + failure.getMessage().lines().findFirst().orElse(""));
            return finished(
                    job,
                    failure.outcome(),
                    null,
                    log.redact(failure.getMessage()),
                    failure.exitCode(),
                    startedAt,
                    buildTime[0],
                    phases,
                    cache[0]);
        } catch (RuntimeException e) {
            LOG.error("job {} attempt {} broke the worker", job.jobId(), job.attempt(), e);
            log.line("error: the worker failed: " + e);
            return finished(
                    job,
                    JobOutcome.INFRA_FAILED,
                    null,
                    log.redact("the worker failed: " + e),
                    null,
                    startedAt,
                    buildTime[0],
                    phases,
                    cache[0]);
        } finally {
            deleteTree(jobDir);
            log.flush();
        }
    }

    /** One attempt's inputs, as the build and the push need them. */
    private record Job(
            Attempt attempt,
            Path jobDir,
            Platform platform,
            SourceTree tree,
            Map<String, String> buildArgs,
            String cacheScope,
            LayerCache layerCache,
            ImageReference image,
            Optional<JobCredential> credential,
            BuildCommands.RegistryAccess access,
            JobSecrets secrets,
            Phases phases) {}

    /** The CA directory of the image's registry under the configured certs.d root, if that is not the tools' own. */
    private Optional<Path> certDir(ImageReference image) {
        return Optional.ofNullable(settings.certsDir())
                .map(root -> root.resolve(image.registry()))
                .filter(Files::isDirectory);
    }

    /**
     * The build and the push in a store of the job's scope and platform. What is removed afterwards is only what must
     * go: with the layer cache nothing after a successful build (its image and layers are the cache), without it the
     * job's image; after a failed build its working containers.
     */
    private ImageManifest buildInOwnStore(Job job, Duration[] buildTime, @Nullable JobCache[] cache) throws JobFailure {
        Platform platform = job.platform();
        Path storeDir = null;
        try (ImageStores.ImageStore store = stores.lease(job.cacheScope(), platform)) {
            storeDir = store.dir();
            job.attempt().log().line("image store " + store.name());
            job.attempt().log().line("layer cache " + describe(job.layerCache()));
            BuildCommands commands = store.commands();
            Optional<String> imageId = Optional.empty();
            try {
                imageId = Optional.of(build(job, store, buildTime, cache));
                return push(job, commands, imageId.get(), buildTime);
            } catch (JobFailure failure) {
                if (failure.imageStoreBroken()) {
                    store.discard();
                    job.attempt()
                            .log()
                            .line("image store " + store.name() + " is discarded: the next job of " + platform
                                    + " here starts with an empty one");
                }
                throw failure;
            } finally {
                if (imageId.isEmpty()) {
                    removeQuietly(commands.removeContainers(), "the working containers");
                } else if (job.layerCache() == LayerCache.OFF) {
                    removeQuietly(commands.removeImage(imageId.get()), "image " + imageId.get());
                }
            }
        } finally {
            if (storeDir != null) {
                eviction.afterJob(storeDir);
            }
        }
    }

    private static String describe(LayerCache cache) {
        return switch (cache) {
            case USE -> "on";
            case REFRESH ->
                "refreshed (--no-cache: every step is built again, the new layers replace the older ones "
                        + "of the same steps)";
            case OFF -> "off for this project (nothing of the build is kept)";
        };
    }

    /** Builds the image and returns its id. */
    private String build(Job job, ImageStores.ImageStore store, Duration[] buildTime, @Nullable JobCache[] cache)
            throws JobFailure {
        BuildCommands commands = store.commands();
        Attempt attempt = job.attempt();
        Path jobDir = job.jobDir();
        ImageReference image = job.image();
        Path imageIdFile = jobDir.resolve("image-id");
        // HOME: the worker's registries.conf drop-in, read after the host's own configuration
        Map<String, String> env = Map.of("HOME", settings.containersHome().toString());
        ProcessResult build;
        Optional<Set<String>> before = imagesBeforeRefresh(store, job.layerCache());
        // the secrets exist on disk only while buildah builds: not during the push, not after a failure
        try (JobSecretFiles secrets = JobSecretFiles.write(jobDir.resolve("secrets"), job.secrets());
                NetworkSandbox sandbox = sandboxes.open()) {
            attempt.log().line(sandbox.description());
            List<String> command = commands.build(
                    job.platform(),
                    job.tree().containerfile(),
                    job.buildArgs(),
                    job.layerCache(),
                    imageIdFile,
                    job.tree().context(),
                    job.access());
            PullSpans pulls = new PullSpans(attempt.log()::line);
            CacheSteps steps = new CacheSteps(pulls);
            JobCache made;
            try {
                build = attempt.run(sandbox.wrap(secrets.addTo(command)), jobDir, env, steps);
            } finally {
                made = steps.toCache(job.layerCache(), store.name(), attempt.log()::redact);
                cache[0] = made;
            }
            job.phases().built(build.elapsed(), pulls.pulled());
            if (job.layerCache() != LayerCache.OFF) {
                attempt.log()
                        .line("layer cache: " + made.hits() + " of "
                                + made.steps().size() + " steps from the cache (store " + store.name() + ")");
            }
            if (build.succeeded()) {
                recordUse(store, steps.usedImages(), readImageId(imageIdFile), job.layerCache());
            }
        }
        buildTime[0] = buildTime[0].plus(build.elapsed());
        // a failed --no-cache build replaced the steps it got to as well: a fixed build must not go back to older ones
        if (before.isPresent()
                && (build.succeeded()
                        || !BuildFailures.of(build.exitCode(), build.lastLines())
                                .imageStoreBroken())) {
            RefreshedSteps.dropReplaced(store, before.get(), processes, settings.workDir(), attempt.log()::line);
        }
        if (!build.succeeded()) {
            Optional<String> registry =
                    RegistryFailures.reason(build.lastLines(), image, job.credential(), "the pull of a FROM image");
            if (registry.isPresent()) {
                throw new JobFailure(JobOutcome.FAILED, registry.get() + "\n" + build.tail(5), build.exitCode())
                        .because(PartError.registry(RegistryFailures.kind(build.lastLines())));
            }
            throw BuildFailures.of(build.exitCode(), build.lastLines());
        }
        return readImageId(imageIdFile);
    }

    /**
     * The images in the store before a {@code --no-cache} build, to tell its own from the older ones it replaces;
     * empty for other builds, or when the store cannot be read (then nothing is replaced, the build goes on).
     */
    private static Optional<Set<String>> imagesBeforeRefresh(ImageStores.ImageStore store, LayerCache cache) {
        if (cache != LayerCache.REFRESH) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    StoreImages.read(store.root(), store.driver()).images().keySet());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the images of {} before a --no-cache build: {}", store.dir(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Notes in the store that the build used its images now: the ones it took from the cache or named as a stage,
     * its own, and every image under them (the base image too), so the eviction takes them last. Without the cache
     * only the base images count: the job's own image goes right after the push.
     */
    private static void recordUse(ImageStores.ImageStore store, Set<String> used, String imageId, LayerCache cache) {
        try {
            StoreImages images = StoreImages.read(store.root(), store.driver());
            Set<String> seeds = new HashSet<>(used);
            seeds.add(imageId);
            Set<String> touched = new HashSet<>(images.withImagesUnder(seeds));
            if (cache == LayerCache.OFF) {
                touched.remove(imageId);
            }
            LayerCacheUse use = LayerCacheUse.of(store.dir());
            use.used(touched, Instant.now());
            use.save(images.images().keySet());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot record the layer cache's use in {}: {}", store.dir(), e.toString());
        }
    }

    private ImageManifest push(Job job, BuildCommands commands, String imageId, Duration[] buildTime)
            throws JobFailure {
        Attempt attempt = job.attempt();
        Path jobDir = job.jobDir();
        ImageReference image = job.image();
        Map<String, String> env = Map.of("HOME", settings.containersHome().toString());
        Path layout = jobDir.resolve("layout");
        Path digestFile = jobDir.resolve("digest");
        ProcessResult toLayout = attempt.run(commands.pushToLayout(imageId, digestFile, layout), jobDir, env);
        buildTime[0] = buildTime[0].plus(toLayout.elapsed());
        job.phases().pushed(toLayout.elapsed());
        if (!toLayout.succeeded()) {
            throw new JobFailure(
                    JobOutcome.INFRA_FAILED,
                    "buildah push into the OCI layout failed: " + toLayout.tail(5),
                    toLayout.exitCode());
        }
        String digest = readDigest(digestFile);
        ImageManifest manifest = ImageManifest.fromLayout(layout, digest);
        attempt.log().line("pushing " + image + "@" + digest);
        boolean insecure = settings.insecureRegistries().contains(image.registry());
        ProcessResult copy = attempt.run(
                BuildCommands.copyToRegistry(layout, image.toString(), digest, insecure, job.access()), jobDir, env);
        buildTime[0] = buildTime[0].plus(copy.elapsed());
        job.phases().pushed(copy.elapsed());
        if (!copy.succeeded()) {
            throw pushFailed(image, job.credential(), copy)
                    .because(PartError.registry(RegistryFailures.kind(copy.lastLines())));
        }
        return manifest;
    }

    /** Why the copy to the registry failed: a refused login or untrusted certificate, an outage, or a refusal. */
    private static JobFailure pushFailed(ImageReference image, Optional<JobCredential> credential, ProcessResult copy) {
        Optional<String> registry =
                RegistryFailures.reason(copy.lastLines(), image, credential, "the push of " + image);
        if (registry.isPresent()) {
            return new JobFailure(JobOutcome.FAILED, registry.get() + "\n" + copy.tail(5), copy.exitCode());
        }
        Optional<String> registryTrouble =
                RegistryFailures.transientReason(copy.lastLines(), image, "the push of " + image);
        if (registryTrouble.isPresent()) {
            return new JobFailure(
                    JobOutcome.INFRA_FAILED, registryTrouble.get() + "\n" + copy.tail(5), copy.exitCode());
        }
        return new JobFailure(
                JobOutcome.FAILED, "registry refused the push of " + image + ": " + copy.tail(5), copy.exitCode());
    }

    private static ImageReference image(String value) throws JobFailure {
        try {
            return ImageReference.parse(value);
        } catch (IllegalArgumentException e) {
            throw new JobFailure(
                    JobOutcome.FAILED, Objects.requireNonNullElse(e.getMessage(), "not an image: " + value));
        }
    }

    /**
     * The portal checked the registry when it took the build; the worker checks again, with its own resolver, right
     * before it pulls or pushes, and before it could hand the project's credential to that host.
     */
    private void checkRegistry(ImageReference image) throws JobFailure {
        Optional<HostRefusal> refusal = registries.refusal(image);
        if (refusal.isPresent()) {
            throw new JobFailure(
                    refusal.get().unresolved() ? JobOutcome.INFRA_FAILED : JobOutcome.FAILED,
                    refusal.get().reason());
        }
    }

    /**
     * The registries the Containerfile pulls from go through the same rule as the image's own: buildah pulls in the
     * worker's network, where a {@code FROM} at an internal address would reach what RUN steps cannot. A name that
     * does not resolve now is left to buildah, whose pull then says so.
     */
    private void checkBaseImages(SourceTree tree, Map<String, String> buildArgs, Platform platform) throws JobFailure {
        String containerfile;
        try {
            containerfile = Files.readString(tree.containerfile(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "cannot read the Containerfile: " + e.getMessage());
        }
        for (String reference : BaseImages.of(containerfile, buildArgs, platform)) {
            Optional<ImageReference> base = repositoryOf(reference);
            Optional<HostRefusal> refusal = base.flatMap(registries::refusal);
            if (refusal.isPresent() && !refusal.get().unresolved()) {
                throw new JobFailure(
                        JobOutcome.FAILED,
                        "the Containerfile pulls '" + reference + "': "
                                + refusal.get().reason());
            }
        }
    }

    /** The repository of {@code reference} without tag or digest; empty when it is no image reference at all. */
    private static Optional<ImageReference> repositoryOf(String reference) {
        String name = reference.contains("@") ? reference.substring(0, reference.indexOf('@')) : reference;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        try {
            return Optional.of(ImageReference.parse(name));
        } catch (IllegalArgumentException notAnImage) {
            return Optional.empty();
        }
    }

    private static Platform platform(String value) throws JobFailure {
        try {
            return Platform.parse(value);
        } catch (UnknownPlatformException e) {
            throw new JobFailure(
                    JobOutcome.FAILED, Objects.requireNonNullElse(e.getMessage(), "unknown platform " + value));
        }
    }

    private static Map<String, String> buildArgs(Map<String, String> buildArgs) throws JobFailure {
        if (buildArgs == null) {
            return Map.of();
        }
        for (var arg : buildArgs.entrySet()) {
            if (arg.getKey() == null || !BUILD_ARG.matcher(arg.getKey()).matches() || arg.getValue() == null) {
                throw new JobFailure(
                        JobOutcome.FAILED,
                        "build argument '" + arg.getKey() + "=" + arg.getValue()
                                + "' is invalid: names are letters, digits and '_', values must be set");
            }
        }
        return buildArgs;
    }

    /** The id {@code --iidfile} wrote, without its {@code sha256:}. */
    private static String readImageId(Path imageIdFile) throws JobFailure {
        try {
            String id = Files.readString(imageIdFile).trim();
            return id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "buildah wrote no image id file: " + e);
        }
    }

    private static String readDigest(Path digestFile) throws JobFailure {
        try {
            return Files.readString(digestFile).trim();
        } catch (IOException e) {
            throw new JobFailure(JobOutcome.INFRA_FAILED, "buildah wrote no digest file: " + e);
        }
    }

    private JobFinished finished(
            JobAssignment job,
            JobOutcome outcome,
            @Nullable ImageManifest manifest,
            @Nullable String error,
            @Nullable Integer exitCode,
            Instant startedAt,
            Duration buildTime,
            Phases phases,
            @Nullable JobCache cache) {
        return new JobFinished(
                UUID.randomUUID(),
                job.jobId(),
                job.attempt(),
                settings.workerId(),
                outcome,
                manifest == null ? null : manifest.digest(),
                manifest == null ? 0 : manifest.size(),
                manifest == null ? null : manifest.mediaType(),
                error,
                exitCode,
                startedAt,
                Instant.now(),
                buildTime.toMillis(),
                isolation.describe(),
                phases.toMessage(),
                cache);
    }

    /** Best effort: a leftover costs disk, not correctness. */
    private void removeQuietly(List<String> command, String what) {
        try {
            ProcessResult removed = processes.run(
                    command,
                    settings.workDir(),
                    Map.of(),
                    CLEANUP_LIMIT,
                    new JobControl(UUID.randomUUID(), 0),
                    line -> {});
            if (!removed.succeeded() && removed.lastLines().stream().noneMatch(l -> l.contains("not known"))) {
                LOG.debug("cannot remove {}: {}", what, removed.lastLine());
            }
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", what, e.toString());
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }
}
