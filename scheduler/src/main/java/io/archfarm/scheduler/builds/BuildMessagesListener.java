package io.archfarm.scheduler.builds;

import io.archfarm.model.logging.JobLogContext;
import io.archfarm.model.messages.BuildCancelRequested;
import io.archfarm.model.messages.BuildRequested;
import io.archfarm.model.messages.BuildRetryRequested;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The portal's messages, through the outbox: new builds, cancellations and retries of failed platforms. Queued jobs
 * are announced with {@link BuildJobsQueued} after the commit; the dispatcher listens (dispatch depends on builds,
 * never the other way).
 */
@Component
class BuildMessagesListener {

    private final FanOutBuild fanOut;
    private final CancelBuild cancel;
    private final RetryBuild retry;
    private final ApplicationEventPublisher events;

    BuildMessagesListener(FanOutBuild fanOut, CancelBuild cancel, RetryBuild retry, ApplicationEventPublisher events) {
        this.fanOut = fanOut;
        this.cancel = cancel;
        this.retry = retry;
        this.events = events;
    }

    @RabbitListener(queues = "#{@topology.buildRequestsQueue()}")
    void onBuildRequested(BuildRequested request) {
        try (var context = JobLogContext.ofBuild(request.buildId())) {
            if (fanOut.fanOut(request)) {
                // the new build's jobs only, right after the fan-out committed; the sweep would place them anyway
                events.publishEvent(new BuildJobsQueued(request.buildId()));
            }
        }
    }

    @RabbitListener(queues = "#{@topology.buildCancelsQueue()}")
    void onBuildCancelRequested(BuildCancelRequested request) {
        try (var context = JobLogContext.ofBuild(request.buildId())) {
            cancel.cancel(request);
        }
    }

    @RabbitListener(queues = "#{@topology.buildRetriesQueue()}")
    void onBuildRetryRequested(BuildRetryRequested request) {
        try (var context = JobLogContext.ofBuild(request.buildId())) {
            if (retry.retry(request)) {
                events.publishEvent(new BuildJobsQueued(request.buildId()));
            }
        }
    }
}
