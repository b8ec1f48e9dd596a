package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.JobOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BuildFailuresTest {

    @Test
    void namesTheFailingStepAndItsExitCode() {
        JobFailure failure = BuildFailures.of(
                1,
                List.of(
                        "STEP 1/2: FROM 127.0.0.1:5000/base",
                        "STEP 2/2: RUN false",
                        "error building at STEP \"RUN false\": error while running runtime: exit status 1"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(failure.exitCode()).isEqualTo(1);
        assertThat(failure.getMessage())
                .startsWith("step failed: RUN false exited with code 1; buildah exited with code 1")
                .contains("STEP 2/2: RUN false");
    }

    @Test
    void readsNewerBuildahWordingToo() {
        JobFailure failure = BuildFailures.of(
                2, List.of("Error: building at STEP \"RUN make test\": while running runtime: exit status 2"));
        assertThat(failure.getMessage()).startsWith("step failed: RUN make test exited with code 2");
    }

    @Test
    void withoutANamedStepSaysHowBuildahExitedAndKeepsTheLastTwentyLines() {
        List<String> lines = new ArrayList<>(
                IntStream.range(0, 30).mapToObj(i -> "line " + i).toList());
        lines.add("Error: creating build container: pull access denied");
        JobFailure failure = BuildFailures.of(125, lines);
        assertThat(failure.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(failure.getMessage())
                .startsWith("build failed; buildah exited with code 125")
                .contains("line 11", "pull access denied")
                .doesNotContain("line 10\n");
    }

    @Test
    void aKilledBuildahIsTheWorkersTroubleNotTheBuilds() {
        JobFailure failure = BuildFailures.of(137, List.of("STEP 2/2: RUN make"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(failure.getMessage()).contains("killed by signal 9", "buildah exited with code 137");
    }

    @Test
    void aFullDiskIsTheWorkersTrouble() {
        JobFailure failure = BuildFailures.of(
                1, List.of("error building at STEP \"COPY . /src\": write /var/lib/x: no space left on device"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(failure.getMessage()).contains("no space left on device");
    }

    @Test
    void aStoreThatLostTheBaseImageIsTheWorkersTroubleNotTheBuilds() {
        JobFailure failure = BuildFailures.of(
                125,
                List.of(
                        "[2/2] STEP 1/3: FROM 127.0.0.1:5000/acc/busybox:latest",
                        "Error: creating build container: locating pulled image \"127.0.0.1:5000/acc/busybox:latest\" name "
                                + "in containers storage: 127.0.0.1:5000/acc/busybox:latest: image not known"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(failure.exitCode()).isEqualTo(125);
        assertThat(failure.getMessage())
                .startsWith("the worker's image store failed ('image not known'); buildah exited with code 125")
                .contains("locating pulled image");
        assertThat(failure.imageStoreBroken()).isTrue();
    }

    @Test
    void aMissingLayerIsTheWorkersTroubleToo() {
        JobFailure failure = BuildFailures.of(
                125, List.of("Error: mounting new container: mounting build container \"x\": layer not known"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(failure.getMessage()).startsWith("the worker's image store failed ('layer not known')");
    }

    @Test
    void aLayerWhoseFilesAreGoneBreaksTheStore() {
        JobFailure failure = BuildFailures.of(
                125,
                List.of(
                        "STEP 1/2: FROM 127.0.0.1:5000/base",
                        "Error: creating build container: creating container: creating read-write layer with ID \"b296\": "
                                + "Stat /var/lib/archfarm/worker/w/storage/linux-arm64/1/root/vfs/dir/5357: "
                                + "no such file or directory"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(failure.imageStoreBroken()).isTrue();
        assertThat(failure.getMessage()).startsWith("the worker's image store failed ('creating read-write layer')");
    }

    @Test
    void storeWordsPrintedByAFailingRunStepAreTheBuildsOwn() {
        JobFailure failure = BuildFailures.of(
                1,
                List.of(
                        "STEP 2/2: RUN podman run my-image",
                        "Error: my-image: image not known",
                        "error building at STEP \"RUN podman run my-image\": error while running runtime: exit status 125"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(failure.getMessage()).startsWith("step failed: RUN podman run my-image exited with code 125");
    }

    @Test
    void aStageThatDoesNotExistIsTheBuildsOwn() {
        JobFailure failure = BuildFailures.of(
                125,
                List.of(
                        "STEP 2/2: COPY --from=nonexistent /x /x",
                        "Error: COPY --from=nonexistent: no stage or image found with that name"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(failure.getMessage()).startsWith("build failed; buildah exited with code 125");
    }

    @Test
    void aRegistryThatRefusesThePullOfTheFromImageIsItsTroubleAndRetried() {
        // buildah 1.28's own words after its three tries, with nothing of the image in the store
        String refused = "Error: creating build container: initializing source docker://127.0.0.1:5999/archfarm/"
                + "busybox:latest: pinging container registry 127.0.0.1:5999: Get \"http://127.0.0.1:5999/v2/\": "
                + "dial tcp 127.0.0.1:5999: connect: connection refused";
        JobFailure failure = BuildFailures.of(
                125,
                List.of(
                        "STEP 1/2: FROM 127.0.0.1:5999/archfarm/busybox",
                        "Trying to pull 127.0.0.1:5999/archfarm/busybox:latest...",
                        refused));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(failure.getMessage())
                .startsWith("registry 127.0.0.1:5999 failed the pull of a FROM image "
                        + "('connection refused'): the attempt is retried; buildah exited with code 125");
    }

    @Test
    void aRegistryAnswering503IsNamedByItsHost() {
        JobFailure failure = BuildFailures.of(
                125,
                List.of("Error: creating build container: initializing source "
                        + "docker://registry.example:443/team/base:1: reading manifest 1 in registry.example:443/team/base: "
                        + "received unexpected HTTP status: 503 (Service Unavailable)"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.INFRA_FAILED);
        assertThat(failure.getMessage())
                .startsWith("registry registry.example:443 failed the pull of a FROM image "
                        + "('503 (service unavailable)')");
    }

    @Test
    void aRunStepThatCannotConnectIsTheBuildsOwnFailure() {
        JobFailure failure = BuildFailures.of(
                1,
                List.of(
                        "curl: (7) Failed to connect: Connection refused",
                        "Error: building at STEP \"RUN curl http://10.0.0.1/\": while running runtime: exit status 7"));
        assertThat(failure.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(failure.getMessage()).startsWith("step failed: RUN curl http://10.0.0.1/ exited with code 7");
    }
}
