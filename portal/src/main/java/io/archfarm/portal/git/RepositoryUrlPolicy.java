package io.archfarm.portal.git;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Which repository URLs the farm fetches from. Only network transports git runs without helpers of its own; no
 * {@code ext::} (it runs an arbitrary command), and {@code file://} only when {@code archfarm.git.allow-file-urls}.
 */
@Component
public class RepositoryUrlPolicy {

    private static final Pattern SCHEME_URL = Pattern.compile("(?i)(https?|git|ssh)://[^/\\s]+(/\\S*)?");
    /** {@code <transport>::<address>}, such as {@code ext::sh -c ...}: git hands the address to a helper. */
    private static final Pattern REMOTE_HELPER = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*::");
    private static final Pattern FILE_URL = Pattern.compile("(?i)file:///\\S+");
    /** scp-like {@code user@host:path}; no slash before the colon, or git would take it as a local path. */
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s]+");
    /** {@code scheme://user:secret@host}: a password or token inside the URL. */
    private static final Pattern CREDENTIALS = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^/@\\s]*:[^/@\\s]*@.*");

    private final boolean allowFileUrls;

    RepositoryUrlPolicy(GitProperties properties) {
        this.allowFileUrls = properties.allowFileUrls();
    }

    /** Why {@code url} is refused, or empty when the farm may fetch from it. */
    public Optional<String> refusal(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("repository is required");
        }
        if (url.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !url.strip().equals(url)) {
            return Optional.of("repository '" + printable(url) + "' contains whitespace or control characters");
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
            return FILE_URL.matcher(url).matches() ? Optional.empty()
                    : Optional.of("repository '" + url + "' is not a valid file:/// URL");
        }
        if (SCHEME_URL.matcher(url).matches() || SCP_LIKE.matcher(url).matches()) {
            return Optional.empty();
        }
        return Optional.of("repository '" + url + "' is not an https, http, git or ssh URL (or user@host:path)");
    }

    private static String printable(String url) {
        return url.replaceAll("\\p{Cntrl}", "?");
    }
}
