-- The seed of the benchmarks on a database of their own (scripts/dashboard-benchmark.sh,
-- scripts/metrics-benchmark.sh): one team of 8 projects with :builds builds over :days days, their platform jobs
-- (native and emulated, succeeded, failed, queued, running), a manifest list for every fifth success, and a fleet of
-- five workers. psql -v builds=100000 -v days=90 -f scripts/bench-seed.sql
select setseed(0.42);
insert into teams (id, slug, name, created_at)
values ('00000000-0000-0000-0000-0000000000b1', 'bench', 'Benchmark team', now() - interval '100 days');
insert into projects (id, team_id, slug, repository, default_branch, containerfile, context_dir, platforms, placement,
                      image, tag_templates, branch_filters, tag_filters, publish, webhook_secret, created_at, updated_at)
select ('00000000-0000-0000-0000-0000000001' || lpad(p::text, 2, '0'))::uuid, '00000000-0000-0000-0000-0000000000b1',
       'app-' || p, 'https://git.example.com/bench/app-' || p || '.git', 'main', 'Containerfile', '.',
       '["linux/amd64","linux/arm64","linux/s390x"]', 'NATIVE_PREFERRED', '127.0.0.1:5000/bench/app-' || p,
       '["{branch}"]', '["main"]', '[]', 'ALL', 'not-a-real-secret', now() - interval '100 days', now()
from generate_series(1, 8) p;

-- build 1 is the newest; 3 QUEUED and 5 RUNNING, the rest ended: ~85% SUCCEEDED, then FAILED, CANCELLED, PARTIAL
create temporary table seed_builds as
select i, gen_random_uuid() as id,
       ('00000000-0000-0000-0000-0000000001' || lpad((1 + i % 8)::text, 2, '0'))::uuid as project_id,
       now() - (i - 1) * (interval '1 day' * :days / :builds) - random() * interval '20 seconds' as created_at,
       case when i <= 3 then 'QUEUED' when i <= 8 then 'RUNNING'
            when r < 0.85 then 'SUCCEEDED' when r < 0.95 then 'FAILED' when r < 0.98 then 'CANCELLED'
            else 'PARTIAL' end as status,
       case when i % 3 = 0 then array['linux/amd64', 'linux/arm64']
            else array['linux/amd64', 'linux/arm64', 'linux/s390x'] end as platforms
from (select i, random() as r from generate_series(1, :builds) i) s;

-- one job per platform: amd64 native, arm64 native (60 %) or emulated, s390x emulated; a failing build fails its
-- last platform; emulated jobs take 4-6 times as long
create temporary table seed_jobs as
select j.*, case when status not in ('QUEUED', 'RUNNING') then started_at + seconds * interval '1 second' end
                as finished_at
from (select j.*, (case when mode = 'NATIVE' and platform = 'linux/amd64' then 90 + r * 120
                        when mode = 'NATIVE' then 110 + r * 150
                        when platform = 'linux/arm64' then 420 + r * 600
                        else 600 + r * 900 end) * case when status = 'SUCCEEDED' then 1 else 0.4 end as seconds
      from (select b.id as build_id, b.i, p.platform, b.created_at as queued_at,
                   case when b.status = 'QUEUED' or (b.status = 'RUNNING' and p.n > 1) then 'QUEUED'
                        when b.status = 'RUNNING' then 'RUNNING'
                        when b.status in ('FAILED', 'PARTIAL') and p.n = cardinality(b.platforms) then 'FAILED'
                        when b.status = 'CANCELLED' then 'CANCELLED'
                        else 'SUCCEEDED' end as status,
                   case when p.platform = 'linux/amd64' then 'NATIVE'
                        when p.platform = 'linux/arm64' and random() < 0.6 then 'NATIVE' else 'EMULATED' end as mode,
                   b.created_at + (2 + random() * 20) * interval '1 second' as started_at,
                   random() as r
            from seed_builds b cross join lateral unnest(b.platforms) with ordinality as p(platform, n)) j) j;

insert into builds (id, status, repository, ref, commit_sha, containerfile, context_dir, image, tags, platforms,
                    build_args, placement, publish, error, requested_by, created_at, started_at, finished_at,
                    team_id, project_id, build_number, trigger)
select b.id, b.status, 'https://git.example.com/bench/app.git',
       case when b.i % 7 = 0 then 'refs/heads/feature-' || (b.i % 50) else 'refs/heads/main' end, md5(b.i::text),
       'Containerfile', '.', '127.0.0.1:5000/bench/app', '["latest"]', to_jsonb(b.platforms), '{}',
       'NATIVE_PREFERRED', 'ALL', case when b.status in ('FAILED', 'PARTIAL') then 'a platform failed' end,
       'bench', b.created_at, case when b.status <> 'QUEUED' then t.started_at end,
       case when b.status not in ('QUEUED', 'RUNNING') then t.finished_at end,
       '00000000-0000-0000-0000-0000000000b1', b.project_id,
       row_number() over (partition by b.project_id order by b.created_at), 'WEBHOOK'
from seed_builds b
join (select build_id, min(started_at) as started_at, max(finished_at) as finished_at
      from seed_jobs group by build_id) t on t.build_id = b.id;
update projects p set last_build_number = (select max(build_number) from builds b where b.project_id = p.id)
where p.team_id = '00000000-0000-0000-0000-0000000000b1';

insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts, mode, worker_id,
                           dispatched_native, dispatched_emulated, digest, image_size, media_type, error, exit_code,
                           build_millis, queued_at, started_at, finished_at)
select gen_random_uuid(), build_id, platform, 'NATIVE_PREFERRED', status,
       case when status = 'QUEUED' then 0 else 1 end, 3, case when status <> 'QUEUED' then mode end,
       case when status = 'QUEUED' then null when mode = 'NATIVE' then 'bench-native-' || (1 + i % 3)
            else 'bench-emulated-1' end,
       status <> 'QUEUED' and mode = 'NATIVE', status <> 'QUEUED' and mode = 'EMULATED',
       case when status = 'SUCCEEDED' then 'sha256:' || md5(build_id::text || platform) || md5(platform || build_id::text) end,
       case when status = 'SUCCEEDED' then 2000000 + (r * 5000000)::bigint end,
       case when status = 'SUCCEEDED' then 'application/vnd.oci.image.manifest.v1+json' end,
       case when status = 'FAILED' then 'step 3/5 RUN make: exit status 2' end,
       case when status = 'FAILED' then 2 end,
       case when finished_at is not null then (seconds * 1000)::bigint end,
       queued_at, case when status <> 'QUEUED' then started_at end, finished_at
from seed_jobs;

-- a manifest list for every fifth succeeded build, with one entry per platform
create temporary table seed_lists as
select gen_random_uuid() as id, b.id as build_id, 'sha256:' || md5(b.id::text) || md5(b.i::text) as digest,
       b.created_at + interval '30 minutes' as created_at
from seed_builds b where b.status = 'SUCCEEDED' and b.i % 5 = 0;
insert into manifest_lists (id, build_id, digest, media_type, size, tags, content, created_at)
select id, build_id, digest, 'application/vnd.oci.image.index.v1+json', 1024, '["127.0.0.1:5000/bench/app:latest"]',
       '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}', created_at
from seed_lists;
insert into manifest_list_entries (manifest_list_id, platform, digest, size, media_type)
select l.id, j.platform, j.digest, j.image_size, j.media_type
from seed_lists l join platform_jobs j on j.build_id = l.build_id;

insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status, draining, first_seen,
                     last_seen)
values ('bench-native-1', 'amd64-1', '["linux/amd64"]', '["linux/arm64","linux/s390x"]', 4, 2, 'ONLINE', false,
        now() - interval '90 days', now()),
       ('bench-native-2', 'arm64-1', '["linux/arm64"]', '[]', 4, 1, 'ONLINE', false, now() - interval '90 days', now()),
       ('bench-native-3', 'amd64-2', '["linux/amd64"]', '[]', 4, 0, 'DRAINING', true, now() - interval '90 days', now()),
       ('bench-emulated-1', 'amd64-3', '[]', '["linux/arm64","linux/s390x"]', 2, 2, 'ONLINE', false,
        now() - interval '90 days', now()),
       ('bench-gone-1', 'amd64-4', '["linux/amd64"]', '[]', 4, 0, 'OFFLINE', false, now() - interval '90 days',
        now() - interval '3 days');
