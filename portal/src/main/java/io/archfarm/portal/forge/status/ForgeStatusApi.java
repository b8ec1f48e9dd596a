package io.archfarm.portal.forge.status;

import io.archfarm.portal.forge.Forge;

/** How one forge wants a commit status sent. */
interface ForgeStatusApi {

    StatusCall call(CommitStatusTarget target, CommitStatus status);

    static ForgeStatusApi of(Forge forge) {
        return switch (forge) {
            case GITHUB -> new GitHubStatusApi();
            case GITLAB -> new GitLabStatusApi();
            case GITEA, FORGEJO -> new GiteaStatusApi();
        };
    }
}
