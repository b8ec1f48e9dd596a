package io.archfarm.portal.forge.status;

import java.util.Map;

/**
 * Gitea's (and Forgejo's, which kept the same API) "Create a commit status":
 * {@code POST /repos/{owner}/{repo}/statuses/{sha}} with {@code Authorization: token <token>}, the form Gitea
 * documents for API tokens.
 *
 * @see <a href="https://gitea.com/api/swagger#/repository/repoCreateStatus">Gitea API (swagger): repoCreateStatus,
 *      body CreateStatusOption {state: pending|success|error|failure|warning, target_url, description, context}</a>
 * @see <a href="https://docs.gitea.com/development/api-usage">Gitea API usage: the Authorization header</a>
 * @see <a href="https://forgejo.org/docs/latest/user/api-usage/">Forgejo API usage</a>
 */
final class GiteaStatusApi implements ForgeStatusApi {

    @Override
    public StatusCall call(CommitStatusTarget target, CommitStatus status) {
        String[] ownerAndName = target.repository().split("/");
        return new StatusCall(
                StatusCall.endpoint(
                        target.apiUrl(), "repos", ownerAndName[0], ownerAndName[1], "statuses", status.sha()),
                Map.of("Authorization", "token " + target.token(), "Accept", "application/json"),
                StatusCall.fields(
                        "state",
                        state(status.state()),
                        "target_url",
                        status.targetUrl(),
                        "description",
                        status.description(),
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
}
