package io.archfarm.portal.git;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the farm may connect to a host named in a URL a user gave it. A host is refused when it, or any address
 * its name resolves to, is internal ({@link InternalAddresses}) and not allowed by {@link AllowedHosts}: a DNS answer
 * with one public and one private address is refused, because the connection may take either.
 */
final class HostPolicy {

    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal");
    private static final String HINT = "; an operator can allow it with " + AllowedHosts.PROPERTY;

    private final AllowedHosts allowed;
    private final HostResolver resolver;

    HostPolicy(AllowedHosts allowed, HostResolver resolver) {
        this.allowed = allowed;
        this.resolver = resolver;
    }

    /** Why {@code host} (as written in the URL; an IPv6 address in brackets) is refused, or empty. */
    Optional<String> refusal(String host) {
        if (host.length() > 2 && host.startsWith("[") && host.endsWith("]")) {
            String literal = host.substring(1, host.length() - 1);
            return IpLiterals.parse(literal).map(address -> refusalOf(literal, address))
                    .orElseGet(() -> Optional.of("host '" + host + "' is not a valid IPv6 address"));
        }
        Optional<InetAddress> literal = IpLiterals.parse(host);
        if (literal.isPresent()) {
            return refusalOf(host, literal.get());
        }
        if (IpLiterals.isAmbiguousIpv4(host)) {
            return Optional.of("host '" + host + "' is a numeric address in a form that git and the farm read "
                    + "differently; write it as four decimal numbers (a.b.c.d)");
        }
        String name = HostNames.normalised(host);
        if (!HostNames.isValid(name)) {
            return Optional.of("host '" + host + "' is not a valid host name");
        }
        if (allowed.allowsName(name)) {
            return Optional.empty();
        }
        if (METADATA_NAMES.contains(name)) {
            return Optional.of("host '" + host + "' is " + InternalAddresses.METADATA_KIND + HINT);
        }
        return refusalOfName(host);
    }

    private Optional<String> refusalOf(String literal, InetAddress address) {
        if (allowed.allowsAddress(address)) {
            return Optional.empty();
        }
        return InternalAddresses.kindOf(address).map(kind -> "host " + literal + " is " + kind + HINT);
    }

    private Optional<String> refusalOfName(String host) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("host '" + host + "' does not resolve to any address");
        }
        if (addresses.isEmpty()) {
            return Optional.of("host '" + host + "' does not resolve to any address");
        }
        for (InetAddress address : addresses) {
            if (!allowed.allowsAddress(address)) {
                Optional<String> kind = InternalAddresses.kindOf(address);
                if (kind.isPresent()) {
                    return Optional.of("host '" + host + "' resolves to "
                            + IpLiterals.unmapped(address).getHostAddress() + ", " + kind.get() + HINT);
                }
            }
        }
        return Optional.empty();
    }
}
