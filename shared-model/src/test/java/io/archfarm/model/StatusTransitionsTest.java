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
    @EnumSource(
            value = BuildStatus.class,
            names = {"SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"})
    void finishedBuildsHaveEndedAndOnlyARetryReopensThem(BuildStatus finished) {
        assertThat(finished.isTerminal()).isTrue();
        for (BuildStatus next : BuildStatus.values()) {
            boolean retry = next == BuildStatus.RUNNING && finished != BuildStatus.SUCCEEDED;
            assertThat(finished.canMoveTo(next)).as("%s -> %s", finished, next).isEqualTo(retry);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = BuildStatus.class,
            names = {"PARTIAL", "FAILED", "CANCELLED"})
    void aBuildWithFailedPlatformsCanBeRetried(BuildStatus ended) {
        assertThat(ended.isRetryable()).isTrue();
        assertThat(ended.moveTo(BuildStatus.RUNNING).moveTo(BuildStatus.SUCCEEDED))
                .isEqualTo(BuildStatus.SUCCEEDED);
    }

    @ParameterizedTest
    @EnumSource(
            value = BuildStatus.class,
            names = {"QUEUED", "RUNNING", "SUCCEEDED"})
    void runningAndSucceededBuildsCannotBeRetried(BuildStatus status) {
        assertThat(status.isRetryable()).isFalse();
    }

    @Test
    void aSucceededBuildIsNeverReopened() {
        assertThatThrownBy(() -> BuildStatus.SUCCEEDED.moveTo(BuildStatus.RUNNING))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("illegal BuildStatus transition SUCCEEDED -> RUNNING");
        assertThatThrownBy(() -> BuildStatus.FAILED.moveTo(BuildStatus.SUCCEEDED))
                .hasMessage("illegal BuildStatus transition FAILED -> SUCCEEDED");
        assertThat(BuildStatus.QUEUED.isTerminal()).isFalse();
        assertThat(BuildStatus.RUNNING.isTerminal()).isFalse();
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
        assertThat(JobStatus.SUCCEEDED.canMoveTo(JobStatus.QUEUED)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(
            value = JobStatus.class,
            names = {"FAILED", "CANCELLED"})
    void anEndedJobIsQueuedAgainOnlyByARetryOfItsBuild(JobStatus ended) {
        assertThat(ended.isTerminal()).isTrue();
        assertThat(ended.moveTo(JobStatus.QUEUED)).isEqualTo(JobStatus.QUEUED);
        for (JobStatus next : JobStatus.values()) {
            assertThat(ended.canMoveTo(next)).as("%s -> %s", ended, next).isEqualTo(next == JobStatus.QUEUED);
        }
        assertThatThrownBy(() -> ended.moveTo(JobStatus.RUNNING))
                .hasMessage("illegal JobStatus transition " + ended + " -> RUNNING");
    }

    @Test
    void placementAndPublishParseTheirWireNames() {
        assertThat(Placement.parse("native-preferred")).isEqualTo(Placement.NATIVE_PREFERRED);
        assertThat(Placement.ANY.wireName()).isEqualTo("any");
        assertThatThrownBy(() -> Placement.parse("native-first"))
                .hasMessageContaining("'native-first'")
                .hasMessageContaining("native-only, native-preferred, any");
        assertThat(PublishPolicy.parse("partial")).isEqualTo(PublishPolicy.PARTIAL);
        assertThatThrownBy(() -> PublishPolicy.parse("some")).hasMessageContaining("'some'");
    }
}
