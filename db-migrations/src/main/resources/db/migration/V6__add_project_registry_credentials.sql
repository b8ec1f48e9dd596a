-- A project's credential for its image's registry (a robot account): the registry it was set for, the user name,
-- and the password or token sealed with archfarm.security.secret-key like the other project secrets. It is used only
-- while the project's image is on that registry, so changing the image never sends it to another host.
alter table projects
    add column registry_host     text,
    add column registry_username text,
    add column registry_secret   text,
    add constraint projects_registry_credential_check check (
        (registry_host is null and registry_username is null and registry_secret is null)
        or (registry_host is not null and registry_username is not null and registry_secret is not null));
