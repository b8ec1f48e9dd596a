package io.archfarm.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The portal's REST API v1, as a user with curl sees it: every call carries the bearer token that {@link #signIn}
 * got with the user's password, the one way the API lets a script start.
 */
final class PortalClient {

    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            return Http.JSON.readTree(body);
        }
    }

    private final String baseUrl;
    private final String token;

    private PortalClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** A client for {@code username}, with a new API token made with HTTP Basic on {@code POST /api/v1/tokens}. */
    static PortalClient signIn(String baseUrl, String username, String password) {
        return new PortalClient(baseUrl, newToken(baseUrl, username, password));
    }

    /** A new API token of {@code username}, made with their password as a person does: HTTP Basic on the API. */
    static String newToken(String baseUrl, String username, String password) {
        String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        Answer answer = answer(Http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/tokens"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"e2e\"}"))));
        if (answer.status() != 201) {
            throw new AssertionError(
                    "the portal made no token for " + username + ": " + answer.status() + " " + answer.body());
        }
        return answer.json().path("token").asString();
    }

    /**
     * As an admin: team {@code team}, user {@code username} (a developer of it) and a token of the user's own,
     * returned.
     */
    String developerOfNewTeam(String team, String username, String password) {
        created("/api/v1/teams", Map.of("slug", team, "name", team));
        created("/api/v1/users", Map.of("username", username, "password", password, "displayName", username));
        Answer member = put("/api/v1/teams/" + team + "/members/" + username, Map.of("role", "developer"));
        if (member.status() != 201) {
            throw new AssertionError("no membership of " + username + " in " + team + ": " + member.body());
        }
        return newToken(baseUrl, username, password);
    }

    String baseUrl() {
        return baseUrl;
    }

    Answer submit(Map<String, Object> request) {
        return post("/api/v1/builds", request);
    }

    /** Submits a build that must be accepted, and returns its id. */
    String submitAccepted(Map<String, Object> request) {
        Answer answer = submit(request);
        if (answer.status() != 202) {
            throw new AssertionError(
                    "the portal did not accept " + request + ": " + answer.status() + " " + answer.body());
        }
        return answer.json().path("id").asString();
    }

    Answer post(String path, Object body) {
        return answer(Http.send(authorized(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body)))));
    }

    Answer put(String path, Object body) {
        return answer(Http.send(authorized(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body)))));
    }

    Answer delete(String path) {
        return answer(Http.send(authorized(path).DELETE()));
    }

    /** A POST that must create what it names (201), and the created thing as the API shows it. */
    JsonNode created(String path, Object body) {
        Answer answer = post(path, body);
        if (answer.status() != 201) {
            throw new AssertionError(
                    "POST " + path + " " + body + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    /** A GET that must answer 200, as JSON. */
    JsonNode get(String path) {
        return ok(Http.send(authorized(path).GET()), path).json();
    }

    JsonNode build(String id) {
        return get("/api/v1/builds/" + id);
    }

    String logs(String id, String platform) {
        String path = "/api/v1/builds/" + id + "/logs?platform=" + URLEncoder.encode(platform, StandardCharsets.UTF_8);
        return ok(Http.send(authorized(path).GET()), "log of " + platform).body();
    }

    JsonNode workers() {
        return get("/api/v1/workers");
    }

    boolean workerOnline(String id) {
        for (JsonNode worker : workers()) {
            if (worker.path("id").asString().equals(id)
                    && worker.path("status").asString().equals("ONLINE")) {
                return true;
            }
        }
        return false;
    }

    static boolean serviceHealthy(String baseUrl) {
        try {
            HttpResponse<byte[]> response = Http.send(Http.get(baseUrl + "/actuator/health"));
            return response.statusCode() == 200
                    && Http.json(response.body()).path("status").asString().equals("UP");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token);
    }

    private static Answer ok(HttpResponse<byte[]> response, String what) {
        Answer answer = answer(response);
        if (answer.status() != 200) {
            throw new AssertionError("GET " + what + " answered " + answer.status() + ": " + answer.body());
        }
        return answer;
    }

    static Answer answer(HttpResponse<byte[]> response) {
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                new String(response.body(), StandardCharsets.UTF_8));
    }
}
