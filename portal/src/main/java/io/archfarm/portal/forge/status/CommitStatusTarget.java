package io.archfarm.portal.forge.status;

import io.archfarm.portal.forge.Forge;
import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a status report goes and with which credential.
 *
 * @param forge      which API dialect to speak
 * @param apiUrl     the API root: {@code https://api.github.com} (or {@code https://ghe.example/api/v3}),
 *                   {@code https://gitlab.com/api/v4}, {@code https://gitea.example/api/v1}
 * @param repository {@code owner/name} on GitHub, Gitea and Forgejo; on GitLab the project's numeric id or its full
 *                   path {@code group/sub/project}
 * @param token      the forge API token; {@link #toString()} never shows it, so a logged target leaks nothing
 */
public record CommitStatusTarget(Forge forge, URI apiUrl, String repository, String token) {

    private static final Pattern OWNER_AND_NAME = Pattern.compile("[^/\\s]+/[^/\\s]+");
    private static final Pattern GITLAB_PROJECT = Pattern.compile("\\d+|[^/\\s]+(/[^/\\s]+)+");
    private static final Pattern TOKEN = Pattern.compile("\\p{Graph}+");

    public CommitStatusTarget {
        Objects.requireNonNull(forge, "forge: expected one of GITHUB, GITLAB, GITEA, FORGEJO");
        requireApiRoot(apiUrl);
        requireRepository(forge, repository);
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("the " + forge.wireName()
                    + " API token is blank or holds spaces or control characters: expected the token as the forge"
                    + " issued it");
        }
    }

    private static void requireApiRoot(URI apiUrl) {
        if (apiUrl == null
                || !apiUrl.isAbsolute()
                || apiUrl.getHost() == null
                || !("https".equalsIgnoreCase(apiUrl.getScheme()) || "http".equalsIgnoreCase(apiUrl.getScheme()))
                || apiUrl.getRawQuery() != null
                || apiUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("forge API URL '" + apiUrl
                    + "' is not an API root: expected an http(s) URL without query, such as https://api.github.com");
        }
    }

    private static void requireRepository(Forge forge, String repository) {
        boolean gitlab = forge == Forge.GITLAB;
        Pattern expected = gitlab ? GITLAB_PROJECT : OWNER_AND_NAME;
        if (repository == null || !expected.matcher(repository).matches()) {
            String shape = gitlab ? "a numeric project id or a path 'group/project'" : "'owner/name'";
            throw new IllegalArgumentException(
                    "repository '" + repository + "' is not a " + forge.wireName() + " repository: expected " + shape);
        }
    }

    @Override
    public String toString() {
        return "CommitStatusTarget[forge=" + forge + ", apiUrl=" + apiUrl + ", repository=" + repository
                + ", token=(hidden)]";
    }
}
