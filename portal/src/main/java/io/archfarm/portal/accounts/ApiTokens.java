package io.archfarm.portal.accounts;

import io.archfarm.portal.problems.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Personal API tokens: {@code afp_} and 43 base64url characters (256 random bits). Only their SHA-256 is stored, so
 * a copy of the database does not let anyone call the API; the token itself is returned once, by {@link #create}.
 */
@Service
public class ApiTokens {

    static final String PREFIX = "afp_";
    private static final int MAX_NAME = 100;

    private final ApiTokenRepository tokens;
    private final UserRepository users;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiTokens(ApiTokenRepository tokens, UserRepository users, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.clock = clock;
    }

    @Transactional
    public NewToken create(Caller caller, @Nullable String name, @Nullable Instant expiresAt) {
        Instant now = Instant.now(clock);
        String checked = checkNameAndExpiry(name, "ci", expiresAt, now);
        String token = newSecret(random, PREFIX);
        ApiToken saved = tokens.save(
                new ApiToken(UUID.randomUUID(), caller.userId(), checked.strip(), hash(token), now, expiresAt));
        return new NewToken(saved.id(), saved.name(), token, saved.createdAt(), saved.expiresAt());
    }

    public List<TokenView> list(Caller caller) {
        return tokens.findByUserIdOrderByCreatedAtDesc(caller.userId()).stream()
                .map(this::view)
                .toList();
    }

    @Transactional
    public TokenView revoke(Caller caller, UUID id) {
        ApiToken token = tokens.findByIdAndUserId(id, caller.userId())
                .orElseThrow(() -> ApiProblem.notFound("token " + id + " does not exist"));
        token.revoke(Instant.now(clock));
        return view(token);
    }

    /** The caller a bearer token stands for; throws an AuthenticationException saying why it is refused. */
    @Transactional
    public Caller authenticate(String token) {
        if (token.startsWith(BoardTokens.PREFIX)) {
            throw new BadCredentialsException("this is a board token (" + BoardTokens.PREFIX + "...): it opens only the"
                    + " wall board's pages, never the API; call the API with a personal token (" + PREFIX + "...)");
        }
        ApiToken found = tokens.findByTokenHash(hash(token))
                .orElseThrow(() -> new BadCredentialsException("the bearer token is not valid"));
        Instant now = Instant.now(clock);
        if (found.revokedAt() != null) {
            throw new BadCredentialsException("token '" + found.name() + "' was revoked at " + found.revokedAt());
        }
        if (found.expiresAt() != null && !found.expiresAt().isAfter(now)) {
            throw new CredentialsExpiredException("token '" + found.name() + "' expired at " + found.expiresAt());
        }
        UserAccount user = users.findById(found.userId())
                .orElseThrow(() -> new BadCredentialsException("the bearer token's user no longer exists"));
        tokens.touch(found.id(), now);
        return new Caller(user.id(), user.username(), user.admin());
    }

    /** The checks of a new token's {@code name} (e.g. {@code example}) and {@code expiresAt}, an API or board token. */
    /** @return the name, checked */
    static String checkNameAndExpiry(@Nullable String name, String example, @Nullable Instant expiresAt, Instant now) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw ApiProblem.badRequest(
                    "name", "name is required (1 to " + MAX_NAME + " characters), e.g. \"" + example + "\"");
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiProblem.badRequest("expiresAt", "expiresAt " + expiresAt + " is not in the future");
        }
        return name;
    }

    /** {@code revoked}, {@code expired} or {@code active}. */
    static String state(@Nullable Instant revokedAt, @Nullable Instant expiresAt, Instant now) {
        return revokedAt != null ? "revoked" : expiresAt != null && !expiresAt.isAfter(now) ? "expired" : "active";
    }

    /** {@code prefix} and 43 base64url characters: 256 random bits, which no throttle or slow hash needs to guard. */
    static String newSecret(SecureRandom random, String prefix) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private TokenView view(ApiToken token) {
        String state = state(token.revokedAt(), token.expiresAt(), Instant.now(clock));
        return new TokenView(
                token.id(),
                token.name(),
                state,
                token.createdAt(),
                token.expiresAt(),
                token.lastUsedAt(),
                token.revokedAt());
    }

    /** A token just created: the only time {@code token} is ever shown. */
    public record NewToken(
            UUID id,
            String name,
            String token,
            Instant createdAt,
            @Nullable Instant expiresAt) {}

    /** A token as its owner lists it, without its secret. */
    public record TokenView(
            UUID id,
            String name,
            String state,
            Instant createdAt,
            @Nullable Instant expiresAt,
            @Nullable Instant lastUsedAt,
            @Nullable Instant revokedAt) {}
}
