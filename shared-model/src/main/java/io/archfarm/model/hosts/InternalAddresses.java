package io.archfarm.model.hosts;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The addresses a repository or forge URL must not reach unless an operator allows them: a URL is user input, and
 * the portal and the workers would otherwise fetch from the farm's own network on the user's behalf (SSRF).
 */
final class InternalAddresses {

    /** Instance metadata services, which hand out cloud credentials (AWS, GCP, Azure; AWS over IPv6; Alibaba; Oracle). */
    static final Set<AddressBlock> METADATA = Set.of(
            AddressBlock.parse("169.254.169.254"),
            AddressBlock.parse("fd00:ec2::254"),
            AddressBlock.parse("100.100.100.200"),
            AddressBlock.parse("192.0.0.192"));

    static final String METADATA_KIND = "a cloud metadata address";

    private static final Map<AddressBlock, String> RANGES = ranges();

    /** IPv6 prefixes that carry an IPv4 address in their last 32 bits and may reach it: NAT64 and IPv4-compatible. */
    private static final List<AddressBlock> EMBEDDING_IPV4 =
            List.of(AddressBlock.parse("64:ff9b::/96"), AddressBlock.parse("::/96"));

    private InternalAddresses() {}

    private static Map<AddressBlock, String> ranges() {
        Map<AddressBlock, String> ranges = new LinkedHashMap<>();
        ranges.put(AddressBlock.parse("0.0.0.0/8"), "an unspecified address");
        ranges.put(AddressBlock.parse("::/128"), "an unspecified address");
        ranges.put(AddressBlock.parse("127.0.0.0/8"), "a loopback address");
        ranges.put(AddressBlock.parse("::1/128"), "a loopback address");
        ranges.put(AddressBlock.parse("10.0.0.0/8"), "a private address");
        ranges.put(AddressBlock.parse("172.16.0.0/12"), "a private address");
        ranges.put(AddressBlock.parse("192.168.0.0/16"), "a private address");
        ranges.put(AddressBlock.parse("fc00::/7"), "a private address");
        ranges.put(AddressBlock.parse("fec0::/10"), "a private address");
        ranges.put(AddressBlock.parse("100.64.0.0/10"), "a carrier-grade NAT address");
        ranges.put(AddressBlock.parse("169.254.0.0/16"), "a link-local address");
        ranges.put(AddressBlock.parse("fe80::/10"), "a link-local address");
        ranges.put(AddressBlock.parse("224.0.0.0/4"), "a multicast address");
        ranges.put(AddressBlock.parse("ff00::/8"), "a multicast address");
        ranges.put(AddressBlock.parse("240.0.0.0/4"), "a reserved address");
        return ranges;
    }

    /** Why {@code address} is internal ("a private address", ...), or empty for an address on the public internet. */
    static Optional<String> kindOf(InetAddress address) {
        for (InetAddress view : views(address)) {
            if (isMetadata(view)) {
                return Optional.of(METADATA_KIND);
            }
            Optional<String> kind = RANGES.entrySet().stream()
                    .filter(range -> range.getKey().contains(view))
                    .map(Map.Entry::getValue)
                    .findFirst();
            if (kind.isPresent()) {
                return kind;
            }
        }
        return Optional.empty();
    }

    static boolean isMetadata(InetAddress address) {
        return METADATA.stream().anyMatch(block -> block.contains(address));
    }

    /**
     * {@code address} as a connection would see it: an IPv4-mapped address as its IPv4 address, and an address of a
     * prefix that embeds IPv4 also as that IPv4 address (a NAT64 gateway forwards {@code 64:ff9b::a00:5} to 10.0.0.5).
     */
    static List<InetAddress> views(InetAddress address) {
        InetAddress unmapped = IpLiterals.unmapped(address);
        List<InetAddress> views = new ArrayList<>(List.of(unmapped));
        byte[] bytes = unmapped.getAddress();
        if (EMBEDDING_IPV4.stream().anyMatch(prefix -> prefix.contains(unmapped))) {
            views.add(IpLiterals.ipv4(Arrays.copyOfRange(bytes, 12, 16)));
        }
        return views;
    }
}
