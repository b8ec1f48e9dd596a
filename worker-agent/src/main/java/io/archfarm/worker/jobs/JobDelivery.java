package io.archfarm.worker.jobs;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job message the broker pushed to this worker, unacked until its claim is decided. It is settled on the channel
 * it came on: when that channel has closed meanwhile, the broker has put the message back already and there is
 * nothing left to settle.
 */
record JobDelivery(
        Channel channel, JobQueues.JobQueue queue, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {

    private static final Logger LOG = LoggerFactory.getLogger(JobDelivery.class);

    /** Whether the broker still holds the message for this worker (its channel is open). */
    boolean held() {
        return channel.isOpen();
    }

    /** The claim was answered: the message has done its work (a granted job runs, a refused copy is stale). */
    void ack() {
        settle("ack", () -> channel.basicAck(envelope.getDeliveryTag(), false));
    }

    /** Back to the queue, for another worker or a later try. */
    void requeue() {
        settle("requeue", () -> channel.basicNack(envelope.getDeliveryTag(), false, true));
    }

    /** Dropped for good: the message is not a job any worker could take. */
    void reject() {
        settle("reject", () -> channel.basicReject(envelope.getDeliveryTag(), false));
    }

    private interface Settlement {
        void run() throws IOException;
    }

    private void settle(String what, Settlement settlement) {
        if (!channel.isOpen()) {
            LOG.debug(
                    "{} of a message on {} skipped: its channel closed, so the broker put it back", what, queue.name());
            return;
        }
        try {
            settlement.run();
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "{} of a message on {} failed ({}); if its channel closed, the broker put it back",
                    what,
                    queue.name(),
                    e.toString());
        }
    }
}
