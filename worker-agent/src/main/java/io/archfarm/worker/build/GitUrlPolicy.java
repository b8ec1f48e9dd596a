package io.archfarm.worker.build;

import io.archfarm.model.JobOutcome;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which repository URLs a worker fetches: http(s), git, ssh and scp-like always; {@code file://} and local paths
 * only when {@code archfarm.git.allow-file-urls} is on; {@code ext::} and other remote helpers never, because they
 * run arbitrary commands on the build host. Submodule URLs come from the repository itself and are just as
 * untrusted: they get a policy of their own ({@link #forSubmodules}) whose file switch is
 * {@code archfarm.git.allow-file-submodules}.
 */
final class GitUrlPolicy {

    private static final Pattern SCHEME = Pattern.compile("^([a-z][a-z0-9+.-]*)://", Pattern.CASE_INSENSITIVE);
    /**
     * {@code <transport>::<address>}, as git recognises a remote helper: scheme characters, then {@code ::}. An IPv6
     * address ({@code ssh://[::1]/x}) has {@code ::} too, but not right after the scheme characters.
     */
    private static final Pattern REMOTE_HELPER = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*::");

    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/:\\s]+@)?[^@/:\\s]+:[^\\s]*$");

    private final boolean allowFileUrls;
    private final String fileSetting;

    /** The policy for the repository a build names. */
    GitUrlPolicy(boolean allowFileUrls) {
        this(allowFileUrls, "archfarm.git.allow-file-urls");
    }

    private GitUrlPolicy(boolean allowFileUrls, String fileSetting) {
        this.allowFileUrls = allowFileUrls;
        this.fileSetting = fileSetting;
    }

    /** The policy for the submodules of a repository, which git would otherwise clone from anywhere. */
    static GitUrlPolicy forSubmodules(boolean allowFileSubmodules) {
        return new GitUrlPolicy(allowFileSubmodules, "archfarm.git.allow-file-submodules");
    }

    /**
     * The protocols git itself may use, as {@code GIT_ALLOW_PROTOCOL}. Git applies it to every git it starts (a
     * submodule clone too) and lets it override any {@code protocol.*.allow} of the host's configuration, so this
     * list, not the configuration, is what decides.
     */
    String allowedProtocols() {
        return allowFileUrls ? "http:https:git:ssh:file" : "http:https:git:ssh";
    }

    /**
     * The same decision as {@code -c} options of git, so that it reads the same in a command line: {@code ext::}
     * never, and {@code file} for anything git fetches on its own (submodules) only when the setting allows it
     * ({@code user}, git's default, refuses it there).
     */
    List<String> gitOptions() {
        return List.of(
                "-c", "protocol.ext.allow=never", "-c", "protocol.file.allow=" + (allowFileUrls ? "always" : "user"));
    }

    void check(String url) throws JobFailure {
        if (url == null || url.isBlank()) {
            throw refuse(url, "the repository URL is empty");
        }
        if (REMOTE_HELPER.matcher(url).find()) {
            throw refuse(url, "git remote helpers (such as ext::) are never allowed");
        }
        if (url.startsWith("-") || url.chars().anyMatch(Character::isWhitespace)) {
            throw refuse(url, "a repository URL cannot start with '-' or contain white space");
        }
        var scheme = SCHEME.matcher(url);
        if (scheme.find()) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            switch (name) {
                case "http", "https", "git", "ssh", "git+ssh", "ssh+git" -> {
                    return;
                }
                case "file" -> requireFileUrlsAllowed(url);
                default -> throw refuse(url, "scheme '" + name + "' is not allowed (use https, http, git or ssh)");
            }
            return;
        }
        if (url.startsWith("/") || url.startsWith(".") || url.startsWith("~")) {
            requireFileUrlsAllowed(url);
            return;
        }
        if (!SCP_LIKE.matcher(url).matches()) {
            throw refuse(url, "not a git URL (expected https://, http://, git://, ssh:// or user@host:path)");
        }
    }

    private void requireFileUrlsAllowed(String url) throws JobFailure {
        if (!allowFileUrls) {
            throw refuse(
                    url, "local repositories (file://) are not allowed on this worker (" + fileSetting + "=false)");
        }
    }

    private static JobFailure refuse(String url, String why) {
        return new JobFailure(JobOutcome.FAILED, "repository '" + url + "' refused: " + why);
    }
}
