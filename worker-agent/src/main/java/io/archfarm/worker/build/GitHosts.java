package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.hosts.HostRefusal;
import io.archfarm.model.hosts.HostResolver;
import io.archfarm.model.hosts.HostRule;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The farm's one host rule ({@link HostRule}) as the worker applies it to a git URL right before git connects: the
 * repository's URL (the portal checked it too, but a name may resolve elsewhere by now) and each submodule's, which
 * only the worker sees. Names are resolved here, with the worker's own resolver.
 */
final class GitHosts {

    static final String SETTING = "archfarm.git.allowed-hosts";

    private static final Pattern NETWORK_URL = Pattern.compile("(?i)(?:https?|git|ssh|git\\+ssh|ssh\\+git)://([^/]*)(/.*)?");
    /** {@code [userinfo@]host[:port]}, the host a name, an IPv4 address or an IPv6 address in brackets. */
    private static final Pattern AUTHORITY = Pattern.compile(
            "(?:[A-Za-z0-9._~!$&'()*+,;=%-]+@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::\\d{0,5})?");
    /** scp-like {@code [user@]host:path}, as {@link GitUrlPolicy} lets it through. */
    private static final Pattern SCP_LIKE = Pattern.compile("(?:[^@/:\\s]+@)?(\\[[0-9A-Fa-f:.]+]|[^@/:\\[\\]\\s]+):.*");
    private static final Pattern SCHEME = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://.*");

    private final HostRule rule;

    GitHosts(List<String> allowedHosts, HostResolver resolver) {
        this.rule = HostRule.of(SETTING, allowedHosts, resolver);
    }

    /**
     * Refuses {@code url} when it reaches a host the rule refuses; a URL without a host ({@code file://}, a local
     * path) is left to {@link GitUrlPolicy}. A name that does not resolve now is the worker's trouble (DNS may be
     * down), not the build's: INFRA_FAILED, so that the attempt is tried again.
     */
    void check(String url) throws JobFailure {
        Optional<String> host = hostOf(url);
        if (host.isEmpty()) {
            if (SCHEME.matcher(url).matches() && !url.regionMatches(true, 0, "file:", 0, 5)) {
                throw refused(url, "it names no host the worker can check");
            }
            return;
        }
        Optional<HostRefusal> refusal = rule.refusal(host.get());
        if (refusal.isPresent()) {
            throw new JobFailure(refusal.get().unresolved() ? JobOutcome.INFRA_FAILED : JobOutcome.FAILED,
                    "repository '" + url + "' refused: " + refusal.get().reason());
        }
    }

    /** The host git would connect to, as written (an IPv6 address in brackets), or empty for a local repository. */
    static Optional<String> hostOf(String url) {
        Matcher network = NETWORK_URL.matcher(url);
        if (network.matches()) {
            Matcher authority = AUTHORITY.matcher(network.group(1));
            return authority.matches() ? Optional.of(authority.group(1)) : Optional.empty();
        }
        if (SCHEME.matcher(url).matches() || url.startsWith("/") || url.startsWith(".") || url.startsWith("~")) {
            return Optional.empty();
        }
        Matcher scp = SCP_LIKE.matcher(url);
        return scp.matches() ? Optional.of(scp.group(1)) : Optional.empty();
    }

    private static JobFailure refused(String url, String why) {
        return new JobFailure(JobOutcome.FAILED, "repository '" + url + "' refused: " + why);
    }
}
