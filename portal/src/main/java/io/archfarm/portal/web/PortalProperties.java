package io.archfarm.portal.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxRequestBytes the largest request body the API reads; larger ones get 413
 * @param maxWebhookBytes the largest webhook delivery read (GitHub caps its payloads at 25 MB)
 * @param maxRejectedDeliveriesPerMinute how many unauthenticated (401) deliveries a project's log takes a minute;
 *                        more are answered the same but not logged, so that nobody can fill the database
 * @param publicUrl       where people and forges reach this portal: the base of webhook URLs and of the build links
 *                        in commit statuses
 * @param liveInterval    how often an open build page is told what changed (job states, new log lines)
 * @param liveTimeout     how long one live stream stays open; the page reconnects where it left off
 * @param liveKeepAlive   the longest a live stream stays silent: then it gets a comment line, which keeps proxies
 *                        from closing it and tells the portal when its reader has gone
 * @param webhookDuplicateWindow a push (ref and commit) that a webhook of the same project already built within
 *                        this window starts nothing: a forge's retry under a new delivery id, or a replay
 */
@ConfigurationProperties("archfarm.portal")
@Validated
public record PortalProperties(
        @DefaultValue("65536") @Positive long maxRequestBytes,
        @DefaultValue("26214400") @Positive long maxWebhookBytes,
        @DefaultValue("60") @Positive int maxRejectedDeliveriesPerMinute,
        @DefaultValue("http://127.0.0.1:8080") @NotNull URI publicUrl,
        @DefaultValue("500ms") @NotNull Duration liveInterval,
        @DefaultValue("10m") @NotNull Duration liveTimeout,
        @DefaultValue("10s") @NotNull Duration liveKeepAlive,
        @DefaultValue("10m") @NotNull Duration webhookDuplicateWindow) {

    /** {@code publicUrl} followed by {@code path} (which starts with '/'), without a doubled slash. */
    public String link(String path) {
        String base = publicUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }
}
