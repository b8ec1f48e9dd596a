-- A build history at scale for BuildHistoryAtScaleIT: 102,000 builds over 90 days, build 1 the newest: team
-- hist-small's every 50th (project app-9), team hist-big's the other 99,960 (projects app-1 .. app-8). Statuses:
-- 3 QUEUED, 5 RUNNING, then ~85% SUCCEEDED, FAILED, CANCELLED, PARTIAL. Refs: mostly refs/heads/main, every 7th a
-- feature branch, every 499th a tag v<n>. Triggers: WEBHOOK (by pusher-<n>), every 19th API (by ada), every 97th
-- UI (by bob). Platforms: amd64+arm64(+s390x), every 997th linux/riscv64 alone. A SUCCEEDED build published a
-- manifest list tagged main and sha-<7 hex of its commit>. The rare values fall in both teams.
insert into teams (id, slug, name, created_at)
values ('00000000-0000-0000-0000-0000000000a1', 'hist-big', 'History, big', now()),
       ('00000000-0000-0000-0000-0000000000a2', 'hist-small', 'History, small', now());

insert into projects (id, team_id, slug, repository, default_branch, containerfile, context_dir, platforms, placement,
                      image, tag_templates, branch_filters, tag_filters, publish, webhook_secret, created_at, updated_at)
select ('00000000-0000-0000-0000-0000000001' || lpad(p::text, 2, '0'))::uuid,
       case when p = 9 then '00000000-0000-0000-0000-0000000000a2'::uuid
            else '00000000-0000-0000-0000-0000000000a1'::uuid end,
       'app-' || p, 'https://git.example.com/hist/app-' || p || '.git', 'main', 'Containerfile', '.',
       '["linux/amd64","linux/arm64"]', 'NATIVE_PREFERRED', 'registry.example.com/hist/app-' || p,
       '["{branch}", "sha-{sha:7}"]', '["main"]', '[]', 'ALL', 'not-a-real-secret', now() - interval '100 days', now()
from generate_series(1, 9) p;

create temporary table seed_builds as
select i, gen_random_uuid() as id,
       case when i % 50 = 0 then 9 else 1 + i % 8 end as project,
       now() - (i - 1) * (interval '90 days' / 102000) as created_at,
       case when i <= 3 then 'QUEUED' when i <= 8 then 'RUNNING'
            when r < 0.85 then 'SUCCEEDED' when r < 0.95 then 'FAILED' when r < 0.98 then 'CANCELLED'
            else 'PARTIAL' end as status
from (select i, random() as r from generate_series(1, 102000) i) s;

insert into builds (id, status, repository, ref, branch, commit_sha, containerfile, context_dir, image, tags, platforms,
                    build_args, placement, publish, requested_by, created_at, team_id, project_id, build_number,
                    trigger)
select b.id, b.status, 'https://git.example.com/hist/app-' || b.project || '.git',
       case when b.i % 499 = 11 then 'v' || b.i when b.i % 7 = 0 then 'refs/heads/feature-' || (b.i % 50)
            else 'refs/heads/main' end,
       case when b.i % 499 = 11 then null when b.i % 7 = 0 then 'feature-' || (b.i % 50) else 'main' end,
       md5(b.i::text) || substr(md5('x' || b.i), 1, 8),
       'Containerfile', '.', 'registry.example.com/hist/app-' || b.project, '["main"]',
       case when b.i % 997 = 7 then '["linux/riscv64"]'::jsonb when b.i % 3 = 0 then '["linux/amd64","linux/arm64"]'
            else '["linux/amd64","linux/arm64","linux/s390x"]' end,
       '{}', 'NATIVE_PREFERRED', 'ALL',
       case when b.i % 97 = 1 then 'bob' when b.i % 19 = 3 then 'ada' else 'pusher-' || (b.i % 13) end,
       b.created_at,
       case when b.project = 9 then '00000000-0000-0000-0000-0000000000a2'::uuid
            else '00000000-0000-0000-0000-0000000000a1'::uuid end,
       ('00000000-0000-0000-0000-0000000001' || lpad(b.project::text, 2, '0'))::uuid,
       row_number() over (partition by b.project order by b.created_at),
       case when b.i % 97 = 1 then 'UI' when b.i % 19 = 3 then 'API' else 'WEBHOOK' end
from seed_builds b
order by b.created_at;

insert into manifest_lists (id, build_id, digest, media_type, size, tags, content, created_at)
select gen_random_uuid(), b.id, 'sha256:' || md5(b.id::text) || md5(b.commit_sha),
       'application/vnd.oci.image.index.v1+json', 700,
       jsonb_build_array('main', 'sha-' || substr(b.commit_sha, 1, 7)), '{}', b.created_at
from builds b where b.status = 'SUCCEEDED';

analyze builds;
analyze manifest_lists;
