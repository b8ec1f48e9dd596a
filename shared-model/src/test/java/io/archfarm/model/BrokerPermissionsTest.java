package io.archfarm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrokerPermissionsTest {

    private final Topology topology = new Topology("farm.one");
    private final BrokerPermissions worker = BrokerPermissions.worker(topology);

    @Test
    void aWorkerConfiguresOnlyControlQueues() {
        assertThat(topology.workerControlQueue("native-1")).matches(worker.configure());
        assertThat(topology.workerControlQueue("host.example.org-42")).matches(worker.configure());
        assertThat(topology.jobQueue(Platform.LINUX_AMD64, ExecutionMode.NATIVE))
                .doesNotMatch(worker.configure());
        assertThat(topology.workerJobQueue("native-1"))
                .as("the scheduler declares a worker's own job queue")
                .doesNotMatch(worker.configure());
        assertThat(topology.workerEventsExchange()).doesNotMatch(worker.configure());
        assertThat("farmXone.worker.a.control").doesNotMatch(worker.configure());
    }

    @Test
    void aWorkerWritesOnlyWorkerEventsAndBindsOnlyControlQueues() {
        assertThat(topology.workerEventsExchange()).matches(worker.write());
        assertThat(topology.workerControlQueue("native-1")).matches(worker.write());
        assertThat(topology.eventsExchange()).doesNotMatch(worker.write());
        assertThat(topology.jobsExchange()).doesNotMatch(worker.write());
        assertThat(topology.controlExchange()).doesNotMatch(worker.write());
        assertThat("amq.default").doesNotMatch(worker.write());
    }

    @Test
    void aWorkerReadsJobQueuesAndTheControlFanoutButNoSchedulerQueue() {
        assertThat(topology.jobQueue(Platform.parse("linux/s390x"), ExecutionMode.EMULATED))
                .matches(worker.read());
        assertThat(topology.controlExchange()).matches(worker.read());
        assertThat(topology.workerControlQueue("native-1")).matches(worker.read());
        assertThat(topology.workerJobQueue("host.example.org-42"))
                .as("its own job queue (cache affinity)")
                .matches(worker.read())
                .doesNotMatch(worker.write());
        assertThat(topology.buildRequestsQueue()).doesNotMatch(worker.read());
        assertThat(topology.claimsQueue()).doesNotMatch(worker.read());
        assertThat(topology.heartbeatsQueue()).doesNotMatch(worker.read());
        assertThat(topology.jobsExchange()).doesNotMatch(worker.read());
    }
}
