package io.archfarm.scheduler.manifests;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.JobStatus;
import io.archfarm.model.PublishPolicy;
import io.archfarm.model.logging.JobLogContext;
import io.archfarm.scheduler.ConcurrentChangeException;
import io.archfarm.scheduler.builds.Build;
import io.archfarm.scheduler.builds.BuildStore;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import io.archfarm.scheduler.jobs.PlatformJobStore.EndedJob;
import io.archfarm.scheduler.outages.Outage;
import io.archfarm.scheduler.outages.OutageBackOff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ends a build whose jobs have all ended: publishes the manifest list its publish policy allows, or fails it. It runs
 * in three steps, so that no transaction is open and no lock held while the registry answers: it reads the build and
 * its jobs in one short transaction and lets go; pushes the index to the registry; then, in a second short
 * transaction, locks the build and records the result only if the build and its jobs are still as it read them (same
 * status, same version, no cancel asked, same job statuses and attempts). A build cancelled or retried meanwhile is
 * not recorded as merged; the next merge looks at it as it is then. Of two schedulers merging the same build, both may
 * push the same index, and one records it.
 */
@Component
class MergeBuild {

    private static final Logger log = LoggerFactory.getLogger(MergeBuild.class);

    private final BuildStore builds;
    private final PlatformJobStore jobs;
    private final PublishManifestList publisher;
    private final OutageBackOff backOff;
    private final Clock clock;
    private final TransactionTemplate transactions;

    MergeBuild(
            BuildStore builds,
            PlatformJobStore jobs,
            PublishManifestList publisher,
            OutageBackOff backOff,
            Clock clock,
            PlatformTransactionManager transactions) {
        this.builds = builds;
        this.jobs = jobs;
        this.publisher = publisher;
        this.backOff = backOff;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** @return whether this call recorded the build's end; the build's id is in the log context of its lines */
    boolean mergeIfFinished(UUID buildId) {
        try (var context = JobLogContext.ofBuild(buildId)) {
            return merge(buildId);
        }
    }

    private boolean merge(UUID buildId) {
        Snapshot read = transactions.execute(status -> read(buildId));
        if (read == null) {
            return false;
        }
        Map<Boolean, List<EndedJob>> bySuccess =
                read.jobs().stream().collect(Collectors.partitioningBy(job -> job.status() == JobStatus.SUCCEEDED));
        // partitioningBy always holds both keys
        List<EndedJob> succeeded = bySuccess.getOrDefault(true, List.of());
        List<EndedJob> failed = bySuccess.getOrDefault(false, List.of());
        if (succeeded.isEmpty() || (!failed.isEmpty() && read.build().publish() == PublishPolicy.ALL)) {
            return record(read, BuildStatus.FAILED, failures(failed), null, Duration.ZERO);
        }
        long mergeStart = System.nanoTime();
        ImageIndex index;
        try {
            index = publisher.push(
                    read.build(),
                    succeeded.stream()
                            .collect(Collectors.toMap(
                                    EndedJob::platform, EndedJob::digest, (a, b) -> a, LinkedHashMap::new)));
        } catch (MergeFailedException e) {
            if (e.outagePart().isPresent()) {
                return deferOrFail(read, e.outagePart().get(), e.getMessage());
            }
            return record(read, BuildStatus.FAILED, e.getMessage(), null, Duration.ZERO);
        }
        Duration merge = Duration.ofNanos(System.nanoTime() - mergeStart);
        return record(
                read,
                failed.isEmpty() ? BuildStatus.SUCCEEDED : BuildStatus.PARTIAL,
                failed.isEmpty() ? null : "published without " + failures(failed),
                index,
                merge);
    }

    /**
     * The registry failed for now: the merge is tried again after a back-off, unless the registry has been failing
     * for the whole outage budget; then the build fails naming the registry and how long it was down.
     */
    private boolean deferOrFail(Snapshot read, String part, @Nullable String error) {
        UUID buildId = read.build().id();
        Instant now = clock.instant();
        Outage outage = Outage.after(builds.mergeOutage(buildId).orElse(null), part, now);
        if (backOff.budgetSpent(outage, now)) {
            return record(
                    read,
                    BuildStatus.FAILED,
                    "merge: " + outage.describe(now)
                            + ", longer than the outage budget of " + Outage.format(backOff.budget()) + " ("
                            + outage.failures() + " merges met it): " + error,
                    null,
                    Duration.ZERO);
        }
        Instant next = backOff.nextTry(outage, now);
        Boolean deferred = transactions.execute(status -> {
            Build locked = builds.lock(buildId).orElse(null);
            return locked != null
                    && changeSinceRead(read, locked) == null
                    && builds.mergeDeferred(locked, outage, next);
        });
        if (Boolean.TRUE.equals(deferred)) {
            log.warn(
                    "merge of build {} tried again not before {} ({} merge(s) in a row met it, since {}): {}",
                    buildId,
                    next,
                    outage.failures(),
                    outage.since(),
                    error);
        }
        return false;
    }

    /** The build and its jobs when every job has ended and the build is still to be merged, else null. */
    private @Nullable Snapshot read(UUID buildId) {
        Build build = builds.find(buildId).orElse(null);
        if (build == null || build.status().isTerminal() || build.cancelRequested()) {
            return null;
        }
        Instant notBefore = builds.mergeNotBefore(buildId).orElse(null);
        if (notBefore != null && notBefore.isAfter(clock.instant())) {
            return null;
        }
        List<EndedJob> ended = jobs.ofBuild(buildId);
        if (ended.isEmpty() || ended.stream().anyMatch(job -> !job.status().isTerminal())) {
            return null;
        }
        return new Snapshot(build, ended);
    }

    /** In one short transaction: the build's end, and its manifest list if one was pushed, unless it moved on. */
    private boolean record(
            Snapshot read, BuildStatus end, @Nullable String error, @Nullable ImageIndex index, Duration merge) {
        UUID buildId = read.build().id();
        Boolean recorded = transactions.execute(status -> {
            Build now = builds.lock(buildId).orElse(null);
            String change = changeSinceRead(read, now);
            if (now == null || change != null) {
                log.info(
                        "merge of build {} not recorded ({}{}): {}",
                        buildId,
                        end,
                        index == null ? "" : ", index " + index.digest() + " pushed",
                        change);
                return false;
            }
            if (index != null) {
                publisher.record(now, index);
                jobs.recordMergeShare(
                        buildId, merge.toMillis() / Math.max(1, index.entries().size()));
            }
            ConcurrentChangeException.requireWon(
                    builds.end(now, end, error, clock.instant()), "end of build " + buildId);
            return true;
        });
        if (Boolean.TRUE.equals(recorded)) {
            log.info("build {} ended {}{}", buildId, end, error == null ? "" : ": " + error);
            return true;
        }
        return false;
    }

    /** What changed since the read, or null when the build (locked) and its jobs are as they were. */
    private @Nullable String changeSinceRead(Snapshot read, @Nullable Build now) {
        if (now == null) {
            return "the build is gone";
        }
        if (now.cancelRequested()) {
            return "a cancel was asked meanwhile";
        }
        if (now.status() != read.build().status()
                || now.version() != read.build().version()) {
            return "the build changed meanwhile (now " + now.status() + ")";
        }
        if (!jobs.ofBuild(now.id()).equals(read.jobs())) {
            return "its platform jobs changed meanwhile";
        }
        return null;
    }

    private static String failures(List<EndedJob> failed) {
        List<String> parts = new ArrayList<>();
        for (EndedJob job : failed) {
            parts.add(job.platform() + " " + job.status().name().toLowerCase() + ": " + firstLine(job.error()));
        }
        return "platforms failed: " + String.join("; ", parts);
    }

    /** The build's error summarises; each platform's own error (and its log) keeps the details. */
    private static String firstLine(String error) {
        if (error == null || error.isBlank()) {
            return "no reason given";
        }
        int newline = error.indexOf('\n');
        return newline < 0 ? error : error.substring(0, newline);
    }

    private record Snapshot(Build build, List<EndedJob> jobs) {}
}
