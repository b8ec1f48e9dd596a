package io.archfarm.portal.workers;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.web.UiController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** {@code /workers}: the fleet, what each worker runs, and for admins drain and resume. */
@UiController
class FleetPage {

    private final Fleet fleet;
    private final CurrentJobs currentJobs;
    private final Access access;

    FleetPage(Fleet fleet, CurrentJobs currentJobs, Access access) {
        this.fleet = fleet;
        this.currentJobs = currentJobs;
        this.access = access;
    }

    @GetMapping("/workers")
    String workers(Model model) {
        fleetModel(model);
        return "workers/list";
    }

    /** The table alone, which the page re-fetches every few seconds. */
    @GetMapping("/workers/table")
    String table(Model model) {
        fleetModel(model);
        return "workers/list :: table";
    }

    @PostMapping("/workers/{id}/drain")
    String drain(@PathVariable String id, RedirectAttributes redirect) {
        access.requireAdmin("drain a worker");
        fleet.drain(id, access.caller().username());
        redirect.addFlashAttribute("notice", "workers.drainRequested");
        redirect.addFlashAttribute("noticeArgument", id);
        return "redirect:/workers";
    }

    @PostMapping("/workers/{id}/resume")
    String resume(@PathVariable String id, RedirectAttributes redirect) {
        access.requireAdmin("resume a worker");
        fleet.resume(id, access.caller().username());
        redirect.addFlashAttribute("notice", "workers.resumeRequested");
        redirect.addFlashAttribute("noticeArgument", id);
        return "redirect:/workers";
    }

    private void fleetModel(Model model) {
        model.addAttribute("workers", fleet.workers());
        model.addAttribute("jobs", currentJobs.byWorker(access.visibleTeamIds()));
        model.addAttribute("admin", access.caller().admin());
    }
}
