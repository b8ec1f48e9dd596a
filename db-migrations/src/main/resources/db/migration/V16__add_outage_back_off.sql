-- Transient faults: a part of the farm (a registry, a git server) failing for now is retried with back-off within an
-- outage budget rather than failing the build.
--
-- platform_jobs: not_before holds a requeued job back until its back-off is over (dispatch skips it, the sweep picks
-- it up when due); outage_part, outage_since and outage_failures describe the outage its attempts ran into: which
-- part, since when, how many attempts in a row. Null / 0 when the job's attempts met no outage.
alter table platform_jobs
    add column not_before timestamptz,
    add column outage_part text,
    add column outage_since timestamptz,
    add column outage_failures integer not null default 0;

-- builds: the same for the merge, whose registry may fail for now: merge_not_before holds the next merge back.
alter table builds
    add column merge_not_before timestamptz,
    add column merge_outage_part text,
    add column merge_outage_since timestamptz,
    add column merge_outage_failures integer not null default 0;
