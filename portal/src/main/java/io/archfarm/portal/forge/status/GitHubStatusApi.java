package io.archfarm.portal.forge.status;

import java.util.Map;

/**
 * GitHub's "Create a commit status": {@code POST /repos/{owner}/{repo}/statuses/{sha}} with a Bearer token, the
 * GitHub media type and a pinned API version.
 *
 * @see <a href="https://docs.github.com/en/rest/commits/statuses#create-a-commit-status">GitHub REST API: Create a
 *      commit status</a>
 */
final class GitHubStatusApi implements ForgeStatusApi {

    /** GitHub refuses or cuts longer descriptions; we cut them ourselves, on a character boundary. */
    static final int MAX_DESCRIPTION = 140;

    @Override
    public StatusCall call(CommitStatusTarget target, CommitStatus status) {
        String[] ownerAndName = target.repository().split("/");
        return new StatusCall(
                StatusCall.endpoint(
                        target.apiUrl(), "repos", ownerAndName[0], ownerAndName[1], "statuses", status.sha()),
                Map.of(
                        "Authorization",
                        "Bearer " + target.token(),
                        "Accept",
                        "application/vnd.github+json",
                        "X-GitHub-Api-Version",
                        "2022-11-28"),
                StatusCall.fields(
                        "state",
                        state(status.state()),
                        "target_url",
                        status.targetUrl(),
                        "description",
                        truncate(status.description()),
                        "context",
                        status.context()));
    }

    private static String state(CommitState state) {
        return switch (state) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failure";
            case ERROR -> "error";
        };
    }

    static String truncate(String description) {
        if (description == null || description.codePointCount(0, description.length()) <= MAX_DESCRIPTION) {
            return description;
        }
        return description.substring(0, description.offsetByCodePoints(0, MAX_DESCRIPTION - 1)) + "…";
    }
}
