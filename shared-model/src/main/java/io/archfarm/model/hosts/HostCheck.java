package io.archfarm.model.hosts;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the host rule decided about one host.
 *
 * @param refusal   why the host is refused, or empty when the farm may connect
 * @param addresses the addresses a name resolved to, all of which passed: a caller can pin its connection to them so
 *                  that a second lookup (DNS rebinding) cannot take it elsewhere; empty for an IP literal, for a name
 *                  the operator allowed (it is not resolved) and for a refused host
 */
public record HostCheck(Optional<HostRefusal> refusal, List<InetAddress> addresses) {

    public HostCheck {
        addresses = List.copyOf(addresses);
    }

    static HostCheck passed() {
        return new HostCheck(Optional.empty(), List.of());
    }

    static HostCheck passed(List<InetAddress> addresses) {
        return new HostCheck(Optional.empty(), addresses);
    }

    static HostCheck refused(HostRefusal refusal) {
        return new HostCheck(Optional.of(refusal), List.of());
    }
}
