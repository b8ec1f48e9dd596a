package io.archfarm.portal.web;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;

/**
 * What the portal was built from ({@code GET /api/v1/version}, and the same in {@code /actuator/info}): the version,
 * the commit and its time (null for a build from a tree without git), and when it was built.
 */
public record ServerVersion(
        @Nullable String version,
        @Nullable String commit,
        @Nullable Instant commitTime,
        @Nullable Instant buildTime) {

    /** From the build's {@code META-INF/build-info.properties} and {@code git.properties}, either may be missing. */
    static ServerVersion of(@Nullable BuildProperties build, @Nullable GitProperties git) {
        String version = build != null
                ? build.getVersion()
                : ServerVersion.class.getPackage().getImplementationVersion();
        return new ServerVersion(
                version,
                git == null ? null : git.getCommitId(),
                git == null ? null : git.getCommitTime(),
                build == null ? null : build.getTime());
    }
}
