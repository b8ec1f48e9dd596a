-- People, teams and what each person may do in each team. An admin (users.admin) may do everything in every team;
-- a membership gives one of the team roles below. Usernames are unique without regard to case.
create table users (
    id            uuid primary key,
    username      varchar(64)  not null,
    display_name  text         not null,
    password_hash text,
    admin         boolean      not null default false,
    created_at    timestamptz  not null,
    constraint users_username_check check (username ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')
);
create unique index users_username_uq on users (lower(username));

create table teams (
    id         uuid primary key,
    slug       varchar(64)  not null unique,
    name       text         not null,
    created_at timestamptz  not null,
    constraint teams_slug_check check (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$')
);

create table memberships (
    team_id    uuid         not null references teams (id) on delete cascade,
    user_id    uuid         not null references users (id) on delete cascade,
    role       varchar(16)  not null,
    created_at timestamptz  not null,
    primary key (team_id, user_id),
    constraint memberships_role_check check (role in ('VIEWER','DEVELOPER','MAINTAINER'))
);
create index memberships_user_idx on memberships (user_id);

-- Personal API tokens. Only the SHA-256 of a token is kept (tokens are 256 random bits, so a slow hash adds
-- nothing); the token itself is shown once, when it is created.
create table api_tokens (
    id           uuid primary key,
    user_id      uuid         not null references users (id) on delete cascade,
    name         varchar(100) not null,
    token_hash   varchar(64)  not null unique,
    created_at   timestamptz  not null,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id, created_at desc);

-- A project: a repository built with its own defaults, by hand or on every matching push. Secrets (the webhook
-- secret, the forge API token) are stored encrypted with the key from archfarm.security.secret-key.
create table projects (
    id                  uuid primary key,
    team_id             uuid         not null references teams (id) on delete cascade,
    slug                varchar(64)  not null,
    repository          text         not null,
    default_branch      text         not null,
    containerfile       text         not null,
    context_dir         text         not null,
    platforms           jsonb        not null,
    placement           varchar(20)  not null,
    platform_placements jsonb        not null default '{}',
    image               text         not null,
    tag_templates       jsonb        not null,
    branch_filters      jsonb        not null,
    tag_filters         jsonb        not null,
    build_args          jsonb        not null default '{}',
    publish             varchar(10)  not null,
    fetch_submodules    boolean      not null default false,
    webhook_secret      text         not null,
    forge               varchar(10),
    forge_api_url       text,
    forge_repository    text,
    forge_token         text,
    last_build_number   bigint       not null default 0,
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null,
    version             bigint       not null default 0,
    constraint projects_team_slug_uq unique (team_id, slug),
    constraint projects_slug_check check (slug ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    constraint projects_placement_check check (placement in ('NATIVE_ONLY','NATIVE_PREFERRED','ANY')),
    constraint projects_publish_check check (publish in ('ALL','PARTIAL')),
    constraint projects_forge_check check (forge is null or forge in ('GITHUB','GITLAB','GITEA','FORGEJO'))
);

-- A build belongs to a team (null: an ad-hoc build by an admin) and, when started for a project, carries the
-- project's number for it (#1, #2, ...). trigger says who started it: API, WEBHOOK or UI.
alter table builds
    add column team_id          uuid references teams (id) on delete set null,
    add column project_id       uuid references projects (id) on delete set null,
    add column build_number     bigint,
    add column trigger          varchar(10) not null default 'API',
    add column fetch_submodules boolean     not null default false,
    add constraint builds_trigger_check check (trigger in ('API','WEBHOOK','UI')),
    add constraint builds_project_number_uq unique (project_id, build_number);
create index builds_team_created_at_idx on builds (team_id, created_at desc);
create index builds_project_created_at_idx on builds (project_id, created_at desc);

-- Every webhook delivery a project received, with what the farm did about it. The first accepted delivery with a
-- given id wins; a redelivery is recorded as DUPLICATE and starts nothing.
create table webhook_deliveries (
    id          uuid primary key,
    project_id  uuid         not null references projects (id) on delete cascade,
    forge       varchar(10)  not null,
    delivery_id text,
    event       text,
    result      varchar(12)  not null,
    detail      text         not null,
    build_id    uuid references builds (id) on delete set null,
    received_at timestamptz  not null,
    constraint webhook_deliveries_result_check
        check (result in ('BUILT','PING','IGNORED','DUPLICATE','REJECTED','MALFORMED'))
);
create unique index webhook_deliveries_once_uq on webhook_deliveries (project_id, forge, delivery_id)
    where result in ('BUILT','PING','IGNORED');
create index webhook_deliveries_project_idx on webhook_deliveries (project_id, received_at desc);

-- Commit statuses owed to the forge for a build: the portal reports the build's state (pending, then success or
-- failure) in the background, retrying with back-off while the forge is down. reported_state is the last state
-- the forge accepted.
create table commit_statuses (
    build_id        uuid primary key references builds (id) on delete cascade,
    reported_state  varchar(10),
    attempts        int          not null default 0,
    next_attempt_at timestamptz  not null,
    last_error      text,
    reported_at     timestamptz
);
create index commit_statuses_due_idx on commit_statuses (next_attempt_at);
