package io.archfarm.model.hosts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into the addresses a connection to it could reach. The farm asks before it accepts a host a user
 * named (repository, submodule, forge, registry), so that a name pointing inside the operator's network is refused;
 * tests supply their own answers.
 */
@FunctionalInterface
public interface HostResolver {

    /** Every address {@code host} resolves to (never empty); throws when the name does not resolve. */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver ({@link InetAddress#getAllByName}): the system's DNS and hosts file. */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
