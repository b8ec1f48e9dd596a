package io.archfarm.portal.projects;

import io.archfarm.model.logging.JobLogContext;
import io.archfarm.portal.accounts.Accounts;
import io.archfarm.portal.accounts.Team;
import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.ForgeEvent;
import io.archfarm.portal.forge.webhook.ForgeEvents;
import io.archfarm.portal.forge.webhook.MalformedWebhookException;
import io.archfarm.portal.forge.webhook.WebhookRejectedException;
import io.archfarm.portal.forge.webhook.WebhookSignatures;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.projects.WebhookDeliveries.Result;
import io.archfarm.portal.secrets.SecretBox;
import io.archfarm.portal.web.PortalProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * One webhook URL per project per forge: {@code POST /hooks/{team}/{project}/{forge}}. Each delivery is checked
 * exactly as its forge signs it, logged with what the farm did, and done at most once per delivery id.
 */
@RestController
@Tag(name = "Webhooks", description = "what forges send on a push; signed, no API token")
class WebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookController.class);

    private final Accounts accounts;
    private final Projects projects;
    private final ProjectBuilds builds;
    private final WebhookDeliveries deliveries;
    private final SecretBox secrets;
    private final TransactionTemplate transaction;
    private final PortalProperties portal;
    private final WebhookFloods floods;
    private final Clock clock;
    private final WebhookDeliveryCounts counts;

    WebhookController(
            Accounts accounts,
            Projects projects,
            ProjectBuilds builds,
            WebhookDeliveries deliveries,
            SecretBox secrets,
            TransactionTemplate transaction,
            PortalProperties portal,
            WebhookFloods floods,
            Clock clock,
            WebhookDeliveryCounts counts) {
        this.floods = floods;
        this.counts = counts;
        this.clock = clock;
        this.accounts = accounts;
        this.projects = projects;
        this.builds = builds;
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.transaction = transaction;
        this.portal = portal;
    }

    /** Handles one delivery and counts its outcome ({@link WebhookDeliveryCounts}). */
    @Operation(
            summary = "A forge's delivery (GitHub, GitLab, Gitea, Forgejo): a push builds the pushed commit",
            description = """
                    Authenticated by the forge's signature of the body with the project's webhook secret (GitLab: \
                    the secret itself as a token), not by an API token. Every delivery is logged with what came of \
                    it (GET /api/v1/projects/{team}/{project}/deliveries); a delivery id already handled, or a push \
                    of a ref and commit a webhook of the project built within the duplicate window, starts \
                    nothing.""")
    @Parameter(name = "forge", in = ParameterIn.PATH, description = "github, gitlab, gitea or forgejo")
    @Parameter(
            name = "X-Hub-Signature-256",
            in = ParameterIn.HEADER,
            description = "GitHub: sha256=HMAC-SHA256 of " + "the body with the webhook secret",
            example = "sha256=5b1e...")
    @Parameter(
            name = "X-GitHub-Event",
            in = ParameterIn.HEADER,
            description = "GitHub, and Gitea's copy: push, " + "ping, ...")
    @Parameter(name = "X-GitHub-Delivery", in = ParameterIn.HEADER, description = "GitHub: the delivery id")
    @Parameter(name = "X-Gitlab-Token", in = ParameterIn.HEADER, description = "GitLab: the webhook secret itself")
    @Parameter(name = "X-Gitlab-Event", in = ParameterIn.HEADER, description = "GitLab: Push Hook, Tag Push Hook")
    @Parameter(name = "X-Gitlab-Event-UUID", in = ParameterIn.HEADER, description = "GitLab: the delivery id")
    @Parameter(
            name = "X-Gitea-Signature",
            in = ParameterIn.HEADER,
            description = "Gitea: hex HMAC-SHA256 of the " + "body with the webhook secret")
    @Parameter(name = "X-Gitea-Event", in = ParameterIn.HEADER, description = "Gitea: push")
    @Parameter(name = "X-Gitea-Delivery", in = ParameterIn.HEADER, description = "Gitea: the delivery id")
    @Parameter(
            name = "X-Forgejo-Signature",
            in = ParameterIn.HEADER,
            description = "Forgejo: hex HMAC-SHA256 of " + "the body with the webhook secret")
    @Parameter(name = "X-Forgejo-Event", in = ParameterIn.HEADER, description = "Forgejo: push")
    @Parameter(name = "X-Forgejo-Delivery", in = ParameterIn.HEADER, description = "Forgejo: the delivery id")
    @ApiResponse(
            responseCode = "202",
            description = "BUILT (build and buildUrl name it) or IGNORED (another event, "
                    + "a deletion, a ref outside the filters: detail says which)",
            useReturnTypeSchema = true)
    @ApiResponse(
            responseCode = "200",
            description = "PING, or DUPLICATE (build names what the first delivery " + "started)",
            useReturnTypeSchema = true)
    @ApiResponse(responseCode = "413", description = "larger than archfarm.portal.max-webhook-bytes")
    @PostMapping("/hooks/{team}/{project}/{forge}")
    ResponseEntity<DeliveryAnswer> deliver(
            @PathVariable String team,
            @PathVariable String project,
            @PathVariable("forge") String forgeName,
            @Parameter(hidden = true) @RequestHeader HttpHeaders headers,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            description = "the forge's payload, exactly as it "
                                    + "sent it (the signature covers these bytes)",
                            content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
                    @RequestBody(required = false)
                    byte[] body) {
        ResponseEntity<DeliveryAnswer> answer;
        try {
            answer = handle(team, project, forgeName, headers, body);
        } catch (ApiProblem problem) {
            counts.refused(forgeName, problem);
            throw problem;
        }
        // every answer handle() gives has a body
        counts.answered(forgeName, Objects.requireNonNull(answer.getBody()).result());
        return answer;
    }

    private ResponseEntity<DeliveryAnswer> handle(
            String team, String project, String forgeName, HttpHeaders headers, byte[] body) {
        Forge forge = Forge.fromWireName(forgeName)
                .orElseThrow(() -> ApiProblem.notFound(
                        "no webhook for forge '" + forgeName + "': expected github, gitlab, gitea or forgejo"));
        Team owner = accounts.teamBySlug(team).orElseThrow(() -> unknownProject(team, project));
        Project found = projects.findOptional(owner, project).orElseThrow(() -> unknownProject(team, project));
        floods.admit(found.id()).ifPresent(wait -> {
            throw ApiProblem.tooManyRequests(
                    "project '" + team + "/" + project + "' takes at most " + floods.limit()
                            + "; this delivery was not read",
                    wait);
        });
        byte[] payload = body == null ? new byte[0] : body;
        try {
            WebhookSignatures.verify(forge, headers, payload, secrets.open(found.sealedWebhookSecret()));
        } catch (WebhookRejectedException e) {
            logRejected(found, forge, headers, e.getMessage());
            throw ApiProblem.unauthorized(e.getMessage());
        }
        ForgeEvent event;
        try {
            event = ForgeEvents.parse(forge, headers, payload);
        } catch (MalformedWebhookException e) {
            deliveries.log(
                    found.id(),
                    forge,
                    ForgeEvents.claimedDeliveryId(forge, headers).orElse(null),
                    ForgeEvents.claimedEvent(forge, headers).orElse(null),
                    Result.MALFORMED,
                    e.getMessage(),
                    null);
            throw ApiProblem.badRequest(e.getMessage());
        }
        return switch (event) {
            case ForgeEvent.Ping ping -> once(found, forge, ping, Result.PING, "pong", HttpStatus.OK);
            case ForgeEvent.Other other ->
                once(found, forge, other, Result.IGNORED, other.reason(), HttpStatus.ACCEPTED);
            case ForgeEvent.Push push -> push(found, forge, push);
        };
    }

    /**
     * Logs a delivery that failed authentication, unless the project already logged
     * {@code archfarm.portal.max-rejected-deliveries-per-minute} of them in the last minute: anyone can send those,
     * and they must not fill the database. Authentic deliveries are always logged.
     */
    private void logRejected(Project project, Forge forge, HttpHeaders headers, @Nullable String why) {
        if (deliveries.rejectedInLastMinute(project.id()) >= portal.maxRejectedDeliveriesPerMinute()) {
            LOG.warn(
                    "{} webhook for {} rejected and not logged (over {} rejected deliveries a minute): {}",
                    forge.wireName(),
                    project.slug(),
                    portal.maxRejectedDeliveriesPerMinute(),
                    why);
            return;
        }
        deliveries.log(
                project.id(),
                forge,
                ForgeEvents.claimedDeliveryId(forge, headers).orElse(null),
                ForgeEvents.claimedEvent(forge, headers).orElse(null),
                Result.REJECTED,
                why,
                null);
    }

    private ResponseEntity<DeliveryAnswer> push(Project project, Forge forge, ForgeEvent.Push push) {
        String what = (push.kind() == ForgeEvent.RefKind.BRANCH ? "branch '" : "tag '") + push.name() + "'";
        if (push.deletion()) {
            return once(
                    project,
                    forge,
                    push,
                    Result.IGNORED,
                    "deletion of " + what + " starts no build",
                    HttpStatus.ACCEPTED);
        }
        boolean branch = push.kind() == ForgeEvent.RefKind.BRANCH;
        List<String> filters = branch ? project.branchFilters() : project.tagFilters();
        if (!RefFilters.matches(filters, push.name())) {
            return once(
                    project,
                    forge,
                    push,
                    Result.IGNORED,
                    what + " does not match the project's " + (branch ? "branchFilters " : "tagFilters ") + filters,
                    HttpStatus.ACCEPTED);
        }
        // only a deletion names no commit, and deletions were answered above
        String commit = Objects.requireNonNull(push.commit(), "a push that deletes nothing names its commit");
        String fullRef = (branch ? ProjectBuilds.BRANCH_PREFIX : ProjectBuilds.TAG_PREFIX) + push.name();
        String detail = "push to " + what + " at " + commit + ": build started";
        Duration window = portal.webhookDuplicateWindow();
        PushOutcome outcome = transaction.execute(tx -> {
            deliveries.holdPush(project.id(), push.name(), commit);
            if (deliveries.first(project.id(), forge, push.deliveryId()).isPresent()) {
                return new PushOutcome.SameDelivery(); // said as such, before the rule for the same push
            }
            Optional<WebhookDeliveries.EarlierBuild> earlier = deliveries.builtByWebhookSince(
                    project.id(), push.name(), commit, Instant.now(clock).minus(window));
            if (earlier.isPresent()) {
                return new PushOutcome.AlreadyBuilt(earlier.get());
            }
            Optional<UUID> claimed =
                    deliveries.claim(project.id(), forge, push.deliveryId(), push.event(), Result.BUILT, detail);
            if (claimed.isEmpty()) {
                return new PushOutcome.SameDelivery(); // claimed by a delivery of the same id a moment ago
            }
            String pusher = push.pusher() == null ? forge.wireName() : push.pusher() + "@" + forge.wireName();
            UUID build = builds.startForPush(project, fullRef, commit, pusher);
            deliveries.attachBuild(claimed.get(), build);
            return new PushOutcome.Started(
                    new DeliveryAnswer(Result.BUILT, detail, build, portal.link("/builds/" + build)));
        });
        return switch (outcome) {
            case PushOutcome.Started started -> {
                try (var context = JobLogContext.ofBuild(started.answer().build())) {
                    LOG.info("{} webhook {} for {}: {}", forge.wireName(), push.deliveryId(), project.slug(), detail);
                }
                yield ResponseEntity.status(HttpStatus.ACCEPTED).body(started.answer());
            }
            case PushOutcome.AlreadyBuilt built -> samePush(project, forge, push, what, built.earlier(), window);
            case PushOutcome.SameDelivery same -> duplicate(project, forge, push);
        };
    }

    /** What the transaction of a push decided. */
    private sealed interface PushOutcome {

        record Started(DeliveryAnswer answer) implements PushOutcome {}

        /** The same push (ref and commit) was built by a webhook within the window. */
        record AlreadyBuilt(WebhookDeliveries.EarlierBuild earlier) implements PushOutcome {}

        /** A delivery with this id (in any case) was handled before. */
        record SameDelivery() implements PushOutcome {}
    }

    /**
     * A push a webhook of this project already built within {@code archfarm.portal.webhook-duplicate-window}: a
     * forge's retry under a new id, or a captured delivery sent again. Nothing starts; the log says which build.
     */
    private ResponseEntity<DeliveryAnswer> samePush(
            Project project,
            Forge forge,
            ForgeEvent.Push push,
            String what,
            WebhookDeliveries.EarlierBuild earlier,
            Duration window) {
        String detail = "push to " + what + " at " + push.commit() + " was already built by build #"
                + earlier.number() + " (" + earlier.id() + "), started by delivery " + earlier.deliveryId() + " at "
                + earlier.at() + "; nothing started (the same push within " + window.toMinutes() + " minutes)";
        deliveries.log(project.id(), forge, push.deliveryId(), push.event(), Result.DUPLICATE, detail, earlier.id());
        LOG.info("{} webhook {} for {}: {}", forge.wireName(), push.deliveryId(), project.slug(), detail);
        return ResponseEntity.ok(
                new DeliveryAnswer(Result.DUPLICATE, detail, earlier.id(), portal.link("/builds/" + earlier.id())));
    }

    /** Logs the delivery with its result once; a redelivery of the same id is logged as a duplicate. */
    private ResponseEntity<DeliveryAnswer> once(
            Project project, Forge forge, ForgeEvent event, Result result, String detail, HttpStatus status) {
        if (deliveries
                .claim(project.id(), forge, event.deliveryId(), event.event(), result, detail)
                .isEmpty()) {
            return duplicate(project, forge, event);
        }
        return ResponseEntity.status(status).body(new DeliveryAnswer(result, detail, null, null));
    }

    private ResponseEntity<DeliveryAnswer> duplicate(Project project, Forge forge, ForgeEvent event) {
        Optional<WebhookDeliveries.DeliveryView> first = deliveries.first(project.id(), forge, event.deliveryId());
        UUID build = first.map(WebhookDeliveries.DeliveryView::build).orElse(null);
        String detail = "delivery " + event.deliveryId() + " was already handled ("
                + first.map(d -> d.result() + ": " + d.detail()).orElse("earlier") + "); nothing done again";
        deliveries.log(project.id(), forge, event.deliveryId(), event.event(), Result.DUPLICATE, detail, build);
        return ResponseEntity.ok(new DeliveryAnswer(
                Result.DUPLICATE, detail, build, build == null ? null : portal.link("/builds/" + build)));
    }

    private static ApiProblem unknownProject(String team, String project) {
        return ApiProblem.notFound("project '" + team + "/" + project + "' does not exist");
    }

    /** What the forge is told (and shows in its delivery log). */
    record DeliveryAnswer(
            Result result,
            String detail,
            @Nullable UUID build,
            @Nullable String buildUrl) {}
}
