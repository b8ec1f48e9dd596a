package io.archfarm.portal.accounts;

import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.problems.ApiProblem.FieldProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates people and teams and manages who is in which team. */
@Service
public class Accounts {

    static final int MIN_PASSWORD_LENGTH = 12;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TEAM_SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final UserRepository users;
    private final TeamRepository teams;
    private final MembershipRepository memberships;
    private final PasswordEncoder passwords;
    private final Clock clock;

    Accounts(
            UserRepository users,
            TeamRepository teams,
            MembershipRepository memberships,
            PasswordEncoder passwords,
            Clock clock) {
        this.users = users;
        this.teams = teams;
        this.memberships = memberships;
        this.passwords = passwords;
        this.clock = clock;
    }

    @Transactional
    public UserAccount createUser(String username, String password, String displayName, boolean admin) {
        List<FieldProblem> problems = new ArrayList<>();
        if (username == null || !USERNAME.matcher(username).matches()) {
            problems.add(new FieldProblem(
                    "username",
                    "username '" + username + "' is not valid: expected 1 to 64 of "
                            + "letters, digits, '.', '_' and '-', starting with a letter or digit"));
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > 1024) {
            problems.add(
                    new FieldProblem("password", "password must have " + MIN_PASSWORD_LENGTH + " to 1024 characters"));
        }
        if (displayName != null && (displayName.isBlank() || displayName.length() > 200)) {
            problems.add(new FieldProblem("displayName", "displayName must have 1 to 200 characters"));
        }
        if (!problems.isEmpty()) {
            throw ApiProblem.invalidFields(problems);
        }
        if (users.findByUsername(username).isPresent()) {
            throw ApiProblem.conflict("user '" + username + "' already exists");
        }
        UserAccount user = new UserAccount(
                UUID.randomUUID(),
                username,
                displayName == null ? username : displayName,
                Objects.requireNonNull(passwords.encode(password)),
                admin,
                Instant.now(clock));
        try {
            return users.saveAndFlush(user);
        } catch (DataIntegrityViolationException e) {
            throw ApiProblem.conflict("user '" + username + "' already exists");
        }
    }

    /**
     * Sets a new password: the user's own change must give the current one ({@code current}), an admin's reset
     * passes null.
     */
    @Transactional
    public void changePassword(String username, @Nullable String current, String replacement) {
        UserAccount user = user(username);
        if (current != null && (user.passwordHash() == null || !passwords.matches(current, user.passwordHash()))) {
            throw ApiProblem.badRequest("currentPassword", "currentPassword is not " + username + "'s password");
        }
        if (replacement == null || replacement.length() < MIN_PASSWORD_LENGTH || replacement.length() > 1024) {
            throw ApiProblem.badRequest(
                    "newPassword", "newPassword must have " + MIN_PASSWORD_LENGTH + " to 1024 characters");
        }
        user.changePasswordHash(Objects.requireNonNull(passwords.encode(replacement)));
    }

    @Transactional
    public Team createTeam(String slug, String name) {
        List<FieldProblem> problems = new ArrayList<>();
        if (slug == null || !TEAM_SLUG.matcher(slug).matches()) {
            problems.add(new FieldProblem(
                    "slug",
                    "team slug '" + slug + "' is not valid: expected 1 to 64 of "
                            + "lowercase letters, digits and '-', starting with a letter or digit"));
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.add(new FieldProblem("name", "name is required (1 to 200 characters)"));
        }
        if (!problems.isEmpty()) {
            throw ApiProblem.invalidFields(problems);
        }
        if (teams.findBySlug(slug).isPresent()) {
            throw ApiProblem.conflict("team '" + slug + "' already exists");
        }
        try {
            return teams.saveAndFlush(new Team(UUID.randomUUID(), slug, name.strip(), Instant.now(clock)));
        } catch (DataIntegrityViolationException e) {
            throw ApiProblem.conflict("team '" + slug + "' already exists");
        }
    }

    /** Gives {@code username} the role in the team, adding them or changing their role. Returns true if added. */
    @Transactional
    public boolean setMember(Team team, String username, String roleName) {
        Role role = Role.fromWireName(roleName)
                .orElseThrow(() -> ApiProblem.badRequest(
                        "role",
                        "role '" + roleName
                                + "' is not a team role: expected viewer, developer or maintainer"
                                + ("admin".equalsIgnoreCase(roleName)
                                        ? " (admin is a property of the user, set when it is created)"
                                        : "")));
        UserAccount user = user(username);
        Membership.Key key = new Membership.Key(team.id(), user.id());
        return memberships
                .findById(key)
                .map(m -> {
                    m.changeRole(role);
                    return false;
                })
                .orElseGet(() -> {
                    memberships.save(new Membership(team.id(), user.id(), role, Instant.now(clock)));
                    return true;
                });
    }

    @Transactional
    public void removeMember(Team team, String username) {
        UserAccount user = user(username);
        Membership.Key key = new Membership.Key(team.id(), user.id());
        if (!memberships.existsById(key)) {
            throw ApiProblem.notFound("user '" + username + "' is not a member of team '" + team.slug() + "'");
        }
        memberships.deleteById(key);
    }

    /** A team by slug, without any access check: for webhooks, which authenticate with the project's secret. */
    public Optional<Team> teamBySlug(String slug) {
        return teams.findBySlug(slug == null ? "" : slug);
    }

    public List<MemberView> members(Team team) {
        return memberships.membersOf(team.id());
    }

    public List<TeamRole> teamsOf(UUID userId) {
        return memberships.teamsOf(userId);
    }

    public List<UserAccount> allUsers() {
        return users.findAll(Sort.by("username"));
    }

    private UserAccount user(String username) {
        return users.findByUsername(username == null ? "" : username)
                .orElseThrow(() -> ApiProblem.notFound("user '" + username + "' does not exist"));
    }
}
