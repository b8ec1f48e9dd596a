package io.archfarm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusTransitionsTest {

    @Test
    void aBuildRunsThenEnds() {
        assertThat(BuildStatus.QUEUED.moveTo(BuildStatus.RUNNING).moveTo(BuildStatus.PARTIAL))
                .isEqualTo(BuildStatus.PARTIAL);
        assertThat(BuildStatus.QUEUED.canMoveTo(BuildStatus.FAILED)).isTrue();
        assertThat(BuildStatus.QUEUED.canMoveTo(BuildStatus.CANCELLED)).isTrue();
    }

    @Test
    void aQueuedBuildCannotSucceedWithoutRunning() {
        assertThatThrownBy(() -> BuildStatus.QUEUED.moveTo(BuildStatus.SUCCEEDED))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("illegal BuildStatus transition QUEUED -> SUCCEEDED");
    }

    @ParameterizedTest
    @EnumSource(value = BuildStatus.class, names = {"SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"})
    void finishedBuildsNeverChange(BuildStatus finished) {
        assertThat(finished.isTerminal()).isTrue();
        for (BuildStatus next : BuildStatus.values()) {
            assertThat(finished.canMoveTo(next)).as("%s -> %s", finished, next).isFalse();
        }
    }

    @Test
    void aRunningJobCanBeRetried() {
        assertThat(JobStatus.RUNNING.moveTo(JobStatus.QUEUED)).isEqualTo(JobStatus.QUEUED);
        assertThat(JobStatus.QUEUED.isTerminal()).isFalse();
    }

    @Test
    void aSucceededJobStaysSucceeded() {
        assertThatThrownBy(() -> JobStatus.SUCCEEDED.moveTo(JobStatus.RUNNING))
                .hasMessage("illegal JobStatus transition SUCCEEDED -> RUNNING");
    }

    @Test
    void placementAndPublishParseTheirWireNames() {
        assertThat(Placement.parse("native-preferred")).isEqualTo(Placement.NATIVE_PREFERRED);
        assertThat(Placement.ANY.wireName()).isEqualTo("any");
        assertThatThrownBy(() -> Placement.parse("native-first")).hasMessageContaining("'native-first'")
                .hasMessageContaining("native-only, native-preferred, any");
        assertThat(PublishPolicy.parse("partial")).isEqualTo(PublishPolicy.PARTIAL);
        assertThatThrownBy(() -> PublishPolicy.parse("some")).hasMessageContaining("'some'");
    }
}
