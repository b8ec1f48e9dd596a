package io.archfarm.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.JobStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.scheduler.jobs.PlatformJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PlacerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Platform ARM64 = Platform.LINUX_ARM64;
    private static final Platform S390X = Platform.LINUX_S390X;

    private final Placer placer = new Placer(Duration.ofSeconds(30), Duration.ofSeconds(60));

    @Test
    void nativePreferredGoesToTheNativeQueueAndSetsTheDeadline() {
        PlacementDecision decision = placer.decide(fresh(ARM64, Placement.NATIVE_PREFERRED), fleet(ARM64, null), NOW);

        assertThat(decision).isEqualTo(new PlacementDecision(true, false, NOW.plusSeconds(30), null, null));
    }

    @Test
    void nativePreferredWithoutANativeWorkerGoesStraightToEmulation() {
        PlacementDecision decision = placer.decide(fresh(ARM64, Placement.NATIVE_PREFERRED), fleet(null, ARM64), NOW);

        assertThat(decision).isEqualTo(new PlacementDecision(false, true, null, null, null));
    }

    @Test
    void nativePreferredWaitsForANativeWorkerUntilTheDeadline() {
        PlatformJob dispatched = job(ARM64, Placement.NATIVE_PREFERRED, true, false, NOW.plusSeconds(5), null);

        PlacementDecision decision = placer.decide(dispatched, fleet(ARM64, ARM64), NOW);

        assertThat(decision.sendsAnything()).isFalse();
        assertThat(decision.nativeDeadline()).isEqualTo(NOW.plusSeconds(5));
    }

    @Test
    void nativePreferredAlsoGoesToEmulationOnceTheDeadlinePassed() {
        PlatformJob dispatched = job(ARM64, Placement.NATIVE_PREFERRED, true, false, NOW.minusSeconds(1), null);

        PlacementDecision decision = placer.decide(dispatched, fleet(ARM64, ARM64), NOW);

        assertThat(decision.sendEmulated()).isTrue();
        assertThat(decision.sendNative()).isFalse();
    }

    @Test
    void nativePreferredIsNotSentToEmulationTwice() {
        PlatformJob both = job(ARM64, Placement.NATIVE_PREFERRED, true, true, NOW.minusSeconds(1), null);

        assertThat(placer.decide(both, fleet(ARM64, ARM64), NOW).sendsAnything()).isFalse();
    }

    @Test
    void nativeOnlyNeverGoesToEmulation() {
        PlacementDecision decision = placer.decide(fresh(S390X, Placement.NATIVE_ONLY), fleet(null, S390X), NOW);

        assertThat(decision.sendsAnything()).isFalse();
        assertThat(decision.unplaceableSince()).isEqualTo(NOW);
        assertThat(decision.failure()).isNull();
    }

    @Test
    void anyGoesToBothQueuesAtOnce() {
        PlacementDecision decision = placer.decide(fresh(ARM64, Placement.ANY), fleet(ARM64, ARM64), NOW);

        assertThat(decision.sendNative()).isTrue();
        assertThat(decision.sendEmulated()).isTrue();
    }

    @Test
    void unplaceableJobFailsAfterTheTimeoutNamingPlatformAndPlacement() {
        PlatformJob waiting = job(S390X, Placement.NATIVE_ONLY, false, false, null, NOW.minusSeconds(60));

        PlacementDecision decision = placer.decide(waiting, fleet(ARM64, null), NOW);

        assertThat(decision.failure())
                .isEqualTo("no online worker can build linux/s390x natively (placement native-only)");
    }

    @Test
    void unplaceableNativePreferredJobNamesEmulationToo() {
        PlatformJob waiting = job(S390X, Placement.NATIVE_PREFERRED, false, false, null, NOW.minusSeconds(61));

        assertThat(placer.decide(waiting, fleet(null, null), NOW).failure()).isEqualTo(
                "no online worker can build linux/s390x natively or under emulation (placement native-preferred)");
    }

    @Test
    void aCapableWorkerClearsUnplaceable() {
        PlatformJob waiting = job(S390X, Placement.NATIVE_PREFERRED, false, false, null, NOW.minusSeconds(59));

        PlacementDecision decision = placer.decide(waiting, fleet(null, S390X), NOW);

        assertThat(decision.unplaceableSince()).isNull();
        assertThat(decision.sendEmulated()).isTrue();
    }

    private static Fleet fleet(Platform nativePlatform, Platform emulatedPlatform) {
        return new Fleet(nativePlatform == null ? Set.of() : Set.of(nativePlatform),
                emulatedPlatform == null ? Set.of() : Set.of(emulatedPlatform));
    }

    private static PlatformJob fresh(Platform platform, Placement placement) {
        return job(platform, placement, false, false, null, null);
    }

    private static PlatformJob job(Platform platform, Placement placement, boolean dispatchedNative,
            boolean dispatchedEmulated, Instant nativeDeadline, Instant unplaceableSince) {
        return new PlatformJob(UUID.randomUUID(), UUID.randomUUID(), platform, placement, JobStatus.QUEUED, 1, 3,
                null, dispatchedNative, dispatchedEmulated, nativeDeadline, unplaceableSince);
    }
}
