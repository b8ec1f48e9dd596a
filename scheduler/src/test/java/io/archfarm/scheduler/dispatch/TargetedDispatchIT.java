package io.archfarm.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.Platform;
import io.archfarm.scheduler.NoTicks;
import io.archfarm.scheduler.StoreRows;
import io.archfarm.testing.ArchfarmTestServices;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An event dispatches what it concerns, however many jobs are queued: a new build its own jobs, a worker that joined
 * its platforms' jobs. The sweep looks at all of them. The test prints the jobs each looked at, for the figures. No
 * scheduled duty runs ({@link NoTicks}), so only the test dispatches.
 */
@SpringBootTest
@Import({ArchfarmTestServices.class, NoTicks.class})
class TargetedDispatchIT {

    private static final int QUEUED = 500;

    @Autowired
    DispatchQueuedJobs dispatcher;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anEventLooksOnlyAtTheJobsItConcerns() {
        StoreRows rows = new StoreRows(jdbc);
        UUID backlog = rows.build("QUEUED", "127.0.0.1:1/demo/backlog");
        // one build cannot have two jobs of a platform: a backlog of many builds, as a busy farm has
        jdbc.sql("""
                insert into builds (id, status, repository, ref, commit_sha, containerfile, context_dir, image,
                    platforms, placement, publish, requested_by, created_at)
                select gen_random_uuid(), 'QUEUED', repository, ref, commit_sha, containerfile, context_dir, image,
                    platforms, placement, publish, requested_by, now()
                from builds, generate_series(2, :n) where id = :backlog""").param("n", QUEUED).param("backlog", backlog).update();
        jdbc.sql("""
                insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts, queued_at)
                select gen_random_uuid(), id, 'linux/s390x', 'NATIVE_ONLY', 'QUEUED', 0, 3, now() from builds
                where image = '127.0.0.1:1/demo/backlog'""").update();
        UUID fresh = rows.build("QUEUED", "127.0.0.1:1/demo/fresh");
        rows.job(fresh, "linux/386", "QUEUED", 0);
        rows.job(fresh, "linux/arm/v7", "QUEUED", 0);

        long start = System.nanoTime();
        int byBuild = dispatcher.dispatchBuild(fresh);
        long buildMicros = (System.nanoTime() - start) / 1000;
        start = System.nanoTime();
        int byPlatform = dispatcher.dispatchPlatforms(List.of(Platform.parse("linux/386")));
        long platformMicros = (System.nanoTime() - start) / 1000;
        start = System.nanoTime();
        int swept = dispatcher.sweep();
        long sweepMicros = (System.nanoTime() - start) / 1000;
        // the second sweep finds every job as the first left it (unplaceable since then): what each event cost before
        start = System.nanoTime();
        int sweptAgain = dispatcher.sweep();
        long againMicros = (System.nanoTime() - start) / 1000;

        System.out.printf(
                "[figures] with %d queued jobs: a new build's dispatch looked at %d jobs (%d us), a joined"
                        + " worker's at %d (%d us), the sweep at %d (%d us; again, with nothing to write: %d jobs, %d us)%n",
                QUEUED + 2,
                byBuild,
                buildMicros,
                byPlatform,
                platformMicros,
                swept,
                sweepMicros,
                sweptAgain,
                againMicros);
        assertThat(byBuild).isEqualTo(2);
        assertThat(byPlatform).isEqualTo(1);
        assertThat(swept).isGreaterThanOrEqualTo(QUEUED + 2);
    }
}
