package io.archfarm.portal.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface ApiTokenRepository extends JpaRepository<ApiToken, UUID> {

    Optional<ApiToken> findByTokenHash(String tokenHash);

    List<ApiToken> findByUserIdOrderByCreatedAtDesc(UUID userId);

    Optional<ApiToken> findByIdAndUserId(UUID id, UUID userId);

    /** Records a use at most once a minute per token, so that reading the API does not write on every call. */
    @Modifying
    @Query(value = """
            update api_tokens set last_used_at = :now
            where id = :id and (last_used_at is null or last_used_at < cast(:now as timestamptz) - interval '1 minute')""", nativeQuery = true)
    int touch(@Param("id") UUID id, @Param("now") Instant now);
}
