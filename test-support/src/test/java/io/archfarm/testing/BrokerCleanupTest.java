package io.archfarm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.Topology;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every durable queue the topology names is deleted after a test run: a quorum queue left behind is a Raft group that
 * holds file handles of the broker's for good, and a few hundred of them (one build-retries queue per test context,
 * run after run) filled the handle cache of this machine's RabbitMQ until it took no more connections.
 */
class BrokerCleanupTest {

    @Test
    void deletesEveryQueueTheTopologyNames() throws Exception {
        Topology topology = new Topology("cleanup-test");
        List<Method> named = Arrays.stream(Topology.class.getMethods())
                .filter(m -> m.getName().endsWith("Queue") && m.getParameterCount() == 0)
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && m.getReturnType() == String.class)
                .toList();
        assertThat(named).isNotEmpty();
        List<String> deleted = BrokerCleanup.queuesOf(topology);
        for (Method queue : named) {
            assertThat(deleted).as(queue.getName()).contains((String) queue.invoke(topology));
        }
    }
}
