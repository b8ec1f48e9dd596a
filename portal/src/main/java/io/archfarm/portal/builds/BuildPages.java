package io.archfarm.portal.builds;

import io.archfarm.portal.accounts.Access;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.UUID;
import io.archfarm.portal.web.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** Read-only pages over the builds; the same views as the API, rendered with Thymeleaf. */
@UiController
class BuildPages {

    private static final int RECENT = 50;

    private final BuildQueries queries;
    private final Access access;

    BuildPages(BuildQueries queries, Access access) {
        this.queries = queries;
        this.access = access;
    }

    @GetMapping("/builds")
    String recent(Model model) {
        model.addAttribute("builds", queries.recent(new BuildQueries.BuildFilter(Optional.empty(),
                access.visibleTeamIds(), null, RECENT)));
        return "builds/list";
    }

    @GetMapping("/builds/{id}")
    String build(@PathVariable String id, Model model, HttpServletResponse response) {
        // a build of a team the reader is not in is as missing as one that never existed
        Optional<BuildView> build = parse(id)
                .filter(uuid -> queries.ownerOf(uuid).map(team -> access.canSee(team.orElse(null))).orElse(false))
                .flatMap(queries::view);
        if (build.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            model.addAttribute("id", id);
            return "builds/missing";
        }
        model.addAttribute("build", build.get());
        return "builds/detail";
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
