package io.archfarm.scheduler;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The ids of messages already handled. Recorded in the transaction of the handling, so both commit or neither. */
@Component
public class ProcessedMessages {

    private final JdbcClient jdbc;

    ProcessedMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** True the first time {@code messageId} is seen; false for a redelivery or a duplicate. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean firstTime(UUID messageId, String consumer) {
        if (messageId == null) {
            throw new IllegalArgumentException("message for " + consumer + " carries no messageId");
        }
        return jdbc.sql("insert into processed_messages (message_id, consumer) values (:id, :consumer)"
                                + " on conflict (message_id) do nothing")
                        .param("id", messageId)
                        .param("consumer", consumer)
                        .update()
                == 1;
    }
}
