-- Builds as requested: written by the portal (with their outbox row, in one transaction), then driven by the
-- scheduler. Lists and maps are jsonb: they are read and written whole.
create table builds (
    id                  uuid primary key,
    status              varchar(16)  not null,
    repository          text         not null,
    ref                 text         not null,
    commit_sha          varchar(64)  not null,
    containerfile       text         not null,
    context_dir         text         not null,
    image               text         not null,
    tags                jsonb        not null default '[]',
    platforms           jsonb        not null,
    build_args          jsonb        not null default '{}',
    placement           varchar(20)  not null,
    publish             varchar(10)  not null,
    error               text,
    requested_by        text,
    cancel_requested_at timestamptz,
    created_at          timestamptz  not null,
    started_at          timestamptz,
    finished_at         timestamptz,
    version             bigint       not null default 0,
    constraint builds_status_check check (status in ('QUEUED','RUNNING','SUCCEEDED','PARTIAL','FAILED','CANCELLED')),
    constraint builds_placement_check check (placement in ('NATIVE_ONLY','NATIVE_PREFERRED','ANY')),
    constraint builds_publish_check check (publish in ('ALL','PARTIAL'))
);
create index builds_created_at_idx on builds (created_at desc);
create index builds_status_created_at_idx on builds (status, created_at desc);

-- One job per platform of a build, created by the scheduler when it fans the build out. attempt counts the
-- attempts made so far (0 before the first dispatch); a result from any other attempt is stale and ignored.
create table platform_jobs (
    id                  uuid primary key,
    build_id            uuid         not null references builds (id) on delete cascade,
    platform            varchar(40)  not null,
    placement           varchar(20)  not null,
    status              varchar(16)  not null,
    attempt             int          not null default 0,
    max_attempts        int          not null,
    mode                varchar(10),
    worker_id           text,
    dispatched_native   boolean      not null default false,
    dispatched_emulated boolean      not null default false,
    native_deadline     timestamptz,
    unplaceable_since   timestamptz,
    digest              varchar(80),
    image_size          bigint,
    media_type          text,
    error               text,
    exit_code           int,
    build_millis        bigint,
    queued_at           timestamptz  not null,
    started_at          timestamptz,
    finished_at         timestamptz,
    version             bigint       not null default 0,
    constraint platform_jobs_build_platform_uq unique (build_id, platform),
    constraint platform_jobs_status_check check (status in ('QUEUED','RUNNING','SUCCEEDED','FAILED','CANCELLED')),
    constraint platform_jobs_mode_check check (mode is null or mode in ('NATIVE','EMULATED'))
);
create index platform_jobs_status_idx on platform_jobs (status) where status in ('QUEUED','RUNNING');
create index platform_jobs_worker_idx on platform_jobs (worker_id) where status = 'RUNNING';

-- Every attempt of a job: where it ran, how, for how long and how it ended. This is what proves that an
-- attempt never overlapped another of the same job.
create table job_attempts (
    job_id      uuid         not null references platform_jobs (id) on delete cascade,
    attempt     int          not null,
    worker_id   text         not null,
    mode        varchar(10)  not null,
    outcome     varchar(16),
    error       text,
    started_at  timestamptz  not null,
    finished_at timestamptz,
    primary key (job_id, attempt)
);

-- The log of each attempt, in chunks as the worker streamed them.
create table job_logs (
    job_id     uuid         not null references platform_jobs (id) on delete cascade,
    attempt    int          not null,
    seq        bigint       not null,
    content    text         not null,
    created_at timestamptz  not null default now(),
    primary key (job_id, attempt, seq)
);

-- The fleet, as the scheduler learns it from heartbeats.
create table workers (
    id                 text primary key,
    host               text         not null,
    native_platforms   jsonb        not null default '[]',
    emulated_platforms jsonb        not null default '[]',
    slots              int          not null,
    busy               int          not null default 0,
    status             varchar(10)  not null,
    draining           boolean      not null default false,
    first_seen         timestamptz  not null,
    last_seen          timestamptz  not null,
    constraint workers_status_check check (status in ('ONLINE','DRAINING','OFFLINE'))
);

-- The published OCI image index of a build and its entries, exactly as pushed.
create table manifest_lists (
    id         uuid primary key,
    build_id   uuid         not null unique references builds (id) on delete cascade,
    digest     varchar(80)  not null,
    media_type text         not null,
    size       bigint       not null,
    tags       jsonb        not null,
    content    text         not null,
    created_at timestamptz  not null
);

create table manifest_list_entries (
    manifest_list_id uuid         not null references manifest_lists (id) on delete cascade,
    platform         varchar(40)  not null,
    digest           varchar(80)  not null,
    size             bigint       not null,
    media_type       text         not null,
    primary key (manifest_list_id, platform)
);

-- Transactional outbox: a row is written in the same transaction as the change it announces and published to
-- the broker (with confirms) afterwards by the relay in the scheduler.
create table outbox (
    id            uuid primary key,
    exchange_name text         not null,
    routing_key   text         not null,
    message_type  text         not null,
    payload       jsonb        not null,
    created_at    timestamptz  not null default now(),
    published_at  timestamptz,
    attempts      int          not null default 0,
    last_error    text
);
create index outbox_unpublished_idx on outbox (created_at) where published_at is null;

-- Ids of messages a consumer has handled, so that a redelivery changes nothing the second time.
create table processed_messages (
    message_id   uuid primary key,
    consumer     text         not null,
    processed_at timestamptz  not null default now()
);
