package io.archfarm.afctl.farm;

import io.archfarm.afctl.api.FarmApi;
import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.api.Query;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import io.archfarm.afctl.text.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code afctl projects}: the projects of one team, or of every team the caller is in (admins: every team). */
@Command(
        name = "projects",
        header = "List projects.",
        description = "The projects of --team, or of every team you are in (admins: every team). -o json prints "
                + "them as one JSON array.")
public final class ProjectsCommand implements Callable<Integer> {

    @Option(names = "--team", paramLabel = "TEAM", description = "only this team's projects")
    @Nullable
    String team;

    @Mixin
    OutputOption output;

    private final Invocation invocation;

    ProjectsCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        FarmApi api = invocation.api();
        List<String> teams = new ArrayList<>();
        if (team != null) {
            teams.add(team);
        } else {
            api.get("/api/v1/teams").forEach(t -> teams.add(t.path("slug").asString()));
        }
        List<JsonNode> projects = new ArrayList<>();
        for (String slug : teams) {
            api.get("/api/v1/teams/" + Query.segment(slug) + "/projects").forEach(projects::add);
        }
        if (output.json()) {
            invocation.out().println(Json.pretty(projects));
            return ExitCodes.OK;
        }
        Table table = new Table("PROJECT", "REPOSITORY", "BRANCH", "PLATFORMS", "IMAGE", "LAST BUILD");
        for (JsonNode project : projects) {
            List<String> platforms = new ArrayList<>();
            project.path("platforms").forEach(p -> platforms.add(p.asString()));
            long last = project.path("lastBuildNumber").asLong(0);
            table.row(
                    project.path("team").asString("") + "/"
                            + project.path("slug").asString(""),
                    project.path("repository").asString(""),
                    project.path("defaultBranch").asString(""),
                    String.join(",", platforms),
                    project.path("image").asString(""),
                    last == 0 ? null : "#" + last);
        }
        invocation.out().print(table.render());
        return ExitCodes.OK;
    }
}
