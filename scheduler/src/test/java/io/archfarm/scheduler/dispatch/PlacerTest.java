package io.archfarm.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.ExecutionMode;
import io.archfarm.model.JobStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.scheduler.jobs.PlatformJob;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PlacerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Platform ARM64 = Platform.LINUX_ARM64;
    private static final Platform S390X = Platform.LINUX_S390X;

    private final Placer placer = new Placer(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(3));

    @Test
    void nativePreferredGoesToTheNativeQueueAndSetsTheDeadline() {
        PlacementDecision decision =
                placer.decide(fresh(ARM64, Placement.NATIVE_PREFERRED), fleet(ARM64, null), List.of(), NOW);

        assertThat(decision).isEqualTo(new PlacementDecision(true, false, NOW.plusSeconds(30), null, null));
    }

    @Test
    void nativePreferredWithoutANativeWorkerGoesStraightToEmulation() {
        PlacementDecision decision =
                placer.decide(fresh(ARM64, Placement.NATIVE_PREFERRED), fleet(null, ARM64), List.of(), NOW);

        assertThat(decision).isEqualTo(new PlacementDecision(false, true, null, null, null));
    }

    @Test
    void nativePreferredWaitsForANativeWorkerUntilTheDeadline() {
        PlatformJob dispatched = job(ARM64, Placement.NATIVE_PREFERRED, true, false, NOW.plusSeconds(5), null);

        PlacementDecision decision = placer.decide(dispatched, fleet(ARM64, ARM64), List.of(), NOW);

        assertThat(decision.sendsAnything()).isFalse();
        assertThat(decision.nativeDeadline()).isEqualTo(NOW.plusSeconds(5));
    }

    @Test
    void nativePreferredAlsoGoesToEmulationOnceTheDeadlinePassed() {
        PlatformJob dispatched = job(ARM64, Placement.NATIVE_PREFERRED, true, false, NOW.minusSeconds(1), null);

        PlacementDecision decision = placer.decide(dispatched, fleet(ARM64, ARM64), List.of(), NOW);

        assertThat(decision.sendEmulated()).isTrue();
        assertThat(decision.sendNative()).isFalse();
    }

    @Test
    void nativePreferredIsNotSentToEmulationTwice() {
        PlatformJob both = job(ARM64, Placement.NATIVE_PREFERRED, true, true, NOW.minusSeconds(1), null);

        assertThat(placer.decide(both, fleet(ARM64, ARM64), List.of(), NOW).sendsAnything())
                .isFalse();
    }

    @Test
    void nativeOnlyNeverGoesToEmulation() {
        PlacementDecision decision =
                placer.decide(fresh(S390X, Placement.NATIVE_ONLY), fleet(null, S390X), List.of(), NOW);

        assertThat(decision.sendsAnything()).isFalse();
        assertThat(decision.unplaceableSince()).isEqualTo(NOW);
        assertThat(decision.failure()).isNull();
    }

    @Test
    void anyGoesToBothQueuesAtOnce() {
        PlacementDecision decision = placer.decide(fresh(ARM64, Placement.ANY), fleet(ARM64, ARM64), List.of(), NOW);

        assertThat(decision.sendNative()).isTrue();
        assertThat(decision.sendEmulated()).isTrue();
    }

    @Test
    void unplaceableJobFailsAfterTheTimeoutNamingPlatformAndPlacement() {
        PlatformJob waiting = job(S390X, Placement.NATIVE_ONLY, false, false, null, NOW.minusSeconds(60));

        PlacementDecision decision = placer.decide(waiting, fleet(ARM64, null), List.of(), NOW);

        assertThat(decision.failure())
                .isEqualTo("no online worker can build linux/s390x natively (placement native-only)");
    }

    @Test
    void unplaceableNativePreferredJobNamesEmulationToo() {
        PlatformJob waiting = job(S390X, Placement.NATIVE_PREFERRED, false, false, null, NOW.minusSeconds(61));

        assertThat(placer.decide(waiting, fleet(null, null), List.of(), NOW).failure())
                .isEqualTo(
                        "no online worker can build linux/s390x natively or under emulation (placement native-preferred)");
    }

    @Test
    void aCapableWorkerClearsUnplaceable() {
        PlatformJob waiting = job(S390X, Placement.NATIVE_PREFERRED, false, false, null, NOW.minusSeconds(59));

        PlacementDecision decision = placer.decide(waiting, fleet(null, S390X), List.of(), NOW);

        assertThat(decision.unplaceableSince()).isNull();
        assertThat(decision.sendEmulated()).isTrue();
    }

    @Test
    void aJobIsOfferedToTheWorkerThatBuiltItLastUntilTheAffinityWaitEnds() {
        Fleet fleet = workers(Map.of("arm-a", worker(ARM64, null), "arm-b", worker(ARM64, null)));

        PlacementDecision decision =
                placer.decide(fresh(ARM64, Placement.NATIVE_PREFERRED), fleet, List.of("arm-b", "arm-a"), NOW);

        assertThat(decision.offer())
                .isEqualTo(new PlacementDecision.Offer("arm-b", ExecutionMode.NATIVE, NOW.plusSeconds(3)));
        assertThat(decision.sendNative()).as("the shared queue not yet").isFalse();
        assertThat(decision.sendEmulated()).isFalse();
        assertThat(decision.nativeDeadline())
                .as("the native wait has not begun")
                .isNull();
    }

    @Test
    void nativeFirstComesBeforeAffinity() {
        Fleet fleet = workers(Map.of("qemu", worker(null, ARM64), "native", worker(ARM64, null)));
        PlatformJob job = fresh(ARM64, Placement.NATIVE_PREFERRED);

        PlacementDecision decision = placer.decide(job, fleet, List.of("qemu"), NOW);

        assertThat(decision.offer())
                .as("an emulating worker is not preferred while a native one is online")
                .isNull();
        assertThat(decision).isEqualTo(new PlacementDecision(true, false, NOW.plusSeconds(30), null, null));
        assertThat(placer.decide(job, fleet, List.of("qemu", "native"), NOW).offer())
                .as("the next warm worker that builds natively is")
                .isEqualTo(new PlacementDecision.Offer("native", ExecutionMode.NATIVE, NOW.plusSeconds(3)));
    }

    @Test
    void anEmulatingWorkerIsPreferredWhenTheJobGoesToEmulationAnyway() {
        Fleet fleet = workers(Map.of("qemu", worker(null, S390X)));

        assertThat(placer.decide(fresh(S390X, Placement.NATIVE_PREFERRED), fleet, List.of("qemu"), NOW)
                        .offer())
                .isEqualTo(new PlacementDecision.Offer("qemu", ExecutionMode.EMULATED, NOW.plusSeconds(3)));
        assertThat(placer.decide(fresh(S390X, Placement.ANY), fleet, List.of("qemu"), NOW)
                        .offer()
                        .mode())
                .isEqualTo(ExecutionMode.EMULATED);
        assertThat(placer.decide(fresh(S390X, Placement.NATIVE_ONLY), fleet, List.of("qemu"), NOW)
                        .offer())
                .as("native-only: unplaceable, never offered to emulation")
                .isNull();
    }

    @Test
    void anOfferedJobWaitsForItsWorkerUntilTheDeadline() {
        Fleet fleet = workers(Map.of("arm-a", worker(ARM64, null), "arm-b", worker(ARM64, null)));
        PlatformJob offered = offered(ARM64, "arm-a", NOW.plusSeconds(1));

        PlacementDecision decision = placer.decide(offered, fleet, List.of(), NOW);

        assertThat(decision.sendsAnything()).isFalse();
        assertThat(decision.failure()).isNull();
    }

    @Test
    void anOfferedJobGoesToTheSharedQueuesOnceTheWaitIsOverAndTheNativeWaitStartsThen() {
        Fleet fleet = workers(Map.of("arm-a", worker(ARM64, null), "arm-b", worker(ARM64, ARM64)));
        PlatformJob offered = offered(ARM64, "arm-a", NOW);

        PlacementDecision decision = placer.decide(offered, fleet, List.of("arm-a"), NOW);

        assertThat(decision)
                .as("never offered twice")
                .isEqualTo(new PlacementDecision(true, false, NOW.plusSeconds(30), null, null));
    }

    @Test
    void anOfferedJobDoesNotWaitForAWorkerThatWentOfflineOrDrains() {
        // FleetReader leaves out OFFLINE and DRAINING workers alike
        Fleet fleet = workers(Map.of("arm-b", worker(ARM64, null)));
        PlatformJob offered = offered(ARM64, "arm-a", NOW.plusSeconds(3));

        PlacementDecision decision = placer.decide(offered, fleet, List.of(), NOW);

        assertThat(decision).isEqualTo(new PlacementDecision(true, false, NOW.plusSeconds(30), null, null));
    }

    @Test
    void noRecentWorkerOrNoWaitMeansNoOffer() {
        Fleet fleet = workers(Map.of("arm-a", worker(ARM64, null)));
        Placer withoutAffinity = new Placer(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ZERO);

        assertThat(placer.decide(fresh(ARM64, Placement.ANY), fleet, List.of(), NOW)
                        .offer())
                .isNull();
        assertThat(placer.decide(fresh(ARM64, Placement.ANY), fleet, List.of("gone"), NOW)
                        .offer())
                .isNull();
        assertThat(withoutAffinity.decide(fresh(ARM64, Placement.ANY), fleet, List.of("arm-a"), NOW))
                .isEqualTo(new PlacementDecision(true, false, null, null, null));
    }

    @Test
    void aRetriedAttemptIsNotOfferedAgain() {
        Fleet fleet = workers(Map.of("arm-a", worker(ARM64, null)));
        // the retry cleared the dispatch flags; the offer of the first attempt ended long ago
        PlatformJob retried = offered(ARM64, "arm-a", NOW.minusSeconds(600));

        PlacementDecision decision = placer.decide(retried, fleet, List.of("arm-a"), NOW);

        assertThat(decision.offer()).isNull();
        assertThat(decision.sendNative()).isTrue();
    }

    private static Fleet workers(Map<String, Fleet.Worker> workers) {
        Set<Platform> nativePlatforms = new HashSet<>();
        Set<Platform> emulatedPlatforms = new HashSet<>();
        workers.values().forEach(each -> {
            nativePlatforms.addAll(each.nativePlatforms());
            emulatedPlatforms.addAll(each.emulatedPlatforms());
        });
        return new Fleet(nativePlatforms, emulatedPlatforms, workers);
    }

    private static Fleet.Worker worker(Platform nativePlatform, Platform emulatedPlatform) {
        return new Fleet.Worker(
                nativePlatform == null ? Set.of() : Set.of(nativePlatform),
                emulatedPlatform == null ? Set.of() : Set.of(emulatedPlatform));
    }

    private static PlatformJob offered(Platform platform, String worker, Instant affinityDeadline) {
        return new PlatformJob(
                UUID.randomUUID(),
                UUID.randomUUID(),
                platform,
                Placement.NATIVE_PREFERRED,
                JobStatus.QUEUED,
                1,
                3,
                null,
                false,
                false,
                null,
                null,
                worker,
                affinityDeadline,
                NOW,
                null);
    }

    private static Fleet fleet(Platform nativePlatform, Platform emulatedPlatform) {
        return new Fleet(
                nativePlatform == null ? Set.of() : Set.of(nativePlatform),
                emulatedPlatform == null ? Set.of() : Set.of(emulatedPlatform),
                Map.of());
    }

    private static PlatformJob fresh(Platform platform, Placement placement) {
        return job(platform, placement, false, false, null, null);
    }

    private static PlatformJob job(
            Platform platform,
            Placement placement,
            boolean dispatchedNative,
            boolean dispatchedEmulated,
            Instant nativeDeadline,
            Instant unplaceableSince) {
        return new PlatformJob(
                UUID.randomUUID(),
                UUID.randomUUID(),
                platform,
                placement,
                JobStatus.QUEUED,
                1,
                3,
                null,
                dispatchedNative,
                dispatchedEmulated,
                nativeDeadline,
                unplaceableSince,
                null,
                null,
                NOW,
                null);
    }
}
