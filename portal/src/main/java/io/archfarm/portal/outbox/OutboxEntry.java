package io.archfarm.portal.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** One message waiting in the outbox; the scheduler's relay publishes it and sets published_at. */
@Entity
@Table(name = "outbox")
class OutboxEntry {

    @Id
    private UUID id;

    @Column(name = "exchange_name", nullable = false)
    private String exchangeName;

    @Column(name = "routing_key", nullable = false)
    private String routingKey;

    @Column(name = "message_type", nullable = false)
    private String messageType;

    @Column(name = "payload", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String payload;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected OutboxEntry() {
    }

    OutboxEntry(UUID id, String exchangeName, String routingKey, String messageType, String payload,
            Instant createdAt) {
        this.id = id;
        this.exchangeName = exchangeName;
        this.routingKey = routingKey;
        this.messageType = messageType;
        this.payload = payload;
        this.createdAt = createdAt;
    }
}
