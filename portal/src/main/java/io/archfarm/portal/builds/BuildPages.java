package io.archfarm.portal.builds;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.Role;
import io.archfarm.portal.accounts.TeamRole;
import io.archfarm.portal.builds.BuildLogs.LogTail;
import io.archfarm.portal.pages.CurrentTeam;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.web.UiController;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The build pages: the list, one build with its platforms, live logs, failed step and manifest list, and the cancel
 * and retry buttons. Every route checks the reader's role in the build's team; outsiders get the 404 page.
 */
@UiController
class BuildPages {

    private static final int LOG_TAIL_CHARS = 64 * 1024;
    private static final int ERROR_LINES = 8;
    private static final int REFRESH_WITHOUT_SCRIPT_SECONDS = 5;

    private final BuildQueries queries;
    private final BuildAccess buildAccess;
    private final BuildLogs logs;
    private final BuildService service;
    private final LiveBuilds live;
    private final Access access;
    private final CurrentTeam currentTeam;
    private final JsonMapper json;
    private final BuildHistory history;

    BuildPages(
            BuildQueries queries,
            BuildAccess buildAccess,
            BuildLogs logs,
            BuildService service,
            LiveBuilds live,
            Access access,
            CurrentTeam currentTeam,
            JsonMapper json,
            BuildHistory history) {
        this.history = history;
        this.json = json;
        this.queries = queries;
        this.buildAccess = buildAccess;
        this.logs = logs;
        this.service = service;
        this.live = live;
        this.access = access;
        this.currentTeam = currentTeam;
    }

    /**
     * The current team's builds, or with {@code ?all} those of every team the reader sees (a project chosen: that
     * project's), searched with the API's filters and paged with its cursors; every filter stays in the URL, so a
     * search can be shared. A wrong filter is shown next to its field, with the API's words.
     */
    @GetMapping("/builds")
    String list(
            BuildSearchParams params,
            @RequestParam(required = false) String all,
            HttpSession session,
            Model model,
            HttpServletResponse response) {
        Optional<TeamRole> current = currentTeam.resolve(session, params.team());
        BuildSearchParams search = params.withoutTeam();
        boolean everyTeam = all != null || current.isEmpty();
        Optional<Set<UUID>> visible = access.visibleTeamIds();
        Optional<Set<UUID>> teams = everyTeam || present(search.project())
                ? visible
                : Optional.of(Set.of(current.get().teamId()));
        String scope = everyTeam ? "&all=1" : "";
        try {
            BuildHistory.Page page = history.search(search, teams);
            model.addAttribute("builds", page.builds());
            model.addAttribute(
                    "older", page.next() == null ? null : "/builds?" + search.queryFrom(page.next()) + scope);
            model.addAttribute("errors", Map.of());
        } catch (ApiProblem problem) {
            if (problem.status() != HttpStatus.BAD_REQUEST) {
                throw problem;
            }
            response.setStatus(problem.status().value());
            model.addAttribute("builds", List.of());
            model.addAttribute(
                    "errors",
                    Map.of(
                            String.valueOf(problem.properties().getOrDefault("field", "search")),
                            List.of(problem.getMessage())));
        }
        model.addAttribute("newest", present(search.cursor()) ? "/builds?" + search.queryFrom(null) + scope : null);
        model.addAttribute("search", search);
        model.addAttribute("everyTeam", everyTeam);
        model.addAttribute("projects", history.projectsOf(visible));
        model.addAttribute("platforms", queries.offeredPlatforms());
        return "builds/list";
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @GetMapping("/builds/{id}")
    String build(@PathVariable String id, Model model) {
        BuildView build = buildAccess.view(BuildAccess.parseId(id), Role.VIEWER);
        panelModel(build, model);
        List<LogTail> tails = build.platforms().stream()
                .map(job -> logs.tail(build.id(), job.platform(), LOG_TAIL_CHARS))
                .toList();
        model.addAttribute("logs", tails);
        if (build.live()) {
            model.addAttribute("refreshWithoutScript", REFRESH_WITHOUT_SCRIPT_SECONDS);
        }
        return "builds/detail";
    }

    /** Everything on the build page but the logs; the page re-fetches it when the live stream says something changed. */
    @GetMapping("/builds/{id}/panel")
    String panel(@PathVariable String id, Model model) {
        panelModel(buildAccess.view(BuildAccess.parseId(id), Role.VIEWER), model);
        return "builds/detail :: panel";
    }

    @GetMapping(value = "/builds/{id}/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter live(
            @PathVariable String id,
            @RequestParam(name = "cursor", required = false) List<String> cursors,
            HttpServletResponse response) {
        BuildView build = buildAccess.view(BuildAccess.parseId(id), Role.VIEWER);
        response.setHeader("Cache-Control", "no-store");
        // a proxy that buffers would hold the stream back (nginx honours this header)
        response.setHeader("X-Accel-Buffering", "no");
        return live.follow(build, parseCursors(cursors));
    }

    /** The whole log of one platform, every attempt, exactly as the worker sent it. */
    @GetMapping(value = "/builds/{id}/log", produces = "text/plain;charset=UTF-8")
    ResponseEntity<String> rawLog(@PathVariable String id, @RequestParam(required = false) String platform) {
        UUID buildId = BuildAccess.parseId(id);
        buildAccess.require(buildId, Role.VIEWER);
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(logs.of(buildId, platform));
    }

    @PostMapping("/builds/{id}/cancel")
    String cancel(@PathVariable String id, RedirectAttributes redirect) {
        UUID buildId = BuildAccess.parseId(id);
        buildAccess.require(buildId, Role.DEVELOPER);
        service.cancel(buildId, access.caller().username());
        redirect.addFlashAttribute("notice", "build.cancelRequested");
        return "redirect:/builds/" + buildId;
    }

    @PostMapping("/builds/{id}/retry")
    String retry(@PathVariable String id, RedirectAttributes redirect) {
        UUID buildId = BuildAccess.parseId(id);
        buildAccess.require(buildId, Role.DEVELOPER);
        List<String> platforms = service.retryFailed(buildId, access.caller().username());
        redirect.addFlashAttribute("notice", "build.retryRequested");
        redirect.addFlashAttribute("noticeArgument", String.join(", ", platforms));
        return "redirect:/builds/" + buildId;
    }

    private void panelModel(BuildView build, Model model) {
        model.addAttribute("build", build);
        model.addAttribute("canAct", buildAccess.allows(build, Role.DEVELOPER));
        model.addAttribute(
                "failures",
                build.platforms().stream()
                        .filter(job -> "FAILED".equals(job.status()))
                        .map(job -> new FailedPlatform(
                                job.platform(),
                                job.errorSummary(),
                                logs.firstErrorLines(build.id(), job.platform(), ERROR_LINES)))
                        .toList());
        model.addAttribute(
                "manifestJson",
                build.manifestList() == null
                        ? null
                        : queries.manifestListJson(build.id())
                                .map(this::indented)
                                .orElse(null));
    }

    private String indented(String raw) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(raw));
        } catch (JacksonException e) {
            return raw;
        }
    }

    /** {@code linux/arm64@2.17} per platform, as the page rendered them. */
    private static Map<String, LogCursor> parseCursors(List<String> cursors) {
        Map<String, LogCursor> parsed = new HashMap<>();
        if (cursors != null) {
            for (String cursor : cursors) {
                int at = cursor.lastIndexOf('@');
                if (at > 0) {
                    parsed.put(cursor.substring(0, at), LogCursor.parse(cursor.substring(at + 1)));
                }
            }
        }
        return parsed;
    }

    /** A failed platform's panel: what failed, and the first lines of its log that look like the error. */
    public record FailedPlatform(String platform, @Nullable String summary, List<String> errorLines) {}
}
