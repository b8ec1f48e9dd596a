package io.archfarm.portal.dashboard;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How fresh a team's 30-day statistics (success rates, durations) must be. Computing them reads every build and
 * platform job of the last 30 days, so the portal keeps the last result per team: younger than
 * {@code refreshAfter} it is shown as it is; older, it is still shown while a new one is computed in the background;
 * older than {@code expireAfter} (nobody looked for a while) the request waits for a new one.
 */
@ConfigurationProperties("archfarm.dashboard")
@Validated
record DashboardProperties(
        @DefaultValue("60s") @NotNull Duration statisticsRefreshAfter,
        @DefaultValue("10m") @NotNull Duration statisticsExpireAfter) {}
