package io.archfarm.model.hosts;

import io.archfarm.model.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which image registries the farm pushes to and pulls from for a user: the registries the farm itself knows (a
 * part's configured registries, such as a worker's {@code archfarm.registry.insecure}), every {@code host:port}
 * entry of {@value #SETTING}, and otherwise any host the {@link HostRule} lets through with that setting's other
 * entries (host names, addresses, CIDR blocks). An image is user input: without this, a build would push to (and
 * a worker send the project's credential to) an address inside the operator's network.
 */
public final class RegistryRule {

    /** The operator's allow-list of registries at internal addresses. */
    public static final String SETTING = "archfarm.registry.allowed-hosts";

    /** {@code host:port}, {@code [v6]:port}: one registry, known exactly. */
    private static final Pattern WITH_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):\\d{1,5}");

    private final Set<String> known;
    private final HostRule hosts;

    private RegistryRule(Set<String> known, HostRule hosts) {
        this.known = known;
        this.hosts = hosts;
    }

    /**
     * @param knownRegistries the part's own registries ({@code host[:port]}), allowed as they are
     * @param allowedHosts    {@value #SETTING}: {@code host:port} entries allow that registry, other entries are
     *                        host names, IP addresses or CIDR blocks as in {@link HostRule#of}
     */
    public static RegistryRule of(List<String> knownRegistries, List<String> allowedHosts, HostResolver resolver) {
        Set<String> known = new TreeSet<>();
        knownRegistries.forEach(registry -> known.add(normalised(registry)));
        List<String> hostEntries = new ArrayList<>();
        for (String entry : allowedHosts) {
            String stripped = entry.strip();
            if (WITH_PORT.matcher(stripped).matches()) {
                known.add(normalised(stripped));
            } else {
                hostEntries.add(stripped);
            }
        }
        return new RegistryRule(known, HostRule.of(SETTING, hostEntries, resolver));
    }

    /** Why the farm must not reach the registry of {@code image}, or empty; the reason names the image and host. */
    public Optional<HostRefusal> refusal(ImageReference image) {
        if (known.contains(normalised(image.registry())) || known.contains(normalised(image.apiHost()))) {
            return Optional.empty();
        }
        return hosts.refusal(hostOf(image.apiHost()))
                .map(refusal ->
                        new HostRefusal(refusal.unresolved(), "image '" + image + "' is refused: " + refusal.reason()));
    }

    /** {@code host[:port]} without the port; an IPv6 address keeps its brackets. */
    private static String hostOf(String registry) {
        if (registry.startsWith("[")) {
            int end = registry.indexOf(']');
            return end < 0 ? registry : registry.substring(0, end + 1);
        }
        int colon = registry.lastIndexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }

    private static String normalised(String registry) {
        String lower = registry.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
