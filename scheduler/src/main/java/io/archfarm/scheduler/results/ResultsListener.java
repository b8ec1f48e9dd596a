package io.archfarm.scheduler.results;

import io.archfarm.model.messages.JobFinished;
import io.archfarm.model.messages.JobLogChunk;
import io.archfarm.scheduler.manifests.MergeFinishedBuilds;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/** What workers report about their attempts: log chunks and how each attempt ended. */
@Component
class ResultsListener {

    private final RecordJobResults results;
    private final MergeFinishedBuilds merge;

    ResultsListener(RecordJobResults results, MergeFinishedBuilds merge) {
        this.results = results;
        this.merge = merge;
    }

    @RabbitListener(queues = "#{@topology.jobLogsQueue()}")
    void onLogChunk(JobLogChunk chunk) {
        results.recordLog(chunk);
    }

    @RabbitListener(queues = "#{@topology.jobResultsQueue()}")
    void onJobFinished(JobFinished finished) {
        results.recordFinished(finished).ifPresent(merge::mergeIfFinished);
    }
}
