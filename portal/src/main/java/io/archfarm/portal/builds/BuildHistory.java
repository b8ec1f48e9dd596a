package io.archfarm.portal.builds;

import io.archfarm.model.ImageReference;
import io.archfarm.model.Platform;
import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.accounts.Team;
import io.archfarm.portal.problems.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The build history, searched and paged newest first in the order the farm accepted the builds
 * ({@code accepted_seq}). Pages are keyset pages: a cursor says where the last page ended, so the thousandth page
 * costs what the first does and no build is skipped or shown twice when new ones arrive meanwhile. Every filter is
 * checked first; a wrong one is a 400 naming it.
 */
@Component
@Transactional(readOnly = true)
public class BuildHistory {

    public static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
    private static final String CURSOR_PREFIX = "accepted<";

    private final BuildQueries queries;
    private final Access access;
    private final JdbcClient jdbc;

    BuildHistory(BuildQueries queries, Access access, JdbcClient jdbc) {
        this.queries = queries;
        this.access = access;
        this.jdbc = jdbc;
    }

    /**
     * One page of the builds that pass every filter of {@code params}, newest first.
     *
     * @param teams the teams searched (the {@code team} parameter narrows it further); empty: every team and the
     *              builds outside any team, for admins
     */
    public Page search(BuildSearchParams params, Optional<Set<UUID>> teams) {
        return query(params, teams).page(limit(params.limit()));
    }

    /** How PostgreSQL runs a search ({@code EXPLAIN ANALYZE}, as text), for the tests that keep it on its indexes. */
    String plan(BuildSearchParams params, Optional<Set<UUID>> teams) {
        return query(params, teams).plan(limit(params.limit()));
    }

    private Query query(BuildSearchParams params, Optional<Set<UUID>> teams) {
        Query query = new Query();
        if (params.team() != null && !params.team().isBlank()) {
            query.teams(Optional.of(
                    Set.of(access.team(params.team().strip(), Role.VIEWER).id())));
        }
        query.teams(teams);
        project(params.project()).ifPresent(id -> query.and("b.project_id = :project", "project", id));
        ref(params.ref(), query);
        commit(params.commit(), query);
        BuildQueries.statusParam(params.status())
                .ifPresent(status -> query.and("b.status = :status", "status", status.name()));
        platform(params.platform())
                .ifPresent(platform ->
                        query.and("b.platforms @> jsonb_build_array(cast(:platform as text))", "platform", platform));
        trigger(params.trigger()).ifPresent(trigger -> query.and("b.trigger = :trigger", "trigger", trigger));
        if (given(params.requestedBy())) {
            query.and(
                    "lower(b.requested_by) = lower(:requestedBy)",
                    "requestedBy",
                    params.requestedBy().strip());
        }
        Optional<Instant> since = instant("since", params.since(), false);
        Optional<Instant> until = instant("until", params.until(), true);
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw ApiProblem.badRequest("until", "until " + until.get() + " is not after since " + since.get());
        }
        since.ifPresent(at -> query.and("b.created_at >= :since", "since", Timestamp.from(at)));
        until.ifPresent(at -> query.and("b.created_at < :until", "until", Timestamp.from(at)));
        image(params.image(), query);
        cursor(params.cursor()).ifPresent(seq -> query.and("b.accepted_seq < :before", "before", seq));
        return query;
    }

    /** A page of builds, and the cursor of the next one; null on the last page. */
    public record Page(List<BuildView> builds, @Nullable String next) {}

    /** "team/project" slugs of the projects of these teams (empty: every team), for a search form. */
    public List<String> projectsOf(Optional<Set<UUID>> teams) {
        if (teams.map(Set::isEmpty).orElse(false)) {
            return List.of();
        }
        return jdbc.sql("select t.slug || '/' || p.slug from projects p join teams t on t.id = p.team_id"
                        + (teams.isPresent() ? " where p.team_id in (:teams)" : "") + " order by 1")
                .params(teams.isPresent() ? Map.of("teams", teams.get()) : Map.of())
                .query((rs, row) -> rs.getString(1))
                .list();
    }

    private Optional<UUID> project(String value) {
        if (!given(value)) {
            return Optional.empty();
        }
        String[] parts = value.strip().split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw ApiProblem.badRequest("project", "project '" + value + "' is not TEAM/PROJECT, such as web/site");
        }
        Team team = access.team(parts[0], Role.VIEWER);
        return Optional.of(jdbc.sql("select id from projects where team_id = :team and slug = :slug")
                .param("team", team.id())
                .param("slug", parts[1])
                .query(UUID.class)
                .optional()
                .orElseThrow(() -> ApiProblem.notFound("project '" + value.strip() + "' does not exist")));
    }

    /**
     * A build remembers the ref as it was asked for ({@code main}, {@code refs/heads/main}, {@code v1}) and, since
     * V17, the branch it named; a name finds the branch or tag of that name however it was asked for.
     */
    private static void ref(String value, Query query) {
        if (!given(value)) {
            return;
        }
        String ref = value.strip();
        if (ref.startsWith("refs/heads/")) {
            query.and("(b.branch = :branch or b.ref = :ref)", "branch", ref.substring("refs/heads/".length()));
            query.bind("ref", ref);
        } else if (ref.startsWith("refs/tags/")) {
            query.and("(b.ref = :ref or (b.ref = :tag and b.branch is null))", "ref", ref);
            query.bind("tag", ref.substring("refs/tags/".length()));
        } else if (ref.startsWith("refs/")) {
            throw ApiProblem.badRequest(
                    "ref",
                    "ref '" + value + "' is neither a branch or tag name nor " + "refs/heads/... or refs/tags/...");
        } else {
            query.and("(b.ref = :ref or b.branch = :ref or b.ref = :refHeads or b.ref = :refTags)", "ref", ref);
            query.bind("refHeads", "refs/heads/" + ref);
            query.bind("refTags", "refs/tags/" + ref);
        }
    }

    /** A prefix as a range, so that the commit index serves it; the recheck makes it exact in any collation. */
    private static void commit(String value, Query query) {
        if (!given(value)) {
            return;
        }
        if (!COMMIT.matcher(value.strip()).matches()) {
            throw ApiProblem.badRequest(
                    "commit",
                    "commit '" + value + "' is not a commit id or a prefix of one: " + "expected 7 to 64 hex digits");
        }
        String prefix = value.strip().toLowerCase(Locale.ROOT);
        query.and(
                "b.commit_sha >= :commit and b.commit_sha < :commitEnd and starts_with(b.commit_sha, :commit)",
                "commit",
                prefix);
        query.bind("commitEnd", prefix + "g");
    }

    private static Optional<String> platform(String value) {
        if (!given(value)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Platform.parse(value.strip()).toString());
        } catch (IllegalArgumentException e) { // UnknownPlatformException among them
            throw ApiProblem.badRequest("platform", e.getMessage());
        }
    }

    private static Optional<String> trigger(String value) {
        if (!given(value)) {
            return Optional.empty();
        }
        try {
            return Optional.of(BuildOrigin.Trigger.valueOf(value.strip().toUpperCase(Locale.ROOT))
                    .name());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(
                    "trigger",
                    "unknown trigger '" + value + "': expected one of "
                            + Arrays.toString(BuildOrigin.Trigger.values()));
        }
    }

    /** An ISO-8601 instant, or a date taken in UTC: its start, or for {@code until} the end of that whole day. */
    private static Optional<Instant> instant(String name, String value, boolean endOfDay) {
        if (!given(value)) {
            return Optional.empty();
        }
        String text = value.strip();
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(text);
                return Optional.of((endOfDay ? day.plusDays(1) : day)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant());
            } catch (DateTimeParseException notADate) {
                throw ApiProblem.badRequest(
                        name,
                        name + " '" + value + "' is neither an ISO-8601 instant "
                                + "(2026-12-01T09:30:00Z) nor a date (2026-12-01)");
            }
        }
    }

    /**
     * {@code REG/REPO:TAG}: builds whose manifest list was pushed under that tag; {@code REG/REPO@DIGEST}: whose
     * index has that digest; {@code REG/REPO}: every build pushing there. A build keeps its image as it was asked
     * for ({@code hello} or {@code docker.io/library/hello}), so both spellings are looked for.
     */
    private static void image(String value, Query query) {
        if (!given(value)) {
            return;
        }
        String reference = value.strip();
        int at = reference.indexOf('@');
        int colon = reference.indexOf(':', reference.lastIndexOf('/') + 1);
        String repository =
                at >= 0 ? reference.substring(0, at) : colon >= 0 ? reference.substring(0, colon) : reference;
        ImageReference parsed;
        try {
            parsed = ImageReference.parse(repository);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(
                    "image", "image '" + value + "' is not REG/REPO:TAG or REG/REPO@sha256:...: " + e.getMessage());
        }
        query.and("b.image in (:images)", "images", new LinkedHashSet<>(List.of(repository, parsed.toString())));
        if (at >= 0) {
            String digest = reference.substring(at + 1);
            if (!DIGEST.matcher(digest).matches()) {
                throw ApiProblem.badRequest(
                        "image",
                        "image '" + value + "' has a malformed digest '" + digest
                                + "': expected sha256: and 64 lower-case hex digits");
            }
            query.and(
                    "exists (select 1 from manifest_lists m where m.build_id = b.id and m.digest = :digest)",
                    "digest",
                    digest);
        } else if (colon >= 0) {
            String tag = reference.substring(colon + 1);
            ImageReference.tagRefusal(tag).ifPresent(why -> {
                throw ApiProblem.badRequest("image", "image '" + value + "': " + why);
            });
            query.and(
                    "exists (select 1 from manifest_lists m where m.build_id = b.id"
                            + " and m.tags @> jsonb_build_array(cast(:tag as text)))",
                    "tag",
                    tag);
        }
    }

    private static int limit(String value) {
        if (!given(value)) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(
                    "limit", "'" + value + "' is not a valid limit (expected a whole number, 1.." + MAX_LIMIT + ")");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.badRequest("limit", "limit " + limit + " is out of range: expected 1.." + MAX_LIMIT);
        }
        return limit;
    }

    /** Opaque to callers: the accepted order of the last build of the previous page. */
    static String cursorAfter(long acceptedSeq) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + acceptedSeq).getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<Long> cursor(String value) {
        if (!given(value)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8);
            if (decoded.startsWith(CURSOR_PREFIX)) {
                return Optional.of(Long.parseLong(decoded.substring(CURSOR_PREFIX.length())));
            }
        } catch (IllegalArgumentException e) {
            // not one the farm gave: answered below
        }
        throw ApiProblem.badRequest(
                "cursor",
                "cursor '" + value + "' is not one this API gave: take it from the "
                        + "Link rel=\"next\" header of the previous page");
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }

    /** The SQL of one search, condition by condition. */
    private final class Query {

        private final StringBuilder where = new StringBuilder();
        private final Map<String, Object> params = new HashMap<>();
        private boolean nothing;

        /** Narrows to these teams (empty: no narrowing); a second call intersects. */
        void teams(Optional<Set<UUID>> teams) {
            if (teams.isEmpty()) {
                return;
            }
            @SuppressWarnings("unchecked")
            Set<UUID> earlier = (Set<UUID>) params.get("teams");
            Set<UUID> allowed = new LinkedHashSet<>(teams.get());
            if (earlier != null) {
                allowed.retainAll(earlier);
            } else {
                where.append(" and b.team_id in (:teams)");
            }
            params.put("teams", allowed);
            nothing |= allowed.isEmpty();
        }

        void and(String condition, String name, Object value) {
            where.append(" and ").append(condition);
            bind(name, value);
        }

        void bind(String name, Object value) {
            params.put(name, value);
        }

        Page page(int limit) {
            if (nothing) {
                return new Page(List.of(), null);
            }
            List<Map.Entry<UUID, Long>> rows = jdbc.sql(sql(limit))
                    .params(params)
                    .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class), rs.getLong("accepted_seq")))
                    .list();
            List<Map.Entry<UUID, Long>> shown = rows.subList(0, Math.min(limit, rows.size()));
            String next = rows.size() > limit ? cursorAfter(shown.getLast().getValue()) : null;
            return new Page(
                    queries.viewsOf(shown.stream().map(Map.Entry::getKey).toList()), next);
        }

        String plan(int limit) {
            return String.join(
                    "\n",
                    jdbc.sql("explain (analyze) " + sql(limit))
                            .params(params)
                            .query(String.class)
                            .list());
        }

        /** One row more than a page: whether it comes says whether there is a next page. */
        private String sql(int limit) {
            params.put("limit", limit + 1);
            return "select b.id, b.accepted_seq from builds b where true" + where
                    + " order by b.accepted_seq desc limit :limit";
        }
    }
}
