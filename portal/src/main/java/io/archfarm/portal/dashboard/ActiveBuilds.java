package io.archfarm.portal.dashboard;

import io.archfarm.model.BuildStatus;
import io.archfarm.portal.builds.BuildQueries;
import io.archfarm.portal.builds.BuildQueries.BuildFilter;
import io.archfarm.portal.builds.BuildView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The first panel of the dashboard and of the board: running builds first, then queued ones, newest first within
 * each. The same queries for one team or hundreds: the teams are one list in each.
 */
@Component
class ActiveBuilds {

    private final BuildQueries builds;

    ActiveBuilds(BuildQueries builds) {
        this.builds = builds;
    }

    /** @param teams whose builds; empty: every team's and the builds outside any team (an admin's view) */
    List<BuildView> of(Optional<Set<UUID>> teams, int limit) {
        List<BuildView> active =
                new ArrayList<>(builds.recent(new BuildFilter(Optional.of(BuildStatus.RUNNING), teams, null, limit)));
        if (active.size() < limit) {
            active.addAll(builds.recent(
                    new BuildFilter(Optional.of(BuildStatus.QUEUED), teams, null, limit - active.size())));
        }
        return active;
    }
}
