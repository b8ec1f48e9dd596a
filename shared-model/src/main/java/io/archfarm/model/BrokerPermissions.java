package io.archfarm.model;

/**
 * What a broker user of the farm may do on the farm's virtual host, as RabbitMQ's three regular expressions over
 * exchange and queue names ({@code rabbitmqctl set_permissions -p <vhost> <user> <configure> <write> <read>}).
 * {@code ./archfarm up} grants the same; docs/ARCHITECTURE.md explains each.
 */
public record BrokerPermissions(String configure, String write, String read) {

    /** The scheduler declares and uses everything, including the default exchange for direct reply-to answers. */
    public static BrokerPermissions controlPlane() {
        return new BrokerPermissions(".*", ".*", ".*");
    }

    /**
     * A worker declares only control queues and binds them to the control fanout; it publishes only to the worker
     * events exchange; it reads only job queues, the control fanout and control queues. Build requests, the
     * scheduler's queues, the events exchange and the default exchange are refused.
     */
    public static BrokerPermissions worker(Topology topology) {
        // a prefix is [a-z0-9._-]: only its dots mean something in a regular expression
        String prefix = topology.prefix().replace(".", "\\.");
        String controlQueue = prefix + "\\.worker\\..+\\.control";
        return new BrokerPermissions(
                "^" + controlQueue + "$",
                "^(" + prefix + "\\.worker-events|" + controlQueue + ")$",
                "^(" + prefix + "\\.jobs\\..+|" + prefix + "\\.control|" + controlQueue + ")$");
    }
}
