package io.archfarm.portal.projects;

import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.problems.ApiProblem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Webhook deliveries by forge and outcome ({@code archfarm_webhook_deliveries_total}): the delivery log's results
 * (BUILT, PING, IGNORED, DUPLICATE, REJECTED, MALFORMED), and the deliveries nothing was logged for: THROTTLED (429),
 * UNKNOWN (no such project or forge, 404) and ERROR (any other answer). Counted per portal, as the deliveries it
 * answered; the forge is one of the four the farm knows or {@code other}, so that no URL can grow the label set.
 */
@Component
class WebhookDeliveryCounts {

    private final MeterRegistry registry;

    WebhookDeliveryCounts(MeterRegistry registry) {
        this.registry = registry;
    }

    void answered(String forgeName, WebhookDeliveries.Result result) {
        count(forgeName, result.name());
    }

    /** A delivery answered with a problem: the outcome the log shows for it, or what its status says. */
    void refused(String forgeName, ApiProblem problem) {
        count(
                forgeName,
                switch (problem.status()) {
                    case UNAUTHORIZED -> WebhookDeliveries.Result.REJECTED.name();
                    case BAD_REQUEST -> WebhookDeliveries.Result.MALFORMED.name();
                    case TOO_MANY_REQUESTS -> "THROTTLED";
                    case NOT_FOUND -> "UNKNOWN";
                    default -> "ERROR";
                });
    }

    private void count(String forgeName, String outcome) {
        String forge = Forge.fromWireName(forgeName)
                .map(Forge::wireName)
                .orElse("other")
                .toLowerCase(Locale.ROOT);
        Counter.builder("archfarm.webhook.deliveries")
                .description("webhook deliveries by forge and outcome")
                .tags("forge", forge, "outcome", outcome)
                .register(registry)
                .increment();
    }
}
