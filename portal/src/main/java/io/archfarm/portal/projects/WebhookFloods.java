package io.archfarm.portal.projects;

import io.archfarm.portal.web.ThrottleProperties;
import io.archfarm.portal.web.TokenBuckets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * How many webhook deliveries each project takes per window ({@code archfarm.throttle.deliveries-per-project}),
 * counted before the signature is checked: a flood of forged deliveries must cost neither HMAC time nor rows.
 */
@Component
class WebhookFloods {

    private final TokenBuckets<UUID> projects;
    private final ThrottleProperties properties;

    WebhookFloods(ThrottleProperties properties) {
        this.properties = properties;
        this.projects = new TokenBuckets<>(properties.deliveriesPerProject(), properties.deliveryWindow());
    }

    /** Empty when the project takes this delivery, else how long until it takes another. */
    Optional<Duration> admit(UUID project) {
        return projects.take(project);
    }

    String limit() {
        return properties.deliveriesPerProject() + " deliveries per "
                + properties.deliveryWindow().toSeconds() + " seconds";
    }
}
