package io.archfarm.portal.projects;

import io.archfarm.portal.problems.ApiProblem;
import io.archfarm.portal.problems.ApiProblem.FieldProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code PUT /api/v1/projects/{team}/{project}/registry-credential}: the user name and password or token (a robot
 * account) for the registry of the project's image. The password is write-only: it is never shown again.
 */
record RegistryCredentialBody(String username, String password) {

    private static final int MAX_USERNAME = 255;
    private static final int MAX_PASSWORD = 8192;

    /** @throws ApiProblem naming each field that is missing or cannot travel in an HTTP Basic header */
    RegistryCredentialBody validated() {
        List<FieldProblem> problems = new ArrayList<>();
        if (username == null || username.isBlank()) {
            problems.add(new FieldProblem("username", "username is required"));
        } else if (username.length() > MAX_USERNAME
                || username.contains(":")
                || hasControl(username)
                || !username.strip().equals(username)) {
            problems.add(new FieldProblem(
                    "username",
                    "username must be at most " + MAX_USERNAME
                            + " characters without ':', control characters or surrounding spaces"));
        }
        if (password == null || password.isEmpty()) {
            problems.add(new FieldProblem("password", "password is required: the registry password or token"));
        } else if (password.length() > MAX_PASSWORD || hasControl(password)) {
            problems.add(new FieldProblem(
                    "password", "password must be at most " + MAX_PASSWORD + " characters without control characters"));
        }
        if (!problems.isEmpty()) {
            throw ApiProblem.invalidFields(problems);
        }
        return this;
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    @Override
    public String toString() {
        return "RegistryCredentialBody[" + username + "]";
    }
}
