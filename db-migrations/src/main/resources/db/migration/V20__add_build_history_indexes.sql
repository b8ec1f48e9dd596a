-- The build history people search (GET /api/v1/builds, the builds page): newest first in the order the farm accepted
-- the builds, a keyset page at a time (accepted_seq < the cursor). Measured with EXPLAIN ANALYZE on 102,000 builds
-- (BuildHistoryAtScaleTest): without these every search but a status or a date range was a sequential scan of builds
-- (70-250 ms a page); with them each filter walks an index.

-- the order of every page, and what makes a cursor exact: accepted_seq is an identity, so it is unique
create unique index builds_accepted_seq_uq on builds (accepted_seq);
-- a team's or a project's history, when they hold few of the farm's builds
create index builds_team_accepted_idx on builds (team_id, accepted_seq);
create index builds_project_accepted_idx on builds (project_id, accepted_seq);
-- filters that pick few builds out of many: a commit (by prefix, as a range), a tag or branch, who started it, a
-- platform rarely built
create index builds_commit_idx on builds (commit_sha);
create index builds_ref_idx on builds (ref);
create index builds_branch_idx on builds (branch);
create index builds_requested_by_idx on builds (lower(requested_by));
create index builds_platforms_idx on builds using gin (platforms jsonb_path_ops);
-- builds that published an image: by index digest, or by a tag it was pushed under
create index manifest_lists_digest_idx on manifest_lists (digest);
create index manifest_lists_tags_idx on manifest_lists using gin (tags jsonb_path_ops);
