package io.archfarm.model.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JobLogContextTest {

    private final UUID build = UUID.randomUUID();
    private final UUID job = UUID.randomUUID();

    @Test
    void theIdsAreInTheContextWhileItIsOpenAndGoneAfter() {
        try (JobLogContext context = JobLogContext.ofJob(build, job, "linux/arm64", 2)) {
            assertThat(MDC.get(JobLogContext.BUILD_ID)).isEqualTo(build.toString());
            assertThat(MDC.get(JobLogContext.JOB_ID)).isEqualTo(job.toString());
            assertThat(MDC.get(JobLogContext.PLATFORM)).isEqualTo("linux/arm64");
            assertThat(MDC.get(JobLogContext.ATTEMPT)).isEqualTo("2");
        }
        assertThat(MDC.getCopyOfContextMap())
                .doesNotContainKeys(
                        JobLogContext.BUILD_ID, JobLogContext.JOB_ID, JobLogContext.PLATFORM, JobLogContext.ATTEMPT);
    }

    @Test
    void anInnerContextGivesTheOuterOneItsValuesBack() {
        UUID other = UUID.randomUUID();
        try (JobLogContext outer = JobLogContext.ofBuild(build)) {
            try (JobLogContext inner = JobLogContext.ofJob(other, job, null, 1).with(JobLogContext.BUILD_ID, job)) {
                assertThat(MDC.get(JobLogContext.BUILD_ID)).isEqualTo(job.toString());
                assertThat(MDC.get(JobLogContext.PLATFORM))
                        .as("an unknown value is left out")
                        .isNull();
            }
            assertThat(MDC.get(JobLogContext.BUILD_ID)).isEqualTo(build.toString());
            assertThat(MDC.get(JobLogContext.JOB_ID)).isNull();
        }
        assertThat(MDC.get(JobLogContext.BUILD_ID)).isNull();
    }
}
