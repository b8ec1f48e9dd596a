package io.archfarm.portal;

import static io.archfarm.portal.FarmAccounts.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every role against every action of the API, on its own team and on another team. On its own team a role gets
 * what it is allowed (2xx) or 403; on another team everything is 404, as if nothing there existed.
 */
@PortalIntegrationTest
class RolesMatrixIT {

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    /** One thing a caller may try, on a team's project and build. */
    record Action(String name, Function<Target, Answer> call) {}

    /** What an action acts on: a team, its project and one of its builds. */
    record Target(PortalApi caller, String team, String project, String build) {}

    private List<Action> actions(FarmAccounts farm) {
        List<Action> actions = new ArrayList<>();
        actions.add(new Action("read the team", t -> t.caller().get("/api/v1/teams/" + t.team())));
        actions.add(new Action("list projects", t -> t.caller().get("/api/v1/teams/" + t.team() + "/projects")));
        actions.add(new Action("read the project", t -> t.caller().get(project(t))));
        actions.add(new Action("list the project's builds", t -> t.caller().get(project(t) + "/builds")));
        actions.add(new Action("list the team's builds", t -> t.caller().get("/api/v1/builds?team=" + t.team())));
        actions.add(new Action("read a build", t -> t.caller().get("/api/v1/builds/" + t.build())));
        actions.add(new Action(
                "read a build's log",
                t -> t.caller().get("/api/v1/builds/" + t.build() + "/logs?platform=linux/amd64")));
        actions.add(new Action("start a project build", t -> t.caller().post(project(t) + "/builds", "{}")));
        actions.add(new Action(
                "start an ad-hoc build",
                t -> t.caller()
                        .post(
                                "/api/v1/builds",
                                BuildApiIT.minimalBody(repo.url())
                                        .replaceFirst("\\{", "{\"team\":\"" + t.team() + "\","))));
        actions.add(new Action("cancel a build", t -> t.caller().post("/api/v1/builds/" + t.build() + "/cancel", "")));
        actions.add(new Action("change the project", t -> t.caller().put(project(t), projectJson(null))));
        actions.add(new Action("rotate the webhook secret", t -> t.caller().post(project(t) + "/webhook-secret", "")));
        actions.add(new Action("reveal the webhook secret", t -> t.caller().get(project(t) + "/webhook-secret")));
        actions.add(new Action("list webhook deliveries", t -> t.caller().get(project(t) + "/deliveries")));
        actions.add(new Action(
                "create a project",
                t -> t.caller()
                        .post("/api/v1/teams/" + t.team() + "/projects", projectJson(FarmAccounts.unique("new")))));
        actions.add(new Action("delete a project", t -> {
            String doomed = FarmAccounts.unique("doomed");
            farm.project(t.team(), projectJson(doomed));
            return t.caller().delete("/api/v1/projects/" + t.team() + "/" + doomed);
        }));
        return actions;
    }

    /** The status each role gets for each action on its own team (same order as {@link #actions}). */
    private static final Map<String, int[]> OWN_TEAM = new LinkedHashMap<>();

    static {
        //                                               viewer developer maintainer admin
        OWN_TEAM.put("read the team", new int[] {200, 200, 200, 200});
        OWN_TEAM.put("list projects", new int[] {200, 200, 200, 200});
        OWN_TEAM.put("read the project", new int[] {200, 200, 200, 200});
        OWN_TEAM.put("list the project's builds", new int[] {200, 200, 200, 200});
        OWN_TEAM.put("list the team's builds", new int[] {200, 200, 200, 200});
        OWN_TEAM.put("read a build", new int[] {200, 200, 200, 200});
        OWN_TEAM.put("read a build's log", new int[] {200, 200, 200, 200});
        OWN_TEAM.put("start a project build", new int[] {403, 202, 202, 202});
        OWN_TEAM.put("start an ad-hoc build", new int[] {403, 202, 202, 202});
        OWN_TEAM.put("cancel a build", new int[] {403, 202, 202, 202});
        OWN_TEAM.put("change the project", new int[] {403, 403, 200, 200});
        OWN_TEAM.put("rotate the webhook secret", new int[] {403, 403, 200, 200});
        OWN_TEAM.put("reveal the webhook secret", new int[] {403, 403, 200, 200});
        OWN_TEAM.put("list webhook deliveries", new int[] {403, 403, 200, 200});
        OWN_TEAM.put("create a project", new int[] {403, 403, 201, 201});
        OWN_TEAM.put("delete a project", new int[] {403, 403, 204, 204});
    }

    @Test
    void everyRoleGetsWhatItMayOnItsOwnTeamAndNothingOnAnother() {
        FarmAccounts farm = new FarmAccounts(port);
        String teamA = farm.team("alpha");
        String teamB = farm.team("beta");
        String projectA = slugOf(farm.project(teamA, projectJson("app")));
        String projectB = slugOf(farm.project(teamB, projectJson("app")));
        String buildA = startBuild(farm.admin(), teamA, projectA);
        String buildB = startBuild(farm.admin(), teamB, projectB);

        Map<String, PortalApi> callers = new LinkedHashMap<>();
        callers.put("viewer", farm.member(teamA, "viewer"));
        callers.put("developer", farm.member(teamA, "developer"));
        callers.put("maintainer", farm.member(teamA, "maintainer"));
        callers.put("admin", farm.admin());

        List<String> wrong = new ArrayList<>();
        int role = 0;
        for (Map.Entry<String, PortalApi> caller : callers.entrySet()) {
            for (Action action : actions(farm)) {
                int own = action.call()
                        .apply(new Target(caller.getValue(), teamA, projectA, buildA))
                        .status();
                int expectedOwn = OWN_TEAM.get(action.name())[role];
                if (own != expectedOwn) {
                    wrong.add(caller.getKey() + " / " + action.name() + " on own team: " + own + ", expected "
                            + expectedOwn);
                }
                Answer other = action.call().apply(new Target(caller.getValue(), teamB, projectB, buildB));
                int expectedOther = caller.getKey().equals("admin") ? expectedOwn : 404;
                if (other.status() != expectedOther) {
                    wrong.add(caller.getKey() + " / " + action.name() + " on another team: " + other.status()
                            + ", expected " + expectedOther + " (" + other.body() + ")");
                }
            }
            role++;
        }
        assertThat(wrong).as("role x action mismatches").isEmpty();
    }

    @Test
    void peopleInNoTeamSeeNoBuildsAndOnlyAdminsManagePeopleAndTeams() {
        FarmAccounts farm = new FarmAccounts(port);
        String team = farm.team("gamma");
        String project = slugOf(farm.project(team, projectJson("app")));
        startBuild(farm.admin(), team, project);
        PortalApi loner = farm.person("loner");
        PortalApi maintainer = farm.member(team, "maintainer");

        assertThat(loner.get("/api/v1/builds").json()).isEmpty();
        assertThat(loner.get("/api/v1/teams").json()).isEmpty();
        assertThat(maintainer.get("/api/v1/builds").json()).hasSize(1);
        assertThat(farm.admin().get("/api/v1/builds").json().size()).isGreaterThanOrEqualTo(1);

        Answer createUser =
                maintainer.post("/api/v1/users", "{\"username\":\"mallory\",\"password\":\"long-enough-password\"}");
        assertThat(createUser.status()).isEqualTo(403);
        assertThat(createUser.problemDetail()).contains("only an admin may create users");
        assertThat(maintainer
                        .post("/api/v1/teams", "{\"slug\":\"mine\",\"name\":\"Mine\"}")
                        .status())
                .isEqualTo(403);
        assertThat(maintainer
                        .put("/api/v1/teams/" + team + "/members/admin", "{\"role\":\"viewer\"}")
                        .status())
                .isEqualTo(403);
        Answer adminRole = farm.admin().put("/api/v1/teams/" + team + "/members/admin", "{\"role\":\"admin\"}");
        assertThat(adminRole.status()).isEqualTo(400);
        assertThat(adminRole.problemDetail()).contains("admin is a property of the user");

        Answer adHocOutsideTeams = maintainer.post("/api/v1/builds", BuildApiIT.minimalBody(repo.url()));
        assertThat(adHocOutsideTeams.status()).isEqualTo(400);
        assertThat(adHocOutsideTeams.problemDetail()).contains("team is required");

        Answer me = maintainer.get("/api/v1/users/me");
        assertThat(me.json().path("teams").get(0).path("slug").asString()).isEqualTo(team);
        assertThat(me.json().path("teams").get(0).path("role").asString()).isEqualTo("maintainer");
    }

    private static String startBuild(PortalApi caller, String team, String project) {
        return expect(caller.post("/api/v1/projects/" + team + "/" + project + "/builds", "{}"), 202)
                .json()
                .path("id")
                .asString();
    }

    private static String project(Target t) {
        return "/api/v1/projects/" + t.team() + "/" + t.project();
    }

    private static String slugOf(JsonNode project) {
        return project.path("slug").asString();
    }

    private static String projectJson(String slug) {
        return """
                {%s"repository": "%s", "platforms": ["linux/amd64", "linux/arm64"],
                 "image": "127.0.0.1:5000/matrix/app", "defaultBranch": "trunk"}""".formatted(slug == null ? "" : "\"slug\": \"" + slug + "\", ", repo.url());
    }
}
