-- The portal's web sessions (Spring Session JDBC), shared by every portal instance: a portal restart signs nobody out
-- and a load balancer needs no sticky sessions. This is Spring Session 4.0's own PostgreSQL schema
-- (org/springframework/session/jdbc/schema-postgresql.sql), unchanged, so that its queries find what they expect;
-- it is versioned here rather than created by spring.session.jdbc.initialize-schema like every other table.
-- spring_session: one row per session; expiry_time (epoch ms) is what the cleanup (spring.session.jdbc.cleanup-cron)
-- deletes by. principal_name lets a person's sessions be found. spring_session_attributes: the session's attributes
-- (the signed-in person, the CSRF token, the current team), serialized, gone with their session.
create table spring_session (
    primary_id            char(36)     not null,
    session_id            char(36)     not null,
    creation_time         bigint       not null,
    last_access_time      bigint       not null,
    max_inactive_interval int          not null,
    expiry_time           bigint       not null,
    principal_name        varchar(100),
    constraint spring_session_pk primary key (primary_id)
);

create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

create table spring_session_attributes (
    session_primary_id char(36)     not null,
    attribute_name     varchar(200) not null,
    attribute_bytes    bytea        not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id) references spring_session (primary_id)
        on delete cascade
);
