package io.archfarm.portal.archfixture;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.List;
import org.springframework.web.bind.annotation.RestController;

/** What ArchitectureTest must catch: a controller handing out and taking in an entity. Never loaded by Spring. */
@RestController
class LeakyController {

    List<LeakyEntity> all() {
        return List.of();
    }

    void save(LeakyEntity entity) {}

    @Entity
    static class LeakyEntity {
        @Id
        Long id;
    }
}
