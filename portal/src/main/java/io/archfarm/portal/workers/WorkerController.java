package io.archfarm.portal.workers;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.web.ApiProblem;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The fleet, read from the scheduler's {@code workers} table; admins drain and resume workers. */
@RestController
class WorkerController {

    private final Fleet fleet;
    private final Access access;

    WorkerController(Fleet fleet, Access access) {
        this.fleet = fleet;
        this.access = access;
    }

    @GetMapping("/api/v1/workers")
    List<WorkerView> workers() {
        return fleet.workers();
    }

    /** The worker finishes what it runs and takes no new job; the answer shows it as it stands before it obeys. */
    @PostMapping("/api/v1/workers/{id}/drain")
    ResponseEntity<WorkerView> drain(@PathVariable String id) {
        access.requireAdmin("drain a worker");
        fleet.drain(id, access.caller().username());
        return ResponseEntity.accepted().body(current(id));
    }

    @PostMapping("/api/v1/workers/{id}/resume")
    ResponseEntity<WorkerView> resume(@PathVariable String id) {
        access.requireAdmin("resume a worker");
        fleet.resume(id, access.caller().username());
        return ResponseEntity.accepted().body(current(id));
    }

    private WorkerView current(String id) {
        return fleet.worker(id).orElseThrow(() -> ApiProblem.notFound("worker '" + id + "' does not exist"));
    }
}
