package io.archfarm.portal.workers;

import io.archfarm.portal.accounts.Access;
import io.archfarm.portal.problems.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The fleet, read from the scheduler's {@code workers} table; admins drain and resume workers. */
@RestController
@Tag(name = "Workers", description = "the fleet as the scheduler sees it")
class WorkerController {

    private final Fleet fleet;
    private final Access access;

    WorkerController(Fleet fleet, Access access) {
        this.fleet = fleet;
        this.access = access;
    }

    @Operation(summary = "Every worker: platforms, slots, state")
    @GetMapping("/api/v1/workers")
    List<WorkerView> workers() {
        return fleet.workers();
    }

    /** The worker finishes what it runs and takes no new job; the answer shows it as it stands before it obeys. */
    @Operation(summary = "Drain a worker: it finishes what it runs and takes no new job (admin)")
    @ApiResponse(
            responseCode = "202",
            description = "asked; its next heartbeat shows DRAINING",
            useReturnTypeSchema = true)
    @PostMapping("/api/v1/workers/{id}/drain")
    ResponseEntity<WorkerView> drain(@PathVariable String id) {
        access.requireAdmin("drain a worker");
        fleet.drain(id, access.caller().username());
        return ResponseEntity.accepted().body(current(id));
    }

    @Operation(summary = "Resume a drained worker (admin)")
    @ApiResponse(responseCode = "202", description = "asked; it takes jobs again", useReturnTypeSchema = true)
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
