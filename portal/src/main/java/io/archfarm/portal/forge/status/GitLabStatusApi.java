package io.archfarm.portal.forge.status;

import java.util.Map;

/**
 * GitLab's "Set the pipeline status of a commit": {@code POST /projects/:id/statuses/:sha}, where {@code :id} is the
 * numeric id or the URL-encoded path of the project, with the token in {@code PRIVATE-TOKEN}. GitLab names the
 * context {@code name} and has no "error" state: a build the farm cancelled or could not run is {@code canceled}.
 *
 * @see <a href="https://docs.gitlab.com/api/commits/#set-the-pipeline-status-of-a-commit">GitLab Commits API: Set
 *      the pipeline status of a commit</a>
 * @see <a href="https://docs.gitlab.com/api/rest/#namespaced-paths">GitLab REST API: namespaced paths</a>
 */
final class GitLabStatusApi implements ForgeStatusApi {

    @Override
    public StatusCall call(CommitStatusTarget target, CommitStatus status) {
        return new StatusCall(
                StatusCall.endpoint(target.apiUrl(), "projects", target.repository(), "statuses", status.sha()),
                Map.of("PRIVATE-TOKEN", target.token(), "Accept", "application/json"),
                StatusCall.fields(
                        "state",
                        state(status.state()),
                        "ref",
                        status.ref(),
                        "name",
                        status.context(),
                        "target_url",
                        status.targetUrl(),
                        "description",
                        status.description()));
    }

    private static String state(CommitState state) {
        return switch (state) {
            case PENDING -> "pending";
            case SUCCESS -> "success";
            case FAILURE -> "failed";
            case ERROR -> "canceled";
        };
    }
}
