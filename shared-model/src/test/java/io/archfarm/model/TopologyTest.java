package io.archfarm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopologyTest {

    @Test
    void namesJobQueuesPerPlatformAndMode() {
        Topology topology = Topology.defaults();
        assertThat(topology.jobQueue(Platform.parse("armhf"), ExecutionMode.EMULATED))
                .isEqualTo("archfarm.jobs.linux-arm-v7.emulated");
        assertThat(topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE))
                .isEqualTo("archfarm.jobs.linux-amd64.native");
        assertThat(topology.workerJobQueue("arm64-1"))
                .as("one worker's own queue, next to the shared ones")
                .isEqualTo("archfarm.jobs.worker.arm64-1");
    }

    @Test
    void aPrefixSeparatesRuns() {
        assertThat(new Topology("archfarm-test-1a2b").claimsQueue()).isEqualTo("archfarm-test-1a2b.scheduler.claims");
        assertThatThrownBy(() -> new Topology("Bad Prefix")).hasMessageContaining("'Bad Prefix'");
    }

    @Test
    void retriesHaveAQueueOfTheirOwnBesideCancellations() {
        Topology topology = Topology.defaults();
        assertThat(topology.buildRetriesQueue()).isEqualTo("archfarm.scheduler.build-retries");
        assertThat(topology.buildCancelsQueue()).isEqualTo("archfarm.scheduler.build-cancels");
        assertThat(Topology.BUILD_RETRY_REQUESTED).isEqualTo("build.retry-requested");
    }

    @Test
    void workersPublishOnAnExchangeOfTheirOwn() {
        Topology topology = Topology.defaults();
        assertThat(topology.workerEventsExchange())
                .isEqualTo("archfarm.worker-events")
                .isNotEqualTo(topology.eventsExchange());
    }
}
