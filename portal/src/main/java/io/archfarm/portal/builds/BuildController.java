package io.archfarm.portal.builds;

import io.archfarm.model.BuildStatus;
import io.archfarm.portal.web.ApiProblem;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/builds")
class BuildController {

    private static final int MAX_LIMIT = 500;

    private final BuildRequestValidator validator;
    private final BuildService service;
    private final BuildQueries queries;
    private final BuildLogs logs;

    BuildController(BuildRequestValidator validator, BuildService service, BuildQueries queries, BuildLogs logs) {
        this.validator = validator;
        this.service = service;
        this.queries = queries;
        this.logs = logs;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<BuildView> submit(@RequestBody(required = false) BuildRequestBody body) {
        UUID id = service.submit(validator.validate(body));
        return ResponseEntity.accepted().location(URI.create("/api/v1/builds/" + id)).body(existing(id));
    }

    @GetMapping("/{id}")
    BuildView build(@PathVariable UUID id) {
        return existing(id);
    }

    @GetMapping
    List<BuildView> recent(@RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.badRequest("limit", "limit " + limit + " is out of range: expected 1.." + MAX_LIMIT);
        }
        return queries.recent(statusOf(status), limit);
    }

    @GetMapping(value = "/{id}/logs", produces = "text/plain;charset=UTF-8")
    String logs(@PathVariable UUID id, @RequestParam(required = false) String platform) {
        return logs.of(id, platform);
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<BuildView> cancel(@PathVariable UUID id) {
        service.cancel(id);
        return ResponseEntity.accepted().body(existing(id));
    }

    private BuildView existing(UUID id) {
        return queries.view(id).orElseThrow(() -> ApiProblem.notFound("build " + id + " does not exist"));
    }

    private static Optional<BuildStatus> statusOf(String status) {
        if (status == null || status.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BuildStatus.valueOf(status.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("status", "unknown build status '" + status + "': expected one of "
                    + List.of(BuildStatus.values()));
        }
    }
}
