package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import io.archfarm.model.hosts.HostCheck;
import io.archfarm.model.hosts.HostRefusal;
import io.archfarm.model.hosts.HostResolver;
import io.archfarm.model.hosts.HostRule;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The farm's one host rule ({@link HostRule}) as the worker applies it to a git URL right before git connects: the
 * repository's URL (the portal checked it too, but a name may resolve elsewhere by now) and each submodule's, which
 * only the worker sees. Names are resolved here, with the worker's own resolver, and git's http(s) connections are
 * pinned to the addresses that passed ({@code http.curloptResolve}), so that git's own lookup cannot be answered
 * differently (DNS rebinding). git:// and ssh:// have no such switch: for them the check narrows the window only.
 */
final class GitHosts {

    static final String SETTING = "archfarm.git.allowed-hosts";

    private static final Pattern NETWORK_URL =
            Pattern.compile("(?i)(https?|git|ssh|git\\+ssh|ssh\\+git)://([^/]*)(/.*)?");
    /** {@code [userinfo@]host[:port]}, the host a name, an IPv4 address or an IPv6 address in brackets. */
    private static final Pattern AUTHORITY =
            Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,;=%-]+@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::(\\d{0,5}))?");
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
     *
     * @return git configuration ({@code key=value}) that pins an http(s) connection to the addresses checked here;
     *         empty for other transports, IP literals and names the operator allowed
     */
    List<String> check(String url) throws JobFailure {
        Optional<Remote> remote = remoteOf(url);
        if (remote.isEmpty()) {
            if (SCHEME.matcher(url).matches() && !url.regionMatches(true, 0, "file:", 0, 5)) {
                throw refused(url, "it names no host the worker can check");
            }
            return List.of();
        }
        HostCheck check = rule.check(remote.get().host());
        Optional<HostRefusal> refusal = check.refusal();
        if (refusal.isPresent()) {
            throw new JobFailure(
                    refusal.get().unresolved() ? JobOutcome.INFRA_FAILED : JobOutcome.FAILED,
                    "repository '" + url + "' refused: " + refusal.get().reason());
        }
        return remote.get().pin(check.addresses());
    }

    /** The host git would connect to, as written (an IPv6 address in brackets), or empty for a local repository. */
    static Optional<String> hostOf(String url) {
        return remoteOf(url).map(Remote::host);
    }

    /**
     * The git server as a failure names it: {@code host:port}, the port the transport's default when the URL has
     * none; empty for a local repository.
     */
    static Optional<String> serverOf(String url) {
        return remoteOf(url)
                .map(remote -> remote.host().toLowerCase(Locale.ROOT) + ":"
                        + (remote.port() == null || remote.port().isEmpty()
                                ? defaultPort(remote.scheme())
                                : remote.port()));
    }

    private static String defaultPort(String scheme) {
        return switch (scheme) {
            case "https" -> "443";
            case "http" -> "80";
            case "git" -> "9418";
            default -> "22";
        };
    }

    private static Optional<Remote> remoteOf(String url) {
        Matcher network = NETWORK_URL.matcher(url);
        if (network.matches()) {
            Matcher authority = AUTHORITY.matcher(network.group(2));
            return authority.matches()
                    ? Optional.of(new Remote(
                            network.group(1).toLowerCase(Locale.ROOT), authority.group(1), authority.group(2)))
                    : Optional.empty();
        }
        if (SCHEME.matcher(url).matches() || url.startsWith("/") || url.startsWith(".") || url.startsWith("~")) {
            return Optional.empty();
        }
        Matcher scp = SCP_LIKE.matcher(url);
        return scp.matches() ? Optional.of(new Remote("ssh", scp.group(1), null)) : Optional.empty();
    }

    private static JobFailure refused(String url, String why) {
        return new JobFailure(JobOutcome.FAILED, "repository '" + url + "' refused: " + why);
    }

    /** A remote's transport, host and port (null: the transport's default). */
    private record Remote(
            String scheme, String host, @Nullable String port) {

        /** curl's {@code HOST:PORT:ADDRESS[,ADDRESS]...} for git's http(s) transport, which reads it. */
        List<String> pin(List<InetAddress> addresses) {
            if (addresses.isEmpty() || !scheme.startsWith("http")) {
                return List.of();
            }
            String effectivePort = port == null || port.isEmpty() ? (scheme.equals("https") ? "443" : "80") : port;
            String literals = addresses.stream().map(Remote::literal).distinct().collect(Collectors.joining(","));
            return List.of(
                    "http.curloptResolve=" + host.toLowerCase(Locale.ROOT) + ":" + effectivePort + ":" + literals);
        }

        private static String literal(InetAddress address) {
            String text = address.getHostAddress();
            int zone = text.indexOf('%');
            String plain = zone < 0 ? text : text.substring(0, zone);
            return address instanceof Inet6Address ? "[" + plain + "]" : plain;
        }
    }
}
