package io.archfarm.scheduler;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rows for tests of the stores and of the merge, written as the portal and earlier transitions would have left them:
 * a build in the portal's shape, and platform jobs in a given status and attempt.
 */
public final class StoreRows {

    private final JdbcClient jdbc;

    public StoreRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public UUID build(String status, String image) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into builds (id, status, repository, ref, commit_sha, containerfile, context_dir, image, tags,
                    platforms, placement, publish, requested_by, created_at)
                values (:id, :status, 'https://git.example/demo.git', 'main',
                    'c0ffee0000000000000000000000000000000000', 'Containerfile', '.', :image, '["1.0"]',
                    '["linux/amd64"]', 'NATIVE_ONLY', 'ALL', 'alice', now())""")
                .param("id", id)
                .param("status", status)
                .param("image", image)
                .update();
        return id;
    }

    public UUID job(UUID buildId, String platform, String status, int attempt) {
        return job(buildId, platform, status, attempt, null);
    }

    public UUID job(UUID buildId, String platform, String status, int attempt, String digest) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts, queued_at,
                    worker_id, digest)
                values (:id, :build, :platform, 'NATIVE_ONLY', :status, :attempt, 3, now(), :worker, :digest)""")
                .param("id", id)
                .param("build", buildId)
                .param("platform", platform)
                .param("status", status)
                .param("attempt", attempt)
                .param("worker", status.equals("RUNNING") ? "w-1" : null)
                .param("digest", digest)
                .update();
        return id;
    }
}
