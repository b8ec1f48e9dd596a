package io.archfarm.model.hosts;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A CIDR block ({@code 10.20.0.0/16}, {@code fc00::/7}) or a single address. Written with the JDK because the only
 * matcher on the class path (Spring Security's {@code IpAddressMatcher}) parses through
 * {@link InetAddress#getByName}, which reads {@code 10} as {@code 0.0.0.10}; here only strict literals are taken.
 */
record AddressBlock(byte[] network, int prefixLength) {

    AddressBlock {
        network = network.clone();
    }

    /**
     * Parses {@code address} or {@code address/prefixLength}; throws {@link IllegalArgumentException} naming the text
     * when it is neither.
     */
    static AddressBlock parse(String text) {
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = IpLiterals.parse(literal)
                .orElseThrow(() -> new IllegalArgumentException(
                        "'" + text + "' is not an IP address or CIDR block (such as 10.20.0.0/16 or fd12::/48)"));
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        if (slash < 0) {
            return new AddressBlock(bytes, bits);
        }
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length that is not 0.." + bits);
        }
        return new AddressBlock(bytes, Integer.parseInt(prefix));
    }

    /** True when {@code address} (IPv4-mapped IPv6 counts as IPv4) lies inside this block. */
    boolean contains(InetAddress address) {
        byte[] candidate = IpLiterals.unmapped(address).getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        if (!Arrays.equals(candidate, 0, whole, network, 0, whole)) {
            return false;
        }
        int rest = prefixLength % 8;
        int mask = (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (candidate[whole] & mask) == (network[whole] & mask);
    }

    boolean isSingleAddress() {
        return prefixLength == network.length * 8;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressBlock block
                && prefixLength == block.prefixLength
                && Arrays.equals(network, block.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        String address = IpLiterals.text(network);
        return isSingleAddress() ? address : address + "/" + prefixLength;
    }
}
