package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.FarmApi;
import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.api.Page;
import io.archfarm.afctl.api.Query;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import io.archfarm.afctl.text.Table;
import io.archfarm.afctl.text.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code afctl builds}: the build history, newest first, filtered by the farm ({@code GET /api/v1/builds}); with
 * {@code --all}, every page, following each answer's {@code Link: rel="next"}.
 */
@Command(
        name = "builds",
        sortOptions = false,
        header = "List builds, newest first.",
        description = "The newest --limit builds that match the filters, or with --all every one (page after page). "
                + "-o json prints them as one JSON array.")
public final class BuildsCommand implements Callable<Integer> {

    @Option(names = "--team", paramLabel = "TEAM", description = "builds of this team")
    @Nullable
    String team;

    @Option(names = "--project", paramLabel = "TEAM/PROJECT", description = "builds of this project")
    @Nullable
    String project;

    @Option(names = "--ref", paramLabel = "REF", description = "of this branch or tag (name or full ref)")
    @Nullable
    String ref;

    @Option(names = "--commit", paramLabel = "HEX", description = "of a commit starting with these 7+ hex digits")
    @Nullable
    String commit;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "QUEUED, RUNNING, SUCCEEDED, PARTIAL, FAILED or CANCELLED")
    @Nullable
    String status;

    @Option(names = "--platform", paramLabel = "PLATFORM", description = "that built this platform")
    @Nullable
    String platform;

    @Option(names = "--trigger", paramLabel = "TRIGGER", description = "started this way (UI, API, WEBHOOK, …)")
    @Nullable
    String trigger;

    @Option(names = "--requested-by", paramLabel = "USER", description = "started by this user")
    @Nullable
    String requestedBy;

    @Option(
            names = "--since",
            paramLabel = "INSTANT",
            description = "accepted at or after: an ISO-8601 instant (2025-06-01T00:00:00Z) or a date (UTC)")
    @Nullable
    String since;

    @Option(names = "--until", paramLabel = "INSTANT", description = "accepted before (a date: to its end)")
    @Nullable
    String until;

    @Option(
            names = "--image",
            paramLabel = "REFERENCE",
            description = "that published REG/REPO:TAG or REG/REPO@sha256:…")
    @Nullable
    String image;

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            defaultValue = "20",
            description = "how many builds (1..500, default 20); with --all the size of each page")
    int limit;

    @Option(names = "--all", description = "every build that matches, page after page")
    boolean all;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    private final Invocation invocation;

    BuildsCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        if (limit < 1 || limit > 500) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1 to 500, not " + limit);
        }
        List<JsonNode> builds = fetch(invocation.api());
        if (output.json()) {
            invocation.out().println(Json.pretty(builds));
        } else {
            invocation.out().print(table(builds, invocation.now()));
        }
        return ExitCodes.OK;
    }

    private List<JsonNode> fetch(FarmApi api) {
        List<JsonNode> builds = new ArrayList<>();
        Optional<String> next = Optional.of(Query.path("/api/v1/builds")
                .with("team", team)
                .with("project", project)
                .with("ref", ref)
                .with("commit", commit)
                .with("status", status)
                .with("platform", platform)
                .with("trigger", trigger)
                .with("requestedBy", requestedBy)
                .with("since", since)
                .with("until", until)
                .with("image", image)
                .with("limit", limit)
                .toString());
        while (next.isPresent()) {
            Page page = api.page(next.get());
            page.items().forEach(builds::add);
            next = all ? page.next() : Optional.empty();
        }
        return builds;
    }

    static String table(List<JsonNode> builds, Instant now) {
        Table table = new Table("ID", "BUILD", "REF", "COMMIT", "STATUS", "PLATFORMS", "CREATED", "DURATION");
        for (JsonNode view : builds) {
            Build build = Build.of(view);
            table.row(
                    Text.shortId(build.id()),
                    build.title(),
                    build.ref(),
                    build.commit() == null
                            ? null
                            : build.commit()
                                    .substring(0, Math.min(7, build.commit().length())),
                    build.status(),
                    platforms(build),
                    Text.ago(build.createdAt(), now),
                    build.startedAt() == null ? null : Text.clock(build.elapsed(now)));
        }
        return table.render();
    }

    /** {@code amd64 arm64 s390x!}: each platform's architecture, with {@code !} after one that did not succeed. */
    private static String platforms(Build build) {
        List<String> names = new ArrayList<>();
        for (Build.PlatformJob job : build.platforms()) {
            String name = job.platform().startsWith("linux/") ? job.platform().substring(6) : job.platform();
            boolean bad = job.status().equals("FAILED") || job.status().equals("CANCELLED");
            names.add(bad ? name + "!" : name);
        }
        return String.join(" ", names);
    }
}
