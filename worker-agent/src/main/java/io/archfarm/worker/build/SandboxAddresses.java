package io.archfarm.worker.build;

/**
 * The names and addresses of sandbox number {@code n}: the same number always gives the same ones, so a sandbox left
 * by a crashed worker is found (and removed) by its number alone.
 */
record SandboxAddresses(int number, Ipv4Network subnet) {

    static final String NAMESPACE_PREFIX = "archfarm-sb";
    static final String TABLE_PREFIX = "archfarm_sb";

    /** The network namespace, under /run/netns. */
    String namespace() {
        return NAMESPACE_PREFIX + number;
    }

    /** The nftables table (family inet) in the host's namespace. */
    String table() {
        return TABLE_PREFIX + number;
    }

    /** The host's end of the veth pair (at most 15 characters: "afsb" and up to 5 digits and one letter). */
    String hostInterface() {
        return "afsb" + number + "h";
    }

    /** The job's end, renamed to eth0 inside the namespace. */
    String jobInterface() {
        return "afsb" + number + "j";
    }

    String hostAddress() {
        return subnet.addressAt(4L * number + 1);
    }

    String jobAddress() {
        return subnet.addressAt(4L * number + 2);
    }
}
