package io.archfarm.worker.build;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The nftables table of one job's sandbox, in the host's namespace, so nothing a RUN step does inside its own
 * namespace can change it. Its input chain drops everything the job sends to the host itself (any address of it);
 * its forward chain holds the job's packets to the egress policy; its postrouting chain masquerades what may leave.
 * nftables ends a packet at the first drop in any table, so another table's accept can never let one through.
 */
final class EgressRules {

    /**
     * Addresses no job reaches under egress {@code outside}: "this" network, private (RFC 1918), CGNAT (RFC 6598,
     * which holds 100.100.100.200), loopback, link-local (169.254.169.254 and every other metadata address there),
     * IETF protocol assignments, the documentation and benchmarking ranges, multicast and reserved.
     */
    static final List<String> INTERNAL = List.of(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/4",
            "240.0.0.0/4");

    private EgressRules() {}

    /**
     * @param allowed the allow-list, host names already resolved to addresses (each {@code <net>} or
     *                {@code <net> <port>})
     */
    static String table(SandboxAddresses sandbox, RunIsolation isolation, List<String> allowed) {
        List<String> egress = new ArrayList<>();
        egress.add("ct state invalid drop");
        if (isolation.resolver() != null) {
            egress.add("ip daddr " + isolation.resolver() + " udp dport 53 accept");
            egress.add("ip daddr " + isolation.resolver() + " tcp dport 53 accept");
        }
        egress.add("ip daddr " + isolation.subnet() + " drop");
        if (!isolation.deny().isEmpty()) {
            egress.add("ip daddr " + set(isolation.deny()) + " drop");
        }
        egress.add("meta nfproto ipv6 drop");
        if (isolation.egress() == EgressPolicy.ALLOW_LIST) {
            for (String destination : allowed) {
                egress.addAll(acceptRules(destination));
            }
            egress.add("drop");
        } else {
            if (!isolation.allowPrivate().isEmpty()) {
                egress.add("ip daddr " + set(isolation.allowPrivate()) + " accept");
            }
            egress.add("ip daddr " + set(INTERNAL) + " drop");
            egress.add("accept");
        }
        String hostSide = quoted(sandbox.hostInterface());
        return String.join(
                "\n",
                "table inet " + sandbox.table() + " {",
                "  chain input {",
                "    type filter hook input priority -10; policy accept;",
                "    iifname " + hostSide + " drop",
                "  }",
                "  chain forward {",
                "    type filter hook forward priority -10; policy accept;",
                "    iifname " + hostSide + " jump egress",
                "  }",
                "  chain egress {",
                egress.stream().map(rule -> "    " + rule).collect(Collectors.joining("\n")),
                "  }",
                "  chain postrouting {",
                "    type nat hook postrouting priority 100; policy accept;",
                "    ip saddr " + sandbox.jobAddress() + " oifname != " + hostSide + " masquerade",
                "  }",
                "}",
                "");
    }

    private static List<String> acceptRules(String destination) {
        String[] parts = destination.split(" ");
        if (parts.length == 1) {
            return List.of("ip daddr " + parts[0] + " accept");
        }
        return List.of(
                "ip daddr " + parts[0] + " tcp dport " + parts[1] + " accept",
                "ip daddr " + parts[0] + " udp dport " + parts[1] + " accept");
    }

    private static String set(List<String> networks) {
        return networks.stream()
                .map(n -> Ipv4Network.parse(n).toString())
                .collect(Collectors.joining(", ", "{ ", " }"));
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
