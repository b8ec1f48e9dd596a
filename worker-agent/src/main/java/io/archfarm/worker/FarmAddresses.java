package io.archfarm.worker;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPv4 addresses of the farm's own services this worker knows (its broker, the registries it is told about), so
 * that RUN steps are denied them even where they are public addresses, which egress {@code outside} would let through.
 * Resolved once, at start; an operator whose services move lists them in {@code archfarm.isolation.deny} too.
 */
final class FarmAddresses {

    private static final Logger LOG = LoggerFactory.getLogger(FarmAddresses.class);

    private FarmAddresses() {}

    /** @param hosts host names or addresses, each optionally with {@code :port} */
    static List<String> of(Collection<String> hosts) {
        Set<String> addresses = new LinkedHashSet<>();
        for (String host : hosts) {
            String name = hostOf(host);
            if (name.isEmpty()) {
                continue;
            }
            try {
                for (InetAddress address : InetAddress.getAllByName(name)) {
                    if (address instanceof Inet4Address) {
                        addresses.add(address.getHostAddress() + "/32");
                    }
                }
            } catch (UnknownHostException e) {
                LOG.warn(
                        "{} does not resolve now: RUN steps are not denied its addresses unless "
                                + "archfarm.isolation.deny lists them",
                        name);
            }
        }
        return List.copyOf(addresses);
    }

    private static String hostOf(String hostAndPort) {
        String value = hostAndPort.strip();
        if (value.startsWith("[")) {
            return value.substring(1, Math.max(1, value.indexOf(']')));
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }
}
