package io.archfarm.portal.git;

import io.archfarm.model.hosts.HostRefusal;
import io.archfarm.model.hosts.HostResolver;
import io.archfarm.model.hosts.HostRule;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Which repository URLs the farm fetches from, and which forge API URLs it calls. Only network transports git runs
 * without helpers of its own; no {@code ext::} (it runs an arbitrary command), {@code file://} only when
 * {@code archfarm.git.allow-file-urls}, and no host inside the operator's network unless
 * {@code archfarm.git.allowed-hosts} allows it (the farm's one {@link HostRule}, which the workers apply again): the
 * URLs are user input, and the farm fetches from them with its own network access.
 */
@Component
public class RepositoryUrlPolicy {

    private static final Pattern SCHEME_URL = Pattern.compile("(?i)(https?|git|ssh)://([^/\\s]+)(/\\S*)?");
    /** A forge API base URL: http(s), an authority and a path; no query or fragment. */
    private static final Pattern API_URL = Pattern.compile("(?i)https?://([^/?#]+)(/[^?#]*)?");
    /** {@code [userinfo@]host[:port]}, the host a name, an IPv4 address or an IPv6 address in brackets. */
    private static final Pattern AUTHORITY =
            Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,;=%-]+@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::\\d{1,5})?");
    /** {@code <transport>::<address>}, such as {@code ext::sh -c ...}: git hands the address to a helper. */
    private static final Pattern REMOTE_HELPER = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*::");

    private static final Pattern FILE_URL = Pattern.compile("(?i)file:///\\S+");
    /** scp-like {@code user@host:path}; no slash before the colon, or git would take it as a local path. */
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):[^\\s]+");
    /** {@code scheme://user:secret@host}: a password or token inside the URL. */
    private static final Pattern CREDENTIALS = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^/@\\s]*:[^/@\\s]*@.*");

    private final boolean allowFileUrls;
    static final String ALLOWED_HOSTS = "archfarm.git.allowed-hosts";

    private final HostRule hosts;

    /** Resolves names with a {@link HostResolver} bean when a test context defines one, else with the system's DNS. */
    @Autowired
    RepositoryUrlPolicy(GitProperties properties, ObjectProvider<HostResolver> resolver) {
        this(properties, resolver.getIfAvailable(HostResolver::system));
    }

    RepositoryUrlPolicy(GitProperties properties, HostResolver resolver) {
        this.allowFileUrls = properties.allowFileUrls();
        this.hosts = HostRule.of(ALLOWED_HOSTS, properties.allowedHosts(), resolver);
    }

    /** Why {@code url} is refused, or empty when the farm may fetch from it. */
    public Optional<String> refusal(@Nullable String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("repository is required");
        }
        if (url.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !url.strip().equals(url)) {
            return Optional.of("repository '" + printable(url) + "' contains whitespace or control characters");
        }
        if (url.startsWith("-")) {
            // git would read it as an option (-oProxyCommand=... looks like user@host:path to the scp-like rule)
            return Optional.of("repository '" + url + "' must not start with '-'");
        }
        if (CREDENTIALS.matcher(url).matches()) {
            // the URL is stored, shown in the API and sent to every worker: a secret in it would leak everywhere
            return Optional.of("repository URL must not carry a password or token (user:secret@); give the workers "
                    + "their credentials through git's own configuration instead");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (REMOTE_HELPER.matcher(url).lookingAt()) {
            return Optional.of("repository '" + url + "' uses a git remote helper ('::'), which the farm never runs");
        }
        if (lower.startsWith("file:")) {
            if (!allowFileUrls) {
                return Optional.of("repository '" + url + "' is a file:// URL, which this farm does not accept "
                        + "(archfarm.git.allow-file-urls=false)");
            }
            return FILE_URL.matcher(url).matches()
                    ? Optional.empty()
                    : Optional.of("repository '" + url + "' is not a valid file:/// URL");
        }
        Matcher schemeUrl = SCHEME_URL.matcher(url);
        if (schemeUrl.matches()) {
            return hostOf(schemeUrl.group(2))
                    .map(host -> hostRefusal("repository '" + url + "'", host))
                    .orElseGet(() -> Optional.of("repository '" + url + "' does not name a valid host ("
                            + "host, host:port, user@host or an IPv6 address in brackets)"));
        }
        Matcher scpLike = SCP_LIKE.matcher(url);
        if (scpLike.matches()) {
            return hostRefusal("repository '" + url + "'", scpLike.group(1));
        }
        return Optional.of("repository '" + url + "' is not an https, http, git or ssh URL (or user@host:path)");
    }

    /**
     * Why the farm must not call {@code url} as a forge's API base URL (such as {@code https://gitlab.example.com/api/v4}),
     * or empty: http or https, no user information (the API token travels in a header), no query, no internal host.
     */
    public Optional<String> refusalOfApiUrl(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("forge API URL is required");
        }
        if (url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return Optional.of("forge API URL '" + printable(url) + "' contains whitespace or control characters");
        }
        Matcher api = API_URL.matcher(url);
        if (!api.matches()) {
            return Optional.of("forge API URL '" + url + "' is not an http or https URL without query or fragment");
        }
        if (api.group(1).contains("@")) {
            // it might be a token: do not repeat the URL
            return Optional.of("forge API URL must not carry user information (user@ or user:secret@); the farm "
                    + "sends the project's forge API token in a header");
        }
        return hostOf(api.group(1))
                .map(host -> hostRefusal("forge API URL '" + url + "'", host))
                .orElseGet(() -> Optional.of("forge API URL '" + url + "' does not name a valid host"));
    }

    private static Optional<String> hostOf(String authority) {
        Matcher matcher = AUTHORITY.matcher(authority);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private Optional<String> hostRefusal(String subject, String host) {
        return hosts.refusal(host).map(HostRefusal::reason).map(why -> subject + " is refused: " + why);
    }

    private static String printable(String url) {
        return url.replaceAll("\\p{Cntrl}", "?");
    }
}
