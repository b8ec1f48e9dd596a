-- Placement per platform: a build's placement applies to every platform unless this map (canonical platform ->
-- NATIVE_ONLY | NATIVE_PREFERRED | ANY) overrides it for that platform.
alter table builds add column platform_placements jsonb not null default '{}';
