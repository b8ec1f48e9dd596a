package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.FarmApi;
import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.api.Query;
import io.archfarm.afctl.cli.AfctlException;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code afctl inspect BUILD|IMAGE}: the manifest list a build published, like {@code podman manifest inspect}, with
 * each platform's mode and worker. An IMAGE is found as the newest build that published it
 * ({@code GET /api/v1/builds?image=…&limit=1}); the answer is checked to have published it indeed.
 */
@Command(
        name = "inspect",
        header = "Show the manifest list of a build or an image.",
        description = "The manifest list of a build, or of the newest build that published an image: its digest and "
                + "tags, and per platform its digest, size, media type, NATIVE/EMULATED and worker. -o json prints "
                + "the build as the API has it (.manifestList, .platforms[]).")
public final class InspectCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "BUILD|IMAGE",
            description = "a build's id (or its first 8+ hex digits), or REG/REPO[:TAG] or REG/REPO@sha256:…")
    String target;

    @Mixin
    OutputOption output;

    private final Invocation invocation;

    InspectCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        FarmApi api = invocation.api();
        JsonNode view = BuildIds.isBuild(target)
                ? api.get("/api/v1/builds/" + BuildIds.resolve(api, target))
                : publisherOf(api, ImageName.parse(target));
        Build build = Build.of(view);
        if (build.manifestList() == null) {
            throw new AfctlException(
                    "build " + build.id() + " (" + build.title() + ") has no manifest list: it is " + build.status()
                            + (build.ended() ? "" : " (afctl follow " + build.id() + ")"),
                    ExitCodes.ERROR);
        }
        PrintWriter out = invocation.out();
        if (output.json()) {
            out.println(Json.pretty(view));
            return ExitCodes.OK;
        }
        out.println("Build    " + build.id() + "  " + build.title() + "  " + build.status());
        out.println("Image    " + build.image());
        if (build.commit() != null) {
            out.println("Commit   " + build.commit() + (build.ref() == null ? "" : " (" + build.ref() + ")"));
        }
        BuildReport.manifestList(out, build, true);
        return ExitCodes.OK;
    }

    /** The newest build that published {@code image}: the farm's filter, checked against what it answers. */
    private static JsonNode publisherOf(FarmApi api, ImageName image) {
        for (JsonNode candidate :
                api.get(Query.path("/api/v1/builds").with("image", image).with("limit", 1))) {
            if (image.publishedBy(Build.of(candidate))) {
                return candidate;
            }
        }
        throw new AfctlException("no build you can see published " + image, ExitCodes.ERROR);
    }
}
