-- Cache affinity: a job is first offered to the worker that most recently built the same project (or, for a build of
-- no project, the same repository) and platform, on that worker's own queue, for archfarm.scheduler.affinity-wait.
-- affinity_worker: that preferred worker, null when there was none (or affinity is off).
-- affinity_deadline: when the offer ends and the shared queues get the job; null when the job was never offered.
-- affinity: set at the claim: HIT (the preferred worker claimed it), MISS (another one did), NONE (no preferred
-- worker). The choice is made once per job, at its first placement; a retried attempt goes straight to the shared
-- queues and its claim sets affinity again against the same preferred worker.
alter table platform_jobs
    add column affinity_worker   text,
    add column affinity_deadline timestamptz,
    add column affinity          varchar(8),
    add constraint platform_jobs_affinity_check check (affinity is null or affinity in ('HIT','MISS','NONE'));

-- the preferred worker is looked up among recent successes of the job's platform
create index platform_jobs_succeeded_idx on platform_jobs (platform, finished_at desc) where status = 'SUCCEEDED';
