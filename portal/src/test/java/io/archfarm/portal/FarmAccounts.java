package io.archfarm.portal;

import io.archfarm.portal.PortalApi.Answer;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Teams, people and projects made through the real API by the bootstrapped admin, with names unique to the call,
 * so tests sharing one database never collide.
 */
public final class FarmAccounts {

    public static final String PASSWORD = "correct-horse-battery";

    private final int port;
    private final PortalApi admin;

    public FarmAccounts(int port) {
        this.port = port;
        this.admin = new PortalApi(port).asAdmin();
    }

    public PortalApi admin() {
        return admin;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new team; returns its slug. */
    public String team(String prefix) {
        String slug = unique(prefix);
        expect(admin.post("/api/v1/teams", "{\"slug\":\"%s\",\"name\":\"Team %s\"}".formatted(slug, slug)), 201);
        return slug;
    }

    /** A new person (no team), signed in with a token of theirs. */
    public PortalApi person(String prefix) {
        String username = unique(prefix);
        expect(
                admin.post(
                        "/api/v1/users",
                        "{\"username\":\"%s\",\"password\":\"%s\",\"displayName\":\"%s\"}"
                                .formatted(username, PASSWORD, username)),
                201);
        return new PortalApi(port).as(username, PASSWORD);
    }

    /** A new person with {@code role} in {@code team}, signed in with a token of theirs. */
    public PortalApi member(String team, String role) {
        String username = unique(role);
        expect(
                admin.post(
                        "/api/v1/users",
                        "{\"username\":\"%s\",\"password\":\"%s\",\"displayName\":\"%s\"}"
                                .formatted(username, PASSWORD, username)),
                201);
        expect(admin.put("/api/v1/teams/" + team + "/members/" + username, "{\"role\":\"" + role + "\"}"), 201);
        return new PortalApi(port).as(username, PASSWORD);
    }

    /**
     * A new person with {@code role} in {@code team} (or in no team, for a null team); returns their user name, to sign
     * in through the form with {@link #PASSWORD}.
     */
    public String username(String team, String role) {
        String username = unique(role);
        expect(
                admin.post("/api/v1/users", "{\"username\":\"%s\",\"password\":\"%s\"}".formatted(username, PASSWORD)),
                201);
        if (team != null) {
            expect(admin.put("/api/v1/teams/" + team + "/members/" + username, "{\"role\":\"" + role + "\"}"), 201);
        }
        return username;
    }

    /** A project of the team, created by the admin; returns the answer's JSON (with its webhook secret). */
    public JsonNode project(String team, String json) {
        return expect(admin.post("/api/v1/teams/" + team + "/projects", json), 201)
                .json();
    }

    public static Answer expect(Answer answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("expected " + status + ", got " + answer);
        }
        return answer;
    }
}
