package io.archfarm.portal.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/version}: which portal answers, for clients that say both their own version and the server's. */
@RestController
class VersionController {

    private final ServerVersion version;

    VersionController(ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git) {
        this.version = ServerVersion.of(build.getIfAvailable(), git.getIfAvailable());
    }

    @GetMapping("/api/v1/version")
    ServerVersion version() {
        return version;
    }
}
