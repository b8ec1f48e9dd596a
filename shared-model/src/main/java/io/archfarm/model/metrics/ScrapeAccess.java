package io.archfarm.model.metrics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who may read a part's metrics ({@code /actuator/prometheus}), build information ({@code /actuator/info}) and any
 * other actuator endpoint but health: a scraper on the part's own host (a loopback address), or one that presents
 * the farm's scrape token ({@code archfarm.metrics.scrape-token}) as {@code Authorization: Bearer <token>}. The same
 * rule on the portal, the scheduler and the workers' management ports, so a Prometheus elsewhere needs the token and
 * nothing else; health stays open to all, as before. None of these holds a secret, but they name platforms,
 * versions and how busy the farm is, which is no business of the internet.
 */
public final class ScrapeAccess {

    private static final String ACTUATOR = "/actuator";
    private static final String HEALTH = ACTUATOR + "/health";
    /** What a refused scraper is told to send ({@code WWW-Authenticate}). */
    public static final String CHALLENGE = "Bearer realm=\"archfarm-metrics\"";

    static final int MIN_TOKEN_LENGTH = 16;
    private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%\\w]*");
    private static final String BEARER = "Bearer ";

    private final byte @Nullable [] token;

    /**
     * @param token the scrape token, or null or blank for none: then only loopback scrapers are let in
     * @throws IllegalArgumentException for a token shorter than 16 characters, naming the setting
     */
    public ScrapeAccess(@Nullable String token) {
        if (token == null || token.isBlank()) {
            this.token = null;
            return;
        }
        if (token.strip().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("archfarm.metrics.scrape-token must be at least " + MIN_TOKEN_LENGTH
                    + " characters (e.g. openssl rand -hex 32)");
        }
        this.token = token.strip().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether the rule guards {@code path}: everything under {@code /actuator} but health.
     *
     * @param path the request's path as the servlet container decoded and normalised it (its servlet path and path
     *             info, without {@code ;} parameters), so that no spelling of a guarded path passes
     */
    public static boolean guards(@Nullable String path) {
        String normal = path == null ? "" : path.replaceAll("/{2,}", "/");
        boolean actuator = normal.equals(ACTUATOR) || normal.startsWith(ACTUATOR + "/");
        boolean health = normal.equals(HEALTH) || normal.startsWith(HEALTH + "/");
        return actuator && !health;
    }

    /**
     * @param remoteAddress the client's address as the server sees it (behind a trusted proxy, the forwarded one)
     * @param authorization the request's {@code Authorization} header, or null
     */
    public boolean allows(@Nullable String remoteAddress, @Nullable String authorization) {
        return fromLoopback(remoteAddress) || presentsToken(authorization);
    }

    private boolean presentsToken(@Nullable String authorization) {
        if (token == null
                || authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, presented);
    }

    /** An address literal on loopback ({@code 127.0.0.0/8}, {@code ::1}, {@code ::ffff:127.x.y.z}); never looked up. */
    static boolean fromLoopback(@Nullable String remoteAddress) {
        if (remoteAddress == null || !ADDRESS_LITERAL.matcher(remoteAddress).matches()) {
            return false;
        }
        try {
            // a literal: the JDK parses it and asks no resolver; a mapped IPv4 address comes back as that IPv4
            return InetAddress.getByName(remoteAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
