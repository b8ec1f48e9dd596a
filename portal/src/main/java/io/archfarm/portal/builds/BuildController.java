package io.archfarm.portal.builds;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.problems.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Ad-hoc builds (any repository, for a team the caller develops in, or outside any team for admins) and every
 * build's status, logs, cancellation and retry of its failed platforms. A build the caller may not see answers 404,
 * exactly like a missing one.
 */
@RestController
@RequestMapping("/api/v1/builds")
@Tag(name = "Builds", description = "builds of any repository or of a project: start, follow, search, cancel, retry")
class BuildController {

    private final BuildRequestValidator validator;
    private final BuildService service;
    private final BuildLogs logs;
    private final Access access;
    private final BuildAccess buildAccess;
    private final LiveBuilds live;
    private final BuildHistory history;

    BuildController(
            BuildRequestValidator validator,
            BuildService service,
            BuildLogs logs,
            Access access,
            BuildAccess buildAccess,
            LiveBuilds live,
            BuildHistory history) {
        this.live = live;
        this.history = history;
        this.validator = validator;
        this.service = service;
        this.logs = logs;
        this.access = access;
        this.buildAccess = buildAccess;
    }

    @Operation(summary = "Build any repository (developer of the team; admins also without one)")
    @ApiResponse(
            responseCode = "202",
            description = "accepted; Location: /api/v1/builds/{id}",
            useReturnTypeSchema = true)
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<BuildView> submit(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            description = "required: "
                                    + "repository, image, platforms, and team unless an admin; a wrong field is a 400 naming it (all of "
                                    + "them at once in errors)",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            examples = {
                                                @ExampleObject(name = "three platforms", value = """
                            {"team": "web", "repository": "https://git.example.com/web/site.git", "ref": "main",
                             "platforms": ["linux/amd64", "linux/arm64", "linux/s390x"],
                             "image": "registry.example.com/web/site", "tags": ["latest", "1.4"],
                             "buildArgs": {"GREETING": "hi"}}"""),
                                                @ExampleObject(
                                                        name =
                                                                "native only for s390x, publish what succeeded, without cache",
                                                        value = """
                            {"team": "web", "repository": "https://git.example.com/web/site.git", "ref": "v1.4.0",
                             "containerfile": "deploy/Containerfile", "context": ".",
                             "platforms": ["linux/amd64", "linux/arm64", "linux/s390x"],
                             "image": "registry.example.com/web/site", "tags": ["1.4.0"],
                             "placement": "native-preferred", "platformPlacement": {"linux/s390x": "native-only"},
                             "publish": "partial", "noCache": true}""")
                                            }))
                    @RequestBody(required = false)
                    BuildRequestBody body) {
        UUID teamId = buildAccess.teamForNewBuild(body == null ? null : body.team());
        UUID id = service.submit(
                validator.validate(body),
                BuildOrigin.adHoc(
                        teamId, BuildOrigin.Trigger.API, access.caller().username()));
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/builds/" + id))
                .body(visible(id, Role.VIEWER));
    }

    @Operation(summary = "One build: its platform jobs, where each ran and how, and its manifest list")
    @GetMapping("/{id}")
    BuildView build(@PathVariable UUID id) {
        return visible(id, Role.VIEWER);
    }

    /**
     * The builds of the caller's teams that pass every filter, newest first (in the order they were accepted), a page
     * at a time: {@code Link: <...&cursor=...>; rel="next"} while older ones exist.
     */
    @Operation(summary = "Search the builds of the caller's teams, newest first, a page at a time")
    @ApiResponse(
            responseCode = "200",
            description = "one page; while older builds exist, a Link header gives the " + "next one",
            useReturnTypeSchema = true,
            headers =
                    @Header(
                            name = HttpHeaders.LINK,
                            description = "</api/v"
                                    + "1/builds?...&cursor=...>; rel=\"next\": the same search from where this page ended; absent on the last "
                                    + "page",
                            schema = @Schema(type = "string")))
    @GetMapping
    ResponseEntity<List<BuildView>> history(BuildSearchParams search) {
        BuildHistory.Page page = history.search(search, access.visibleTeamIds());
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (page.next() != null) {
            answer.header(HttpHeaders.LINK, "</api/v1/builds?" + search.queryFrom(page.next()) + ">; rel=\"next\"");
        }
        return answer.body(page.builds());
    }

    @Operation(summary = "A platform's log as text, every attempt under its own header")
    @GetMapping(value = "/{id}/logs", produces = "text/plain;charset=UTF-8")
    String logs(@PathVariable UUID id, @RequestParam(required = false) String platform) {
        require(id, Role.VIEWER);
        return logs.of(id, platform);
    }

    /**
     * The build's state and logs as server-sent events, until it has ended: {@code build} (the build as
     * {@link #build} answers it; at once, then on every change), {@code log} (JSON: platform, text, cursor) and
     * {@code end} (the final build), then the stream closes. A client that lost the stream comes back with the
     * {@code cursor} of the last log event of each platform and misses nothing, sees nothing twice.
     */
    @Operation(
            summary = "Follow a build: its changes and new log text as server-sent events, until it has ended",
            description = """
                    Events (`data:` is one line of JSON): `build`, the build as GET /api/v1/builds/{id} answers it, \
                    at once and again on every change of the build or one of its platform jobs; `log`, \
                    `{"platform", "text", "cursor"}`, each platform's new log text in order, never twice; `end`, the \
                    final build, once it has ended and its logs are quiet; then the stream closes. A `: keep-alive` \
                    comment at least every 15 s. The stream may also close without `end` (the portal stopping, or \
                    after archfarm.portal.live-timeout): connect again with the cursors. A signed-in page's session \
                    is taken here too.""")
    @ApiResponse(
            responseCode = "200",
            description = "the event stream",
            content =
                    @Content(
                            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                            schema = @Schema(type = "string"),
                            examples =
                                    @ExampleObject(
                                            value =
                                                    "event:build\ndata:{\"id\":\"…\",\"status\":\"RUNNING\",…}\n\nevent:log\ndata:{\"platform\":"
                                                            + "\"linux/arm64\",\"text\":\"STEP 2/3: RUN make\\n\",\"cursor\":\"linux/arm64@1.42\"}\n\n"
                                                            + ": keep-alive\n\nevent:end\ndata:{\"id\":\"…\",\"status\":\"SUCCEEDED\",…}\n\n")))
    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(
            @PathVariable UUID id,
            @Parameter(
                            description = "the cursor of the last log event of each platform seen (repeat it per "
                                    + "platform): the logs go on after it",
                            example = "linux/arm64@1.42")
                    @RequestParam(name = "cursor", required = false)
                    List<String> cursors,
            @Parameter(description = "false: no log events, only the build's changes")
                    @RequestParam(defaultValue = "true")
                    boolean logs,
            @Parameter(hidden = true) HttpServletResponse response) {
        BuildView build = visible(id, Role.VIEWER);
        Map<String, LogCursor> from = clientCursors(build, cursors);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no"); // a proxy that buffers would hold the events back
        return live.followForClient(build, from, logs);
    }

    /** {@code linux/arm64@2.17}, as the stream's log events give them; anything else is refused, naming it. */
    private static Map<String, LogCursor> clientCursors(BuildView build, List<String> cursors) {
        Map<String, LogCursor> parsed = new HashMap<>();
        for (String cursor : cursors == null ? List.<String>of() : cursors) {
            int at = cursor.lastIndexOf('@');
            Optional<LogCursor> position = at < 0 ? Optional.empty() : LogCursor.parseExactly(cursor.substring(at + 1));
            if (position.isEmpty()) {
                throw ApiProblem.badRequest(
                        "cursor",
                        "cursor '" + cursor + "' is not one this stream gave: expected "
                                + "the cursor of a log event, such as linux/arm64@1.42");
            }
            String platform = cursor.substring(0, at);
            if (build.platforms().stream().noneMatch(job -> job.platform().equals(platform))) {
                throw ApiProblem.badRequest(
                        "cursor",
                        "cursor '" + cursor + "' names platform '" + platform + "', which build " + build.id()
                                + " does not build");
            }
            parsed.put(platform, position.get());
        }
        return parsed;
    }

    @Operation(summary = "Cancel a build (developer); 409 once it has ended")
    @ApiResponse(
            responseCode = "202",
            description = "asked; running platforms are being stopped",
            useReturnTypeSchema = true)
    @PostMapping("/{id}/cancel")
    ResponseEntity<BuildView> cancel(@PathVariable UUID id) {
        require(id, Role.DEVELOPER);
        service.cancel(id, access.caller().username());
        return ResponseEntity.accepted().body(visible(id, Role.VIEWER));
    }

    /** Builds again the platforms that did not succeed; the answer's {@code retryPlatforms} names them. */
    @Operation(summary = "Build again the platforms that did not succeed (developer)")
    @ApiResponse(responseCode = "202", description = "asked; retryPlatforms names them", useReturnTypeSchema = true)
    @PostMapping("/{id}/retry")
    ResponseEntity<BuildView> retry(@PathVariable UUID id) {
        require(id, Role.DEVELOPER);
        service.retryFailed(id, access.caller().username());
        return ResponseEntity.accepted().body(visible(id, Role.VIEWER));
    }

    private BuildView visible(UUID id, Role needed) {
        return buildAccess.view(id, needed);
    }

    private void require(UUID id, Role needed) {
        buildAccess.require(id, needed);
    }
}
