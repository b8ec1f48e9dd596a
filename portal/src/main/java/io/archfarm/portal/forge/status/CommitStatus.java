package io.archfarm.portal.forge.status;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One status report on one commit.
 *
 * @param sha         the full commit id the build ran for: 40 hex digits (SHA-1) or 64 (SHA-256 repositories)
 * @param state       what the farm says about the commit
 * @param targetUrl   the build's portal page, linked from the forge; may be null
 * @param description a short human sentence; may be null (GitHub keeps only 140 characters of it)
 * @param context     the label that keeps the farm's status apart from other systems' statuses on the same commit
 *                    ({@code context} on GitHub and Gitea, {@code name} on GitLab)
 * @param ref         the branch or tag that was built; sent to GitLab only, which shows it; may be null
 */
public record CommitStatus(
        String sha, CommitState state, String targetUrl, String description, String context, String ref) {

    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");

    public CommitStatus {
        if (sha == null || !FULL_SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException(
                    "commit sha '" + sha + "' is not a full commit id: expected 40 or 64 hex digits");
        }
        Objects.requireNonNull(state, "state: expected PENDING, SUCCESS, FAILURE or ERROR");
        if (context == null || context.isBlank()) {
            throw new IllegalArgumentException("context is blank: expected a label such as 'archfarm'");
        }
    }
}
