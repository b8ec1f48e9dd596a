package io.archfarm.model.hosts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the farm may connect to a host a user named (a repository, a submodule, a forge API, an image registry). A
 * host is refused when it, or any address its name resolves to, is internal ({@link InternalAddresses}: loopback,
 * private, link-local, metadata, ULA, ...) and not allowed by the operator's setting: a DNS answer with one public and
 * one private address is refused, because the connection may take either. One rule for the portal and the workers,
 * so that what the portal accepts is what a worker checks again, with its own resolver, right before it connects.
 */
public final class HostRule {

    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal");

    private final AllowedHosts allowed;
    private final HostResolver resolver;
    private final String hint;

    private HostRule(AllowedHosts allowed, HostResolver resolver, String setting) {
        this.allowed = allowed;
        this.resolver = resolver;
        this.hint = "; an operator can allow it with " + setting;
    }

    /**
     * The rule with the exceptions of {@code setting} (such as {@code archfarm.git.allowed-hosts}): host names (exact,
     * any case), IP addresses and CIDR blocks.
     *
     * @throws IllegalArgumentException naming the setting and the entry, when an entry is none of these
     */
    public static HostRule of(String setting, List<String> allowedHosts, HostResolver resolver) {
        return new HostRule(AllowedHosts.of(setting, allowedHosts), resolver, setting);
    }

    /** Why {@code host} (as written in a URL; an IPv6 address in brackets) is refused, or empty. */
    public Optional<HostRefusal> refusal(String host) {
        return check(host).refusal();
    }

    /** The decision about {@code host}, with the addresses its name resolved to when it passed. */
    public HostCheck check(String host) {
        if (host.length() > 2 && host.startsWith("[") && host.endsWith("]")) {
            String literal = host.substring(1, host.length() - 1);
            return IpLiterals.parse(literal)
                    .map(address -> checkLiteral(literal, address))
                    .orElseGet(() -> refused("host '" + host + "' is not a valid IPv6 address"));
        }
        Optional<InetAddress> literal = IpLiterals.parse(host);
        if (literal.isPresent()) {
            return checkLiteral(host, literal.get());
        }
        if (IpLiterals.isAmbiguousIpv4(host)) {
            return refused("host '" + host + "' is a numeric address in a form that git and the farm read "
                    + "differently; write it as four decimal numbers (a.b.c.d)");
        }
        String name = HostNames.normalised(host);
        if (!HostNames.isValid(name)) {
            return refused("host '" + host + "' is not a valid host name");
        }
        if (allowed.allowsName(name)) {
            return HostCheck.passed();
        }
        if (METADATA_NAMES.contains(name)) {
            return refused("host '" + host + "' is " + InternalAddresses.METADATA_KIND + hint);
        }
        return checkName(host);
    }

    private HostCheck checkLiteral(String literal, InetAddress address) {
        if (allowed.allowsAddress(address)) {
            return HostCheck.passed();
        }
        return InternalAddresses.kindOf(address)
                .map(kind -> refused("host " + literal + " is " + kind + hint))
                .orElseGet(HostCheck::passed);
    }

    private HostCheck checkName(String host) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return HostCheck.refused(HostRefusal.unresolved(host));
        }
        if (addresses.isEmpty()) {
            return HostCheck.refused(HostRefusal.unresolved(host));
        }
        for (InetAddress address : addresses) {
            if (!allowed.allowsAddress(address)) {
                Optional<String> kind = InternalAddresses.kindOf(address);
                if (kind.isPresent()) {
                    return refused("host '" + host + "' resolves to "
                            + IpLiterals.unmapped(address).getHostAddress() + ", " + kind.get() + hint);
                }
            }
        }
        return HostCheck.passed(addresses);
    }

    private static HostCheck refused(String reason) {
        return HostCheck.refused(HostRefusal.refused(reason));
    }
}
