package io.archfarm.worker.build;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a worker isolates the RUN steps of every job it builds (one policy per farm, set on each worker).
 *
 * @param level         how far RUN steps are kept from the host
 * @param egress        where RUN steps may connect to, at level {@code netns}
 * @param resolver      the DNS server (IPv4 address) RUN steps are given under egress {@code outside} or
 *                      {@code allow-list}; null gives them none, so only addresses work
 * @param allow         the allow-list: IPv4 networks, optionally with a port, or host:port
 * @param allowPrivate  internal networks (private, CGNAT, link-local) that egress {@code outside} may reach anyway
 * @param deny          more networks no job may reach, such as the farm's own services on public addresses
 * @param sandboxSubnet the IPv4 network the jobs' namespaces are numbered from, a /30 each; it must not be in use
 * @param runtime       the OCI runtime buildah runs RUN steps with at level {@code netns}
 * @param lockDir       where a worker holds each sandbox number it uses (a file lock per number), so that several
 *                      workers on one host never share one, and a stale one (its holder died) is known
 */
public record RunIsolation(
        IsolationLevel level,
        EgressPolicy egress,
        @Nullable String resolver,
        List<String> allow,
        List<String> allowPrivate,
        List<String> deny,
        String sandboxSubnet,
        String runtime,
        Path lockDir) {

    public RunIsolation {
        allow = List.copyOf(allow);
        allowPrivate = List.copyOf(allowPrivate);
        deny = List.copyOf(deny);
        allow.forEach(AllowedDestination::parse);
        allowPrivate.forEach(Ipv4Network::parse);
        deny.forEach(Ipv4Network::parse);
        if (resolver != null && Ipv4Network.parse(resolver).prefix() != 32) {
            throw new IllegalArgumentException("the resolver '" + resolver + "' must be one IPv4 address");
        }
        Ipv4Network subnet = Ipv4Network.parse(sandboxSubnet);
        if (subnet.prefix() > 28) {
            throw new IllegalArgumentException("the sandbox subnet " + sandboxSubnet + " is too small: at least a /28");
        }
    }

    /** Today's behaviour, as tests of other things build with. */
    public static RunIsolation host() {
        return new RunIsolation(
                IsolationLevel.HOST,
                EgressPolicy.OUTSIDE,
                null,
                List.of(),
                List.of(),
                List.of(),
                "10.231.0.0/16",
                "runc",
                Path.of("/run/archfarm/sandboxes"));
    }

    /** As the job log, the job's record, the API and the pages show it: {@code netns, egress outside}. */
    public String describe() {
        if (level == IsolationLevel.HOST) {
            return "host, egress unfiltered";
        }
        return level.label() + ", egress " + egress.label();
    }

    Ipv4Network subnet() {
        return Ipv4Network.parse(sandboxSubnet);
    }
}
