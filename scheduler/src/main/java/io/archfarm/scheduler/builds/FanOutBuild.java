package io.archfarm.scheduler.builds;

import io.archfarm.model.Platform;
import io.archfarm.model.messages.BuildRequested;
import io.archfarm.scheduler.ProcessedMessages;
import io.archfarm.scheduler.SchedulerProperties;
import io.archfarm.scheduler.jobs.PlatformJobStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** One QUEUED platform job per platform of a requested build, at attempt 0. */
@Component
class FanOutBuild {

    private static final Logger log = LoggerFactory.getLogger(FanOutBuild.class);
    static final String CONSUMER = "scheduler.build-requested";

    private final PlatformJobStore jobs;
    private final BuildStore builds;
    private final ProcessedMessages processed;
    private final SchedulerProperties properties;
    private final Clock clock;

    FanOutBuild(
            PlatformJobStore jobs,
            BuildStore builds,
            ProcessedMessages processed,
            SchedulerProperties properties,
            Clock clock) {
        this.jobs = jobs;
        this.builds = builds;
        this.processed = processed;
        this.properties = properties;
        this.clock = clock;
    }

    /** Returns whether new jobs were created (so that the dispatcher can run right away). */
    @Transactional
    boolean fanOut(BuildRequested request) {
        if (!processed.firstTime(request.messageId(), CONSUMER)) {
            log.info(
                    "BuildRequested {} for build {} seen before, nothing to do",
                    request.messageId(),
                    request.buildId());
            return false;
        }
        Build build = builds.lock(request.buildId()).orElse(null);
        if (build == null) {
            log.warn("BuildRequested {} names build {} which does not exist", request.messageId(), request.buildId());
            return false;
        }
        if (build.status().isTerminal() || build.cancelRequested()) {
            log.info(
                    "build {} is {} (cancel requested: {}), not fanned out",
                    build.id(),
                    build.status(),
                    build.cancelRequested());
            return false;
        }
        int created = createMissingJobs(build);
        log.info("build {} fanned out into {} platform jobs", build.id(), created);
        return created > 0;
    }

    /** A QUEUED job at attempt 0 for each platform of the build that has none yet; returns how many were made. */
    @Transactional(propagation = Propagation.MANDATORY)
    int createMissingJobs(Build build) {
        int created = 0;
        for (String requested : build.platforms()) {
            Platform platform = Platform.parse(requested);
            if (jobs.create(
                    build.id(),
                    platform,
                    build.placementOf(platform.toString()),
                    properties.maxAttempts(),
                    clock.instant())) {
                created++;
            }
        }
        return created;
    }
}
