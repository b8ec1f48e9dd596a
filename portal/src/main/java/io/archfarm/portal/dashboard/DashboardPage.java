package io.archfarm.portal.dashboard;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.accounts.TeamRole;
import io.archfarm.portal.builds.BuildQueries;
import io.archfarm.portal.builds.BuildQueries.BuildFilter;
import io.archfarm.portal.pages.CurrentTeam;
import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.web.Formats;
import io.archfarm.portal.web.UiController;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import java.util.Set;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The current team at a glance ({@code /}): its running and queued builds, recent builds, success rates, how long
 * each platform takes native and emulated, queue depth and the fleet. Each panel is also served alone, for htmx to
 * refresh it in place ({@code GET /dashboard/<panel>?of=<team>}); the full page renders the same panels, so it works
 * without JavaScript.
 */
@UiController
class DashboardPage {

    private static final int ACTIVE = 25;
    private static final int RECENT = 15;

    private final CurrentTeam currentTeam;
    private final Access access;
    private final BuildQueries builds;
    private final ActiveBuilds activeBuilds;
    private final DashboardQueries live;
    private final TeamStatisticsSnapshots statistics;
    private final Formats fmt;

    DashboardPage(
            CurrentTeam currentTeam,
            Access access,
            BuildQueries builds,
            ActiveBuilds activeBuilds,
            DashboardQueries live,
            TeamStatisticsSnapshots statistics,
            Formats fmt) {
        this.currentTeam = currentTeam;
        this.access = access;
        this.builds = builds;
        this.activeBuilds = activeBuilds;
        this.live = live;
        this.statistics = statistics;
        this.fmt = fmt;
    }

    @GetMapping("/")
    String dashboard(@RequestParam(required = false) String team, HttpSession session, Model model) {
        Optional<TeamRole> current = currentTeam.resolve(session, team);
        if (current.isEmpty()) {
            return "dashboard/no-team";
        }
        model.addAttribute("team", current.get());
        active(current.get(), model);
        recent(current.get(), model);
        statistics(current.get(), model);
        queue(current.get(), model);
        model.addAttribute("workers", live.workers());
        return "dashboard/page";
    }

    @GetMapping("/dashboard/active")
    String activePanel(@RequestParam(required = false) String of, HttpSession session, Model model) {
        active(teamOf(session, of, model), model);
        return "dashboard/panels :: active";
    }

    @GetMapping("/dashboard/recent")
    String recentPanel(@RequestParam(required = false) String of, HttpSession session, Model model) {
        recent(teamOf(session, of, model), model);
        return "dashboard/panels :: recent";
    }

    @GetMapping("/dashboard/success-rate")
    String successRatePanel(@RequestParam(required = false) String of, HttpSession session, Model model) {
        statistics(teamOf(session, of, model), model);
        return "dashboard/panels :: successRate";
    }

    @GetMapping("/dashboard/durations")
    String durationsPanel(@RequestParam(required = false) String of, HttpSession session, Model model) {
        statistics(teamOf(session, of, model), model);
        return "dashboard/panels :: durations";
    }

    @GetMapping("/dashboard/queue")
    String queuePanel(@RequestParam(required = false) String of, HttpSession session, Model model) {
        queue(teamOf(session, of, model), model);
        return "dashboard/panels :: queue";
    }

    @GetMapping("/dashboard/workers")
    String workersPanel(@RequestParam(required = false) String of, HttpSession session, Model model) {
        teamOf(session, of, model);
        model.addAttribute("workers", live.workers());
        return "dashboard/panels :: workers";
    }

    /**
     * The team whose page asked for a panel ({@code ?of=<slug>}), when the caller is in it. Not {@code ?team=}, which
     * would switch the session's current team: a dashboard left open in one tab must not switch back a team chosen
     * in another.
     */
    private TeamRole teamOf(HttpSession session, String of, Model model) {
        TeamRole current = access.teams().stream()
                .filter(team -> team.slug().equals(of))
                .findFirst()
                .or(() -> currentTeam.resolve(session, null))
                .orElseThrow(() -> ApiProblem.notFound("you are in no team, so there is no dashboard to show"));
        model.addAttribute("team", current);
        return current;
    }

    private void active(TeamRole team, Model model) {
        model.addAttribute("active", activeBuilds.of(Optional.of(Set.of(team.teamId())), ACTIVE));
    }

    private void recent(TeamRole team, Model model) {
        model.addAttribute(
                "recent",
                builds.recent(new BuildFilter(Optional.empty(), Optional.of(Set.of(team.teamId())), null, RECENT)));
        model.addAttribute("failedToday", live.failedToday(team.teamId()));
    }

    private void statistics(TeamRole team, Model model) {
        TeamStatistics stats = statistics.of(team.teamId());
        model.addAttribute("stats", stats);
        model.addAttribute("barChart", BarChart.of(stats.durations(), fmt));
        model.addAttribute("lineChart", LineChart.of(stats.days(), stats.daily(), fmt));
    }

    private void queue(TeamRole team, Model model) {
        model.addAttribute("queue", live.queueDepth(Optional.of(Set.of(team.teamId()))));
    }
}
