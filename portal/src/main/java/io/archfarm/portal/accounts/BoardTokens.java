package io.archfarm.portal.accounts;

import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.web.PortalProperties;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Board tokens: what a wall screen signs in with ({@code afb_} and 256 random bits). A token opens the wall board of
 * the teams it names, read-only, and nothing else: no other page, no API, no action. An admin makes one for any
 * teams or for every team; a maintainer for teams they maintain. It never shows more than its creator can still see,
 * so someone who leaves a team cannot keep watching it through a screen they signed in. Only the SHA-256 of a token
 * is stored; the token is shown once, by {@link #create}.
 */
@Service
public class BoardTokens {

    public static final String PREFIX = "afb_";

    /** Where a wall screen signs in with a board token. */
    public static final String SIGN_IN_PATH = "/board/sign-in";

    /** Tokens the caller manages: an admin all of them, others their own and those showing a team they maintain. */
    private static final String MANAGED = """
            (:admin or b.created_by = :me or exists (
                select 1 from board_token_teams t join memberships m on m.team_id = t.team_id
                where t.token_id = b.id and m.user_id = :me and m.role = 'MAINTAINER'))""";

    private final JdbcClient jdbc;
    private final Access access;
    private final PortalProperties portal;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    BoardTokens(JdbcClient jdbc, Access access, PortalProperties portal, Clock clock) {
        this.jdbc = jdbc;
        this.access = access;
        this.portal = portal;
        this.clock = clock;
    }

    /**
     * A new token showing {@code teams} (slugs the caller maintains), or every team when {@code allTeams} (admins
     * only; the teams made later too).
     */
    @Transactional
    public NewBoardToken create(
            @Nullable String name, @Nullable Collection<String> teams, boolean allTeams, @Nullable Instant expiresAt) {
        Caller caller = access.caller();
        Instant now = Instant.now(clock);
        String checked = ApiTokens.checkNameAndExpiry(name, "office wall", expiresAt, now);
        List<Team> shown = teamsToShow(teams, allTeams);
        String token = ApiTokens.newSecret(random, PREFIX);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into board_tokens (id, name, token_hash, all_teams, created_by, created_at, expires_at)
                        values (:id, :name, :hash, :all, :creator, :now, :expires)""")
                .param("id", id)
                .param("name", checked.strip())
                .param("hash", ApiTokens.hash(token))
                .param("all", allTeams)
                .param("creator", caller.userId())
                .param("now", Timestamp.from(now))
                .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .update();
        for (Team team : shown) {
            jdbc.sql("insert into board_token_teams (token_id, team_id) values (:token, :team)")
                    .param("token", id)
                    .param("team", team.id())
                    .update();
        }
        return new NewBoardToken(
                id,
                checked.strip(),
                token,
                portal.link(SIGN_IN_PATH + "#token=" + token),
                shown.stream().map(Team::slug).sorted().toList(),
                allTeams,
                now,
                expiresAt);
    }

    private List<Team> teamsToShow(@Nullable Collection<String> teams, boolean allTeams) {
        List<String> slugs =
                teams == null ? List.of() : teams.stream().distinct().toList();
        if (allTeams) {
            access.requireAdmin("make a board token of every team");
            if (!slugs.isEmpty()) {
                throw ApiProblem.badRequest(
                        "teams", "a board token of every team (allTeams) names no teams; got " + slugs);
            }
            return List.of();
        }
        if (slugs.isEmpty()) {
            throw ApiProblem.badRequest(
                    "teams",
                    "teams is required: the slugs of the teams the board shows, e.g."
                            + " [\"web\"] (or allTeams: true, for an admin)");
        }
        return slugs.stream().map(slug -> access.team(slug, Role.MAINTAINER)).toList();
    }

    /** The tokens the caller manages, newest first, without their secrets. */
    public List<BoardTokenView> list() {
        return views(managed(Optional.empty()));
    }

    /** Revokes a token the caller manages; the screens signed in with it go to the board's sign-in page. */
    @Transactional
    public BoardTokenView revoke(UUID id) {
        if (managed(Optional.of(id)).isEmpty()) {
            throw ApiProblem.notFound("board token " + id + " does not exist");
        }
        jdbc.sql("update board_tokens set revoked_at = :now where id = :id and revoked_at is null")
                .param("now", Timestamp.from(Instant.now(clock)))
                .param("id", id)
                .update();
        return views(managed(Optional.of(id))).getFirst();
    }

    private List<Row> managed(Optional<UUID> only) {
        Caller caller = access.caller();
        JdbcClient.StatementSpec query = jdbc.sql("""
                        select b.id, b.name, b.all_teams, b.created_at, b.expires_at, b.last_used_at, b.revoked_at,
                               u.username
                        from board_tokens b join users u on u.id = b.created_by
                        where %s and %s order by b.created_at desc""".formatted(MANAGED, only.isPresent() ? "b.id = :id" : "true"))
                .param("admin", caller.admin())
                .param("me", caller.userId());
        only.ifPresent(id -> query.param("id", id));
        return query.query((rs, n) -> new Row(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getBoolean("all_teams"),
                        rs.getString("username"),
                        Objects.requireNonNull(instant(rs, "created_at")),
                        instant(rs, "expires_at"),
                        instant(rs, "last_used_at"),
                        instant(rs, "revoked_at")))
                .list();
    }

    /** Each token with the teams it shows that the caller sees; the others are only counted. */
    private List<BoardTokenView> views(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<TeamRef>> teams = jdbc
                .sql("""
                        select t.token_id, tm.id, tm.slug from board_token_teams t join teams tm on tm.id = t.team_id
                        where t.token_id in (:ids) order by tm.slug""")
                .param("ids", rows.stream().map(Row::id).toList())
                .query((rs, n) -> new TeamRef(
                        rs.getObject("token_id", UUID.class), rs.getObject("id", UUID.class), rs.getString("slug")))
                .list()
                .stream()
                .collect(Collectors.groupingBy(TeamRef::tokenId, LinkedHashMap::new, Collectors.toList()));
        Optional<Set<UUID>> visible = access.visibleTeamIds();
        Instant now = Instant.now(clock);
        return rows.stream()
                .map(row -> {
                    List<TeamRef> shown = teams.getOrDefault(row.id(), List.of());
                    List<String> seen = shown.stream()
                            .filter(t ->
                                    visible.map(v -> v.contains(t.teamId())).orElse(true))
                            .map(TeamRef::slug)
                            .toList();
                    return new BoardTokenView(
                            row.id(),
                            row.name(),
                            row.allTeams(),
                            seen,
                            shown.size() - seen.size(),
                            row.createdBy(),
                            ApiTokens.state(row.revokedAt(), row.expiresAt(), now),
                            row.createdAt(),
                            row.expiresAt(),
                            row.lastUsedAt(),
                            row.revokedAt());
                })
                .toList();
    }

    /**
     * What a board token shows, now; throws an AuthenticationException saying why it is refused: unknown, revoked,
     * expired, or nothing left that its creator may see.
     */
    @Transactional
    public BoardViewer authenticate(String token) {
        if (token.startsWith(ApiTokens.PREFIX)) {
            throw new BadCredentialsException("this is a personal API token (" + ApiTokens.PREFIX + "...); a wall"
                    + " screen signs in with a board token (" + PREFIX + "...), made on the Board tokens page or with"
                    + " POST /api/v1/board-tokens");
        }
        Stored found = jdbc.sql("""
                        select b.id, b.name, b.all_teams, b.created_by, b.expires_at, b.revoked_at, u.admin
                        from board_tokens b join users u on u.id = b.created_by where b.token_hash = :hash""")
                .param("hash", ApiTokens.hash(token))
                .query((rs, n) -> new Stored(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getBoolean("all_teams"),
                        rs.getObject("created_by", UUID.class),
                        rs.getBoolean("admin"),
                        instant(rs, "expires_at"),
                        instant(rs, "revoked_at")))
                .optional()
                .orElseThrow(() -> new BadCredentialsException("the board token is not valid"));
        Instant now = Instant.now(clock);
        if (found.revokedAt() != null) {
            throw new BadCredentialsException("board token '" + found.name() + "' was revoked at " + found.revokedAt());
        }
        if (found.expiresAt() != null && !found.expiresAt().isAfter(now)) {
            throw new CredentialsExpiredException("board token '" + found.name() + "' expired at " + found.expiresAt());
        }
        BoardViewer viewer = new BoardViewer(found.id(), found.name(), shownTeams(found));
        jdbc.sql("""
                        update board_tokens set last_used_at = :now where id = :id
                          and (last_used_at is null
                               or last_used_at < cast(:now as timestamptz) - interval '1 minute')""").param("now", Timestamp.from(now)).param("id", found.id()).update();
        return viewer;
    }

    private Optional<List<TeamRole>> shownTeams(Stored token) {
        if (token.allTeams()) {
            if (!token.creatorAdmin()) {
                throw new BadCredentialsException("board token '" + token.name() + "' shows every team, and its"
                        + " creator is no longer an admin");
            }
            return Optional.empty();
        }
        List<TeamRole> teams = jdbc.sql("""
                        select tm.id, tm.slug, tm.name from board_token_teams t join teams tm on tm.id = t.team_id
                        where t.token_id = :token and (:admin or exists (
                            select 1 from memberships m where m.team_id = t.team_id and m.user_id = :creator))
                        order by tm.slug""")
                .param("token", token.id())
                .param("admin", token.creatorAdmin())
                .param("creator", token.creator())
                .query((rs, n) -> new TeamRole(
                        rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"), Role.VIEWER))
                .list();
        if (teams.isEmpty()) {
            throw new BadCredentialsException("board token '" + token.name() + "' shows no team any more: its teams"
                    + " were deleted, or its creator is no longer in them");
        }
        return Optional.of(List.copyOf(teams));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * A token just made: the only time {@code token} is ever shown.
     *
     * @param signInUrl opened on the wall screen, signs it in: the token rides in the fragment ({@code #token=}),
     *                  which the browser never sends to a server, so it stays out of access logs and proxies
     */
    public record NewBoardToken(
            UUID id,
            String name,
            String token,
            String signInUrl,
            List<String> teams,
            boolean allTeams,
            Instant createdAt,
            @Nullable Instant expiresAt) {}

    /**
     * A token as the people who manage it list it, without its secret.
     *
     * @param teams      the slugs of the teams it shows that the reader sees
     * @param otherTeams how many more it shows, of teams the reader does not see
     * @param state      {@code active}, {@code expired} or {@code revoked}
     */
    public record BoardTokenView(
            UUID id,
            String name,
            boolean allTeams,
            List<String> teams,
            int otherTeams,
            String createdBy,
            String state,
            Instant createdAt,
            @Nullable Instant expiresAt,
            @Nullable Instant lastUsedAt,
            @Nullable Instant revokedAt) {}

    private record Row(
            UUID id,
            String name,
            boolean allTeams,
            String createdBy,
            Instant createdAt,
            @Nullable Instant expiresAt,
            @Nullable Instant lastUsedAt,
            @Nullable Instant revokedAt) {}

    private record Stored(
            UUID id,
            String name,
            boolean allTeams,
            UUID creator,
            boolean creatorAdmin,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {}

    private record TeamRef(UUID tokenId, UUID teamId, String slug) {}
}
