-- Build secrets a Containerfile mounts with RUN --mount=type=secret,id=<name>: a team's (project_id null) for every
-- project of the team, and a project's own, which overrides a team secret of the same name. The value is sealed with
-- archfarm.security.secret-key like the other secrets of a project and is never shown again; who set it and when is.
create table build_secrets (
    id           uuid         primary key,
    team_id      uuid         not null references teams (id) on delete cascade,
    project_id   uuid         references projects (id) on delete cascade,
    name         varchar(64)  not null,
    sealed_value text         not null,
    set_by       varchar(64)  not null,
    set_at       timestamptz  not null,
    constraint build_secrets_name_check check (name ~ '^[A-Za-z0-9_.-]{1,64}$')
);
create unique index build_secrets_team_uq on build_secrets (team_id, name) where project_id is null;
create unique index build_secrets_project_uq on build_secrets (project_id, name) where project_id is not null;
