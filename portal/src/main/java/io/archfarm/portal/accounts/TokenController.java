package io.archfarm.portal.accounts;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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
class TokenController {

    private final ApiTokens tokens;
    private final Access access;

    TokenController(ApiTokens tokens, Access access) {
        this.tokens = tokens;
        this.access = access;
    }

    @PostMapping
    ResponseEntity<ApiTokens.NewToken> create(@RequestBody(required = false) NewTokenRequest body) {
        NewTokenRequest request = body == null ? new NewTokenRequest(null, null) : body;
        ApiTokens.NewToken token = tokens.create(access.caller(), request.name(), request.expiresAt());
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + token.id()))
                .header("Cache-Control", "no-store").body(token);
    }

    @GetMapping
    List<ApiTokens.TokenView> list() {
        return tokens.list(access.caller());
    }

    @DeleteMapping("/{id}")
    ApiTokens.TokenView revoke(@PathVariable UUID id) {
        return tokens.revoke(access.caller(), id);
    }

    record NewTokenRequest(String name, Instant expiresAt) {
    }
}
