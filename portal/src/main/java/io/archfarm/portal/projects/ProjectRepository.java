package io.archfarm.portal.projects;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ProjectRepository extends JpaRepository<Project, UUID> {

    Optional<Project> findByTeamIdAndSlug(UUID teamId, String slug);

    List<Project> findByTeamIdOrderBySlug(UUID teamId);
}
