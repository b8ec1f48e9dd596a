package io.archfarm.portal.builds;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.web.ApiProblem;
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
class BuildController {

    private final BuildRequestValidator validator;
    private final BuildService service;
    private final BuildLogs logs;
    private final Access access;
    private final BuildAccess buildAccess;
    private final LiveBuilds live;
    private final BuildHistory history;

    BuildController(BuildRequestValidator validator, BuildService service, BuildLogs logs,
            Access access, BuildAccess buildAccess, LiveBuilds live, BuildHistory history) {
        this.live = live;
        this.history = history;
        this.validator = validator;
        this.service = service;
        this.logs = logs;
        this.access = access;
        this.buildAccess = buildAccess;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<BuildView> submit(@RequestBody(required = false) BuildRequestBody body) {
        UUID teamId = buildAccess.teamForNewBuild(body == null ? null : body.team());
        UUID id = service.submit(validator.validate(body),
                BuildOrigin.adHoc(teamId, BuildOrigin.Trigger.API, access.caller().username()));
        return ResponseEntity.accepted().location(URI.create("/api/v1/builds/" + id)).body(visible(id, Role.VIEWER));
    }

    @GetMapping("/{id}")
    BuildView build(@PathVariable UUID id) {
        return visible(id, Role.VIEWER);
    }

    /**
     * The builds of the caller's teams that pass every filter, newest first (in the order they were accepted), a page
     * at a time: {@code Link: <...&cursor=...>; rel="next"} while older ones exist.
     */
    @GetMapping
    ResponseEntity<List<BuildView>> history(BuildSearchParams search) {
        BuildHistory.Page page = history.search(search, access.visibleTeamIds());
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (page.next() != null) {
            answer.header(HttpHeaders.LINK, "</api/v1/builds?" + search.queryFrom(page.next()) + ">; rel=\"next\"");
        }
        return answer.body(page.builds());
    }

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
    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable UUID id, @RequestParam(name = "cursor", required = false) List<String> cursors,
            @RequestParam(defaultValue = "true") boolean logs, HttpServletResponse response) {
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
                throw ApiProblem.badRequest("cursor", "cursor '" + cursor + "' is not one this stream gave: expected "
                        + "the cursor of a log event, such as linux/arm64@1.42");
            }
            String platform = cursor.substring(0, at);
            if (build.platforms().stream().noneMatch(job -> job.platform().equals(platform))) {
                throw ApiProblem.badRequest("cursor", "cursor '" + cursor + "' names platform '" + platform
                        + "', which build " + build.id() + " does not build");
            }
            parsed.put(platform, position.get());
        }
        return parsed;
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<BuildView> cancel(@PathVariable UUID id) {
        require(id, Role.DEVELOPER);
        service.cancel(id, access.caller().username());
        return ResponseEntity.accepted().body(visible(id, Role.VIEWER));
    }

    /** Builds again the platforms that did not succeed; the answer's {@code retryPlatforms} names them. */
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
