package io.archfarm.worker.build;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 network written {@code a.b.c.d/len} (or a single address), as nftables takes it. Parsed without DNS: a
 * name here is refused, so a setting can never make the worker resolve anything.
 */
record Ipv4Network(int address, int prefix) {

    private static final Pattern FORM =
            Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");

    Ipv4Network {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is not 0..32");
        }
        address &= mask(prefix);
    }

    static Ipv4Network parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 network such as 203.0.113.0/24 "
                    + "(IPv6 egress is not offered: a job's namespace has no IPv6 address)");
        }
        int address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' has an octet above 255");
            }
            address = address << 8 | octet;
        }
        return new Ipv4Network(address, m.group(5) == null ? 32 : Integer.parseInt(m.group(5)));
    }

    static boolean looksLikeOne(String text) {
        return FORM.matcher(text.strip()).matches();
    }

    /** How many blocks of {@code 2^(32-blockPrefix)} addresses this network holds. */
    int blocks(int blockPrefix) {
        return blockPrefix < prefix ? 0 : 1 << (blockPrefix - prefix);
    }

    /** The address {@code offset} addresses after the network's first one. */
    String addressAt(long offset) {
        return dotted((int) (Integer.toUnsignedLong(address) + offset));
    }

    @Override
    public String toString() {
        return dotted(address) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }
}
