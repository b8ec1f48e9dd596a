package io.archfarm.portal.git;

import java.time.Duration;

/** Builds the package-private policy for tests in other packages. */
public final class RepositoryUrlPolicyFactory {

    private RepositoryUrlPolicyFactory() {
    }

    public static RepositoryUrlPolicy policy(boolean allowFileUrls) {
        return new RepositoryUrlPolicy(new GitProperties(allowFileUrls, Duration.ofSeconds(5)));
    }
}
