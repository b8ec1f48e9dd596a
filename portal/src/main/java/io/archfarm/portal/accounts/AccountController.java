package io.archfarm.portal.accounts;

import io.archfarm.portal.problems.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** People, teams and memberships. Creating people and teams and changing memberships is for admins. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "People and teams", description = "accounts, teams and roles; changes are for admins")
class AccountController {

    private final Accounts accounts;
    private final Access access;

    AccountController(Accounts accounts, Access access) {
        this.accounts = accounts;
        this.access = access;
    }

    @Operation(summary = "Create a person (admin)")
    @ApiResponse(responseCode = "201", description = "created", useReturnTypeSchema = true)
    @PostMapping("/users")
    ResponseEntity<UserView> createUser(@RequestBody(required = false) NewUser body) {
        access.requireAdmin("create users");
        NewUser user = required(body, "a JSON user {username, password, displayName}");
        UserAccount created = accounts.createUser(
                user.username(), user.password(), user.displayName(), Boolean.TRUE.equals(user.admin()));
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.username()))
                .body(view(created));
    }

    @Operation(summary = "Every person (admin)")
    @GetMapping("/users")
    List<UserView> users() {
        access.requireAdmin("list users");
        return accounts.allUsers().stream().map(this::view).toList();
    }

    /** Who the caller is and what they may do where. */
    @Operation(summary = "Who the caller is, and their role in each team")
    @GetMapping("/users/me")
    Me me() {
        Caller caller = access.caller();
        return new Me(
                caller.username(),
                caller.admin(),
                access.teams().stream()
                        .map(t -> new TeamMembership(t.slug(), t.name(), t.role()))
                        .toList());
    }

    /** Changes the caller's own password; the current one is required. */
    @Operation(summary = "Change the caller's own password")
    @ApiResponse(responseCode = "204", description = "changed")
    @PutMapping("/users/me/password")
    ResponseEntity<Void> changeOwnPassword(@RequestBody(required = false) PasswordChange body) {
        PasswordChange change = required(body, "a JSON {currentPassword, newPassword}");
        if (change.currentPassword() == null) {
            throw ApiProblem.badRequest("currentPassword", "currentPassword is required");
        }
        accounts.changePassword(access.caller().username(), change.currentPassword(), change.newPassword());
        return ResponseEntity.noContent().build();
    }

    /** An admin sets someone's password (a reset: the current one is not needed). */
    @Operation(summary = "Reset someone's password (admin)")
    @ApiResponse(responseCode = "204", description = "changed")
    @PutMapping("/users/{username}/password")
    ResponseEntity<Void> resetPassword(
            @PathVariable String username, @RequestBody(required = false) PasswordChange body) {
        access.requireAdmin("reset passwords");
        accounts.changePassword(
                username, null, required(body, "a JSON {newPassword}").newPassword());
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Create a team (admin)")
    @ApiResponse(responseCode = "201", description = "created", useReturnTypeSchema = true)
    @PostMapping("/teams")
    ResponseEntity<TeamView> createTeam(@RequestBody(required = false) NewTeam body) {
        access.requireAdmin("create teams");
        NewTeam team = required(body, "a JSON team {slug, name}");
        Team created = accounts.createTeam(team.slug(), team.name());
        return ResponseEntity.created(URI.create("/api/v1/teams/" + created.slug()))
                .body(view(created));
    }

    @Operation(summary = "The caller's teams")
    @GetMapping("/teams")
    List<TeamMembership> teams() {
        return access.teams().stream()
                .map(t -> new TeamMembership(t.slug(), t.name(), t.role()))
                .toList();
    }

    @Operation(summary = "One team with its members")
    @GetMapping("/teams/{team}")
    TeamView team(@PathVariable String team) {
        return view(access.team(team, Role.VIEWER));
    }

    @Operation(summary = "Give someone a role in a team (admin)")
    @ApiResponse(responseCode = "201", description = "added to the team", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "200", description = "their role changed", useReturnTypeSchema = true)
    @PutMapping("/teams/{team}/members/{username}")
    ResponseEntity<TeamView> setMember(
            @PathVariable String team, @PathVariable String username, @RequestBody(required = false) MemberRole body) {
        access.requireAdmin("change team memberships");
        Team found = access.team(team, Role.VIEWER);
        boolean added = accounts.setMember(
                found, username, required(body, "a JSON {role}").role());
        return ResponseEntity.status(added ? 201 : 200).body(view(found));
    }

    @Operation(summary = "Take someone out of a team (admin)")
    @ApiResponse(responseCode = "204", description = "removed")
    @DeleteMapping("/teams/{team}/members/{username}")
    ResponseEntity<Void> removeMember(@PathVariable String team, @PathVariable String username) {
        access.requireAdmin("change team memberships");
        accounts.removeMember(access.team(team, Role.VIEWER), username);
        return ResponseEntity.noContent().build();
    }

    private TeamView view(Team team) {
        return new TeamView(team.slug(), team.name(), team.createdAt(), accounts.members(team));
    }

    private UserView view(UserAccount user) {
        return new UserView(user.id(), user.username(), user.displayName(), user.admin(), user.createdAt());
    }

    private static <T> T required(T body, String expected) {
        if (body == null) {
            throw ApiProblem.badRequest("the request body is missing: expected " + expected);
        }
        return body;
    }

    record NewUser(String username, String password, String displayName, Boolean admin) {}

    record PasswordChange(String currentPassword, String newPassword) {}

    record NewTeam(String slug, String name) {}

    record MemberRole(String role) {}

    record UserView(UUID id, String username, String displayName, boolean admin, Instant createdAt) {}

    record TeamView(String slug, String name, Instant createdAt, List<MemberView> members) {}

    record TeamMembership(String slug, String name, Role role) {}

    record Me(String username, boolean admin, List<TeamMembership> teams) {}
}
