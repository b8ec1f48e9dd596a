package io.archfarm.portal.accounts;

/** A member of a team as the API shows it. */
public record MemberView(String username, String displayName, Role role) {}
