-- Where the time of a platform job's last finished attempt went, in milliseconds: an object with the keys queueWait
-- (queued -> claimed, scheduler), claim (the claim's round trip), fetch, pull (base images), build (without the pull),
-- push (worker), and merge (the job's share of the build's merge, scheduler). A key is absent where the phase was not
-- measured. One jsonb column rather than seven: the phases are always read together, written at two moments by two
-- components (the result, then the merge), and the set will grow (cache work) without a migration each time; a
-- figure is still one expression away in SQL, (phases->>'build')::bigint.
-- Null while the job has not finished (or was retried after an infrastructure failure); a worker that predates phases
-- leaves only the scheduler's keys.
alter table platform_jobs
    add column phases jsonb;
