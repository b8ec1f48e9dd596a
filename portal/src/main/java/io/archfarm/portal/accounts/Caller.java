package io.archfarm.portal.accounts;

import java.io.Serializable;
import java.util.UUID;

/** Who is calling: the signed-in person, however they authenticated (token, password, session). */
public record Caller(UUID userId, String username, boolean admin) implements Serializable {}
