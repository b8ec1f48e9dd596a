package io.archfarm.model.hosts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals as they appear in URLs and configuration, parsed without ever asking DNS.
 * <p>
 * Only the plain dotted quad is taken as IPv4. Forms such as {@code 0177.0.0.1}, {@code 0x7f.1} or {@code 2130706433}
 * are read differently by different parsers (the JDK takes {@code 0177} as decimal 177, curl and so git as octal
 * 127), so the farm refuses them instead of guessing which address git would connect to.
 */
final class IpLiterals {

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** What inet_aton (and curl) accept as IPv4: one to four decimal, octal or hex numbers. */
    private static final Pattern NUMERIC_IPV4 =
            Pattern.compile("(?i)(0x[0-9a-f]*|\\d+)(\\.(0x[0-9a-f]*|\\d+)){0,3}\\.?");

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private IpLiterals() {}

    /** The address {@code text} spells (a dotted quad or an IPv6 literal without brackets), or empty. */
    static Optional<InetAddress> parse(String text) {
        if (!DOTTED_QUAD.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // a dotted quad or a text with a colon is parsed as a literal by the JDK, never looked up
            return Optional.of(unmapped(InetAddress.getByName(text)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** True for a host that some parser reads as IPv4 but that is not a plain dotted quad. */
    static boolean isAmbiguousIpv4(String host) {
        return NUMERIC_IPV4.matcher(host).matches()
                && !DOTTED_QUAD.matcher(host).matches();
    }

    /** {@code ::ffff:a.b.c.d} as the IPv4 address it stands for; every other address unchanged. */
    static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
            return ipv4(Arrays.copyOfRange(bytes, 12, 16));
        }
        return address;
    }

    /** The IPv4 address of four {@code bytes}. */
    static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + Arrays.toString(bytes), e);
        }
    }

    /** The JDK's text of the address {@code bytes} (4 or 16 of them). */
    static String text(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + Arrays.toString(bytes), e);
        }
    }
}
