package io.archfarm.portal.secrets;

import io.archfarm.portal.accounts.Team;
import io.archfarm.portal.problems.ApiProblem;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one owner of the {@code build_secrets} table: team secrets ({@code project_id} null) and project secrets, their
 * values sealed with the farm's key. Nothing here ever returns a value; only the scheduler opens them, for the worker
 * that claimed a job.
 */
@Service
public class BuildSecrets {

    /** A bound on what one team or project keeps, so that a job's sealed secrets stay a small message. */
    static final int MAX_PER_OWNER = 100;

    private final JdbcClient jdbc;
    private final SecretBox box;
    private final Clock clock;

    BuildSecrets(JdbcClient jdbc, SecretBox box, Clock clock) {
        this.jdbc = jdbc;
        this.box = box;
        this.clock = clock;
    }

    /** Where a secret lives: a team's, or (with {@code projectId}) one project's of that team. */
    public record Owner(@Nullable UUID teamId, @Nullable UUID projectId, String name) {

        String scope() {
            return projectId == null ? "team" : "project";
        }
    }

    /** A secret set or replaced, and whether it was new. */
    record Stored(SecretView secret, boolean created) {}

    @Transactional
    Stored set(Owner owner, String id, SecretBody body, String setBy) {
        String name = SecretBody.checkedId(id);
        String sealed = box.seal(body.validValue());
        Instant now = clock.instant();
        if (replace(owner, name, sealed, setBy, now)) {
            return new Stored(new SecretView(name, owner.scope(), setBy, now), false);
        }
        if (count(owner) >= MAX_PER_OWNER) {
            throw ApiProblem.conflict(owner.name() + " already has " + MAX_PER_OWNER
                    + " secrets, the most it may keep; delete one first");
        }
        int inserted = jdbc.sql("""
                        insert into build_secrets (id, team_id, project_id, name, sealed_value, set_by, set_at)
                        values (:id, :team, :project, :name, :value, :by, :at)
                        on conflict do nothing""")
                .param("id", UUID.randomUUID())
                .param("team", owner.teamId())
                .param("project", owner.projectId())
                .param("name", name)
                .param("value", sealed)
                .param("by", setBy)
                .param("at", Timestamp.from(now))
                .update();
        // none inserted: a concurrent PUT of the same id made it first, and this one, the later, replaces it
        if (inserted == 0) {
            replace(owner, name, sealed, setBy, now);
        }
        return new Stored(new SecretView(name, owner.scope(), setBy, now), inserted == 1);
    }

    private boolean replace(Owner owner, String name, String sealed, String setBy, Instant now) {
        return jdbc.sql(
                                "update build_secrets set sealed_value = :value, set_by = :by, set_at = :at"
                                        + " where team_id = :team and project_id is not distinct from :project and name = :name")
                        .param("value", sealed)
                        .param("by", setBy)
                        .param("at", Timestamp.from(now))
                        .param("team", owner.teamId())
                        .param("project", owner.projectId())
                        .param("name", name)
                        .update()
                == 1;
    }

    /** @throws ApiProblem 404 when the owner has no secret of that id */
    @Transactional
    void delete(Owner owner, String id) {
        int deleted = jdbc.sql("delete from build_secrets where team_id = :team"
                        + " and project_id is not distinct from :project and name = :name")
                .param("team", owner.teamId())
                .param("project", owner.projectId())
                .param("name", SecretBody.checkedId(id))
                .update();
        if (deleted == 0) {
            throw ApiProblem.notFound(owner.name() + " has no secret '" + id + "'");
        }
    }

    /** A team's own secrets, by id. */
    @Transactional(readOnly = true)
    public List<SecretView> ofTeam(UUID teamId) {
        return jdbc.sql("select name, set_by, set_at from build_secrets where team_id = :team and project_id is null"
                        + " order by name")
                .param("team", teamId)
                .query((rs, n) -> new SecretView(
                        rs.getString("name"),
                        "team",
                        rs.getString("set_by"),
                        rs.getTimestamp("set_at").toInstant()))
                .list();
    }

    /** The secrets a project's builds get, by id: its own, and its team's that it does not override. */
    @Transactional(readOnly = true)
    public List<SecretView> ofProject(UUID teamId, UUID projectId) {
        return jdbc.sql("""
                        select distinct on (name) name, project_id is not null as own, set_by, set_at
                          from build_secrets
                         where team_id = :team and (project_id = :project or project_id is null)
                         order by name, project_id nulls last""")
                .param("team", teamId)
                .param("project", projectId)
                .query((rs, n) -> new SecretView(
                        rs.getString("name"),
                        rs.getBoolean("own") ? "project" : "team",
                        rs.getString("set_by"),
                        rs.getTimestamp("set_at").toInstant()))
                .list();
    }

    /** For the project page: a project's secret set from a form, as the API sets it. */
    @Transactional
    public void setForProject(Team team, UUID projectId, String id, String value, String setBy) {
        set(projectOwner(team, projectId), id, new SecretBody(value), setBy);
    }

    @Transactional
    public void deleteForProject(Team team, UUID projectId, String id) {
        delete(projectOwner(team, projectId), id);
    }

    private static Owner projectOwner(Team team, UUID projectId) {
        return new Owner(team.id(), projectId, "project of team '" + team.slug() + "'");
    }

    /** The id of the team's project, or a 404 that names it. */
    UUID projectId(UUID teamId, String teamSlug, String project) {
        return jdbc.sql("select id from projects where team_id = :team and slug = :slug")
                .param("team", teamId)
                .param("slug", project == null ? "" : project)
                .query(UUID.class)
                .optional()
                .orElseThrow(() -> ApiProblem.notFound("project '" + teamSlug + "/" + project + "' does not exist"));
    }

    private int count(Owner owner) {
        return jdbc.sql("select count(*) from build_secrets where team_id = :team"
                        + " and project_id is not distinct from :project")
                .param("team", owner.teamId())
                .param("project", owner.projectId())
                .query(Integer.class)
                .single();
    }
}
