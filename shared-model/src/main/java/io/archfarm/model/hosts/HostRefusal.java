package io.archfarm.model.hosts;

/**
 * Why the farm will not connect to a host a user named.
 *
 * @param unresolved true when the only objection is that the name resolves to no address now: a DNS outage looks the
 *                   same, so a caller that checks again right before connecting may treat it as transient
 * @param reason     a sentence naming the host and why, with the setting that would allow it where one would
 */
public record HostRefusal(boolean unresolved, String reason) {

    static HostRefusal refused(String reason) {
        return new HostRefusal(false, reason);
    }

    static HostRefusal unresolved(String host) {
        return new HostRefusal(true, "host '" + host + "' does not resolve to any address");
    }
}
