package io.archfarm.portal.git;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code git ls-remote --symref} said about a repository: its refs and the branch its HEAD points at. Resolves
 * the ref of a build request to one commit.
 */
public record RemoteRefs(Map<String, String> commitsByRef, Optional<String> headBranch) {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    /** Parses the output of {@code git ls-remote --symref <url>}; lines it does not understand are an error. */
    public static RemoteRefs parse(String lsRemoteOutput) {
        Map<String, String> commits = new LinkedHashMap<>();
        Optional<String> head = Optional.empty();
        for (String line : lsRemoteOutput.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("unexpected line from git ls-remote: '" + line + "'");
            }
            if (parts[0].startsWith("ref: ")) {
                if (parts[1].equals("HEAD")) {
                    head = Optional.of(parts[0].substring("ref: ".length()));
                }
            } else if (COMMIT.matcher(parts[0]).matches()) {
                commits.put(parts[1], parts[0]);
            } else {
                throw new IllegalArgumentException("unexpected line from git ls-remote: '" + line + "'");
            }
        }
        return new RemoteRefs(Map.copyOf(commits), head);
    }

    /**
     * The commit {@code ref} names: a branch, a tag (peeled to its commit when annotated), a full ref name, or a
     * commit id, taken as is.
     */
    public Optional<String> commitOf(String ref) {
        if (COMMIT.matcher(ref).matches()) {
            return Optional.of(ref);
        }
        for (String candidate : new String[] {ref, "refs/heads/" + ref, "refs/tags/" + ref}) {
            String peeled = commitsByRef.get(candidate + "^{}");
            if (peeled != null) {
                return Optional.of(peeled);
            }
            String direct = commitsByRef.get(candidate);
            if (direct != null) {
                return Optional.of(direct);
            }
        }
        return Optional.empty();
    }

    /**
     * The full name ({@code refs/heads/main}, {@code refs/tags/v1}) of the branch or tag {@code ref} names; empty for
     * a commit id or a ref that does not exist.
     */
    public Optional<String> fullNameOf(String ref) {
        if (COMMIT.matcher(ref).matches()) {
            return Optional.empty();
        }
        for (String candidate : new String[] {ref, "refs/heads/" + ref, "refs/tags/" + ref}) {
            if (commitsByRef.containsKey(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The short name of the branch HEAD points at, such as {@code main}. */
    public Optional<String> defaultBranch() {
        return headBranch.map(ref -> ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref);
    }
}
