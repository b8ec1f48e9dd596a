package io.archfarm.portal.accounts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's own API tokens. {@code POST} alone also takes HTTP Basic with the password, so a script can get its
 * first token; the token is in that answer and nowhere else, ever.
 */
@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "Tokens", description = "the caller's own API tokens")
class TokenController {

    private final ApiTokens tokens;
    private final Access access;

    TokenController(ApiTokens tokens, Access access) {
        this.tokens = tokens;
        this.access = access;
    }

    @Operation(summary = "Make an API token (HTTP Basic with the password is taken here, and only here)")
    @ApiResponse(
            responseCode = "201",
            description = "the token: shown in this answer only, ever",
            useReturnTypeSchema = true)
    @ApiResponse(
            responseCode = "429",
            description = "too many failed sign-ins for this account or from this address;"
                    + " Retry-After says when to try again")
    @PostMapping
    ResponseEntity<ApiTokens.NewToken> create(@RequestBody(required = false) NewTokenRequest body) {
        NewTokenRequest request = body == null ? new NewTokenRequest(null, null) : body;
        ApiTokens.NewToken token = tokens.create(access.caller(), request.name(), request.expiresAt());
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + token.id()))
                .header("Cache-Control", "no-store")
                .body(token);
    }

    @Operation(summary = "The caller's tokens, without their secrets")
    @GetMapping
    List<ApiTokens.TokenView> list() {
        return tokens.list(access.caller());
    }

    @Operation(summary = "Revoke one of the caller's tokens")
    @DeleteMapping("/{id}")
    ApiTokens.TokenView revoke(@PathVariable UUID id) {
        return tokens.revoke(access.caller(), id);
    }

    record NewTokenRequest(@Nullable String name, @Nullable Instant expiresAt) {}
}
