package io.archfarm.portal.git;

import io.archfarm.model.hosts.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the package-private policy for tests in other packages, with made-up DNS answers instead of real ones. */
public final class RepositoryUrlPolicyFactory {

    /** What every name resolves to under {@link #policy(boolean)}: an address on the public internet. */
    public static final String PUBLIC_ADDRESS = "140.82.121.3";

    private RepositoryUrlPolicyFactory() {}

    /** No allowed hosts; every host name resolves to {@link #PUBLIC_ADDRESS}, so tests never depend on DNS. */
    public static RepositoryUrlPolicy policy(boolean allowFileUrls) {
        return policy(allowFileUrls, List.of());
    }

    /** {@code allowedHosts} as {@code archfarm.git.allowed-hosts}; every host name resolves to a public address. */
    public static RepositoryUrlPolicy policy(boolean allowFileUrls, List<String> allowedHosts) {
        return policy(allowFileUrls, allowedHosts, host -> List.of(InetAddress.getByName(PUBLIC_ADDRESS)));
    }

    public static RepositoryUrlPolicy policy(boolean allowFileUrls, List<String> allowedHosts, HostResolver resolver) {
        return new RepositoryUrlPolicy(new GitProperties(allowFileUrls, Duration.ofSeconds(5), allowedHosts), resolver);
    }

    /**
     * A resolver that knows only {@code answers}: each name (any case) maps to IP literals; any other name does not
     * resolve.
     */
    public static HostResolver resolver(Map<String, List<String>> answers) {
        return host -> {
            List<String> literals = answers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(host))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new UnknownHostException(host + ": Name or service not known"));
            List<InetAddress> addresses = new ArrayList<>();
            for (String literal : literals) {
                addresses.add(InetAddress.getByName(literal));
            }
            return addresses;
        };
    }
}
