package io.archfarm.portal.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/version}: which portal answers, for clients that say both their own version and the server's. */
@RestController
@Tag(name = "Version", description = "which portal answers")
class VersionController {

    private final ServerVersion version;

    VersionController(ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git) {
        this.version = ServerVersion.of(build.getIfAvailable(), git.getIfAvailable());
    }

    @Operation(summary = "The portal's version, commit and build time")
    @GetMapping("/api/v1/version")
    ServerVersion version() {
        return version;
    }
}
