package io.archfarm.model.hosts;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's exceptions to {@link InternalAddresses} (such as {@code archfarm.git.allowed-hosts}): host names,
 * matched exactly and without case, and IP addresses or CIDR blocks that resolved addresses are matched against.
 */
final class AllowedHosts {

    private final Set<String> names;
    private final List<AddressBlock> blocks;

    private AllowedHosts(Set<String> names, List<AddressBlock> blocks) {
        this.names = names;
        this.blocks = blocks;
    }

    /**
     * Reads the entries of {@code setting}; a malformed one stops the part from starting, naming the setting, the
     * entry and what is expected.
     */
    static AllowedHosts of(String setting, List<String> entries) {
        Set<String> names = new TreeSet<>();
        List<AddressBlock> blocks = new ArrayList<>();
        for (String raw : entries) {
            String entry = unbracketed(raw.strip());
            if (entry.isEmpty()) {
                continue;
            }
            String name = HostNames.normalised(entry);
            if (entry.contains("/")
                    || entry.contains(":")
                    || IpLiterals.parse(entry).isPresent()) {
                blocks.add(parseBlock(setting, entry));
            } else if (HostNames.isValid(name) && !IpLiterals.isAmbiguousIpv4(name)) {
                names.add(name);
            } else {
                throw new IllegalArgumentException(setting + ": '" + entry + "' is not a host name, an IP address or "
                        + "a CIDR block (such as git.example.com, 10.0.0.5 or 10.20.0.0/16)");
            }
        }
        return new AllowedHosts(names, List.copyOf(blocks));
    }

    private static AddressBlock parseBlock(String setting, String entry) {
        try {
            return AddressBlock.parse(entry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }

    private static String unbracketed(String entry) {
        return entry.startsWith("[") && entry.endsWith("]") ? entry.substring(1, entry.length() - 1) : entry;
    }

    boolean allowsName(String host) {
        return names.contains(HostNames.normalised(host));
    }

    /**
     * True when an entry covers {@code address} as a connection would reach it. A cloud metadata address passes only
     * through an entry for that one address: a broad block such as 169.254.0.0/16 is rarely meant to open the
     * instance's credentials.
     */
    boolean allowsAddress(InetAddress address) {
        return InternalAddresses.views(address).stream()
                .anyMatch(view -> blocks.stream()
                        .anyMatch(block -> block.contains(view)
                                && (block.isSingleAddress() || !InternalAddresses.isMetadata(view))));
    }
}
