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
 * Board tokens for wall screens, made and revoked by people (a personal token or a session); a board token itself
 * never reaches the API.
 */
@RestController
@RequestMapping("/api/v1/board-tokens")
@Tag(name = "Board tokens", description = "read-only tokens that keep a wall screen signed in to /board")
class BoardTokenController {

    private final BoardTokens tokens;

    BoardTokenController(BoardTokens tokens) {
        this.tokens = tokens;
    }

    @Operation(summary = "Make a board token for some teams, or every team (admins)")
    @ApiResponse(responseCode = "201", description = "the token: shown in this answer only", useReturnTypeSchema = true)
    @PostMapping
    ResponseEntity<BoardTokens.NewBoardToken> create(@RequestBody(required = false) NewBoardTokenRequest body) {
        NewBoardTokenRequest request = body == null ? new NewBoardTokenRequest(null, null, null, null) : body;
        BoardTokens.NewBoardToken token = tokens.create(
                request.name(), request.teams(), Boolean.TRUE.equals(request.allTeams()), request.expiresAt());
        return ResponseEntity.created(URI.create("/api/v1/board-tokens/" + token.id()))
                .header("Cache-Control", "no-store")
                .body(token);
    }

    @Operation(summary = "The board tokens the caller may see and revoke")
    @GetMapping
    List<BoardTokens.BoardTokenView> list() {
        return tokens.list();
    }

    @Operation(summary = "Revoke a board token")
    @DeleteMapping("/{id}")
    BoardTokens.BoardTokenView revoke(@PathVariable UUID id) {
        return tokens.revoke(id);
    }

    record NewBoardTokenRequest(
            @Nullable String name,
            @Nullable List<String> teams,
            @Nullable Boolean allTeams,
            @Nullable Instant expiresAt) {}
}
