package io.archfarm.portal.accounts;

import java.util.UUID;

/** A team and the role someone has in it. */
public record TeamRole(UUID teamId, String slug, String name, Role role) {}
