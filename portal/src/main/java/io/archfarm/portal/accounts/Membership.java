package io.archfarm.portal.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One person's role in one team. */
@Entity
@Table(name = "memberships")
class Membership {

    @EmbeddedId
    private Key key;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Membership() {}

    Membership(UUID teamId, UUID userId, Role role, Instant createdAt) {
        this.key = new Key(teamId, userId);
        this.role = role;
        this.createdAt = createdAt;
    }

    Role role() {
        return role;
    }

    void changeRole(Role role) {
        this.role = role;
    }

    @Embeddable
    record Key(
            @Column(name = "team_id") UUID teamId,
            @Column(name = "user_id") UUID userId) implements Serializable {}
}
