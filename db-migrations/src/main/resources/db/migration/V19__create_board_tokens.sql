-- Board tokens: what a wall screen signs in with. A token opens only the wall board's read-only pages, for the teams
-- it names (or every team, all_teams, made by an admin), and never more than the person who created it can still
-- see. As with API tokens only the SHA-256 of a token is kept; the token itself is shown once, when it is created.
create table board_tokens (
    id           uuid primary key,
    name         varchar(100) not null,
    token_hash   varchar(64)  not null unique,
    all_teams    boolean      not null default false,
    created_by   uuid         not null references users (id) on delete cascade,
    created_at   timestamptz  not null,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index board_tokens_created_by_idx on board_tokens (created_by);

create table board_token_teams (
    token_id uuid not null references board_tokens (id) on delete cascade,
    team_id  uuid not null references teams (id) on delete cascade,
    primary key (token_id, team_id)
);
-- a team maintainer lists and revokes the tokens that show their team
create index board_token_teams_team_idx on board_token_teams (team_id);
