package io.archfarm.worker.build;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One entry of the egress allow-list: {@code 203.0.113.0/24}, {@code 203.0.113.7:443} or {@code host.example:443}.
 * A host name is resolved by the worker when a job's sandbox is made, and each address it gets is held to the same
 * rules as any other (an internal one is dropped unless allowed), so DNS cannot point a job into the farm.
 */
record AllowedDestination(String host, OptionalInt port) {

    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    static AllowedDestination parse(String entry) {
        String text = entry.strip();
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            Ipv4Network.parse(text);
            return new AllowedDestination(text, OptionalInt.empty());
        }
        String host = text.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + entry + "': the port is not a number");
        }
        if (port < 1 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("'" + entry + "' is not <network or host>[:<port 1..65535>]");
        }
        if (host.contains("/") || Ipv4Network.looksLikeOne(host)) {
            Ipv4Network.parse(host);
        } else if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException(
                    "'" + entry + "': '" + host + "' is neither an IPv4 network nor a " + "host name");
        }
        return new AllowedDestination(host, OptionalInt.of(port));
    }

    boolean isNetwork() {
        return host.contains("/") || Ipv4Network.looksLikeOne(host);
    }

    @Override
    public String toString() {
        return port.isPresent() ? host + ":" + port.getAsInt() : host;
    }
}
