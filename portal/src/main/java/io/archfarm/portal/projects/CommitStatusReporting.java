package io.archfarm.portal.projects;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the portal reports commit statuses in the background.
 *
 * @param pollInterval how often it looks for statuses owed to a forge
 * @param firstRetry   the wait after the first failed call; it doubles after each failure, up to {@code maxRetry}
 * @param maxRetry     the longest wait between two calls for one build
 * @param maxAttempts  failed calls after which the farm stops reporting for that build (the error stays recorded)
 * @param lease        how long one portal instance holds a status it is reporting before another may try
 */
@ConfigurationProperties("archfarm.commit-statuses")
@Validated
record CommitStatusReporting(
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue("2s") @NotNull Duration firstRetry,
        @DefaultValue("5m") @NotNull Duration maxRetry,
        @DefaultValue("40") @Positive int maxAttempts,
        @DefaultValue("2m") @NotNull Duration lease) {}
