package io.archfarm.portal.forge.status;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on one status call, so that a forge that is down or stalls costs the background reporter a few seconds
 * and never holds a build back.
 *
 * @param connectTimeout how long to wait for the forge to accept the connection
 * @param readTimeout    how long to wait for the forge's answer once the request is sent
 */
@ConfigurationProperties("archfarm.forge-status")
@Validated
public record CommitStatusProperties(
        @DefaultValue("5s") @NotNull @DurationMin(millis = 1)
        Duration connectTimeout,

        @DefaultValue("10s") @NotNull @DurationMin(millis = 1)
        Duration readTimeout) {}
