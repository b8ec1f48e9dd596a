package io.archfarm.portal.sessions;

import io.archfarm.portal.FarmAccounts;
import io.archfarm.portal.GitRepositoryFixture;
import io.archfarm.portal.PortalApi.Answer;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A team, a member of it with a password, and running builds of it: the build accepted through the real API, its
 * platform job and log chunks written as the scheduler writes them.
 */
final class TeamBuilds {

    private final FarmAccounts accounts;
    private final JdbcClient jdbc;
    private final GitRepositoryFixture repo;
    private final String team;

    TeamBuilds(FarmAccounts accounts, JdbcClient jdbc, GitRepositoryFixture repo) {
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.repo = repo;
        this.team = accounts.team("sessions");
    }

    String team() {
        return team;
    }

    /** A new viewer of the team; returns the user name (password {@link FarmAccounts#PASSWORD}). */
    String viewer() {
        String username = FarmAccounts.unique("viewer");
        FarmAccounts.expect(
                accounts.admin()
                        .post(
                                "/api/v1/users",
                                "{\"username\":\"%s\",\"password\":\"%s\"}".formatted(username, FarmAccounts.PASSWORD)),
                201);
        FarmAccounts.expect(
                accounts.admin().put("/api/v1/teams/" + team + "/members/" + username, "{\"role\":\"viewer\"}"), 201);
        return username;
    }

    /** A build of the team whose linux/amd64 job runs (attempt 1); returns the job's id and the build's. */
    RunningJob runningBuild() {
        Answer answer =
                FarmAccounts.expect(accounts.admin().post("/api/v1/builds", """
                {"team": "%s", "repository": "%s", "ref": "trunk", "platforms": ["linux/amd64"],
                 "image": "127.0.0.1:5000/sessions/app"}""".formatted(team, repo.url())), 202);
        UUID build = UUID.fromString(answer.json().path("id").asString());
        UUID job = UUID.randomUUID();
        jdbc.sql("""
                insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts, mode,
                                           worker_id, queued_at, started_at)
                values (:id, :build, 'linux/amd64', 'NATIVE_PREFERRED', 'RUNNING', 1, 3, 'NATIVE', 'w-sessions',
                        now(), now())""").param("id", job).param("build", build).update();
        jdbc.sql("""
                insert into job_attempts (job_id, attempt, worker_id, mode, started_at)
                values (:id, 1, 'w-sessions', 'NATIVE', :now)""").param("id", job).param("now", OffsetDateTime.now()).update();
        jdbc.sql("update builds set status = 'RUNNING', started_at = now() where id = :id")
                .param("id", build)
                .update();
        return new RunningJob(build, job);
    }

    /** A log chunk of the job's first attempt, as the scheduler records it. */
    void chunk(RunningJob running, long seq, String content) {
        jdbc.sql("insert into job_logs (job_id, attempt, seq, content) values (:job, 1, :seq, :content)")
                .param("job", running.job())
                .param("seq", seq)
                .param("content", content)
                .update();
    }

    /** The job and the build fail, as the scheduler ends them. */
    void fail(RunningJob running) {
        jdbc.sql("update platform_jobs set status = 'FAILED', finished_at = now() where id = :id")
                .param("id", running.job())
                .update();
        jdbc.sql("update builds set status = 'FAILED', finished_at = now() where id = :id")
                .param("id", running.build())
                .update();
    }

    record RunningJob(UUID build, UUID job) {}
}
