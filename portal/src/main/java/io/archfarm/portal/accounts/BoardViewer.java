package io.archfarm.portal.accounts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A wall screen signed in with a board token: it reads the wall board of its teams and nothing else. It is not a
 * {@link CallerPrincipal}: it stands for no person, so nothing that acts for a person can take it for one.
 *
 * @param name  the token's name, e.g. "office wall"
 * @param teams the teams it shows, each as a viewer, by slug; empty for a token of every team (made by an admin)
 */
public record BoardViewer(UUID tokenId, String name, Optional<List<TeamRole>> teams) {}
