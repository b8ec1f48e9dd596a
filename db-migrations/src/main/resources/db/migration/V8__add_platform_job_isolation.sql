-- How the worker isolated the RUN steps of a platform job's last finished attempt, as the worker reported it in its
-- result: "netns, egress none", "netns, egress outside", "netns, egress allow-list" or "host, egress unfiltered".
-- Null while the job has not finished, and for jobs from workers that predate isolation levels.
alter table platform_jobs
    add column isolation text;
