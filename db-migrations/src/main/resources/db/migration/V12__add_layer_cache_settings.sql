-- Whether a project's builds use the workers' layer cache (buildah --layers, kept per team and platform on each
-- worker). On by default: a cached step is the cheapest build there is; a project turns it off when its steps are
-- not reproducible from their inputs (a RUN that fetches "latest" of something) and a stale layer would be wrong.
alter table projects
    add column layer_cache boolean not null default true;
-- What a build was started with, kept on the build rather than read from its project at dispatch: a change of the
-- project's setting, or a retry days later, does not change how a build already asked for is built. layer_cache is
-- the project's setting when the build was recorded (true for an ad-hoc build); no_cache says the build asked to
-- build every step again (its new layers are still kept for later builds). The scheduler turns the two into the
-- job's LayerCache: OFF, REFRESH or USE.
alter table builds
    add column layer_cache boolean not null default true,
    add column no_cache    boolean not null default false;
-- What the layer cache did for a platform job's last finished attempt, as the worker reported it: an object
-- {layerCache, store, steps: [{step, instruction, hit}]}, layerCache being USE, REFRESH or OFF and store the image
-- store's name (scope/platform/n). jsonb, like phases, because it is read whole (API, build page) and a step list
-- has no use as rows. Null while the job has not finished, when the attempt did not get to build, for workers that
-- predate the layer cache, and after a retry.
alter table platform_jobs
    add column cache jsonb;
