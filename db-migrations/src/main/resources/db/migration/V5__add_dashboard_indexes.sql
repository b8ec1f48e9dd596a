-- The team dashboard. A team's active builds (status QUEUED or RUNNING) and its builds that ended in a window (success
-- rates, failed today) come from this index alone: team, status and finished_at are its keys, id rides along so that
-- the durations below can join platform jobs without reading the builds table.
create index builds_team_status_finished_at_idx on builds (team_id, status, finished_at desc) include (id);

-- The durations of a build's succeeded platform jobs, read without visiting the table (the scheduler's table; the
-- portal only reads it).
create index platform_jobs_succeeded_build_idx on platform_jobs (build_id)
    include (platform, mode, started_at, finished_at) where status = 'SUCCEEDED';
