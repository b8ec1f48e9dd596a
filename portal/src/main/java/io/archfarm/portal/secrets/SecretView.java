package io.archfarm.portal.secrets;

import java.time.Instant;

/**
 * A build secret as the API and the pages show it: its id, whose it is and who set it when, never its value.
 *
 * @param scope {@code project} or {@code team}; in a project's list, a team secret the project overrides is not shown
 */
public record SecretView(String id, String scope, String setBy, Instant setAt) {}
