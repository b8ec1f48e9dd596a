package io.archfarm.e2e;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The portal's REST API v1, as a user with curl sees it. */
final class PortalClient {

    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            return Http.JSON.readTree(body);
        }
    }

    private final String baseUrl;

    PortalClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    Answer submit(Map<String, Object> request) {
        return answer(Http.send(HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/api/v1/builds"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(request)))));
    }

    /** Submits a build that must be accepted, and returns its id. */
    String submitAccepted(Map<String, Object> request) {
        Answer answer = submit(request);
        if (answer.status() != 202) {
            throw new AssertionError("the portal did not accept " + request + ": " + answer.status() + " "
                    + answer.body());
        }
        return answer.json().path("id").asString();
    }

    JsonNode build(String id) {
        return ok(Http.send(Http.get(baseUrl + "/api/v1/builds/" + id)), "build " + id).json();
    }

    String logs(String id, String platform) {
        return ok(Http.send(Http.get(baseUrl + "/api/v1/builds/" + id + "/logs?platform="
                + URLEncoder.encode(platform, StandardCharsets.UTF_8))), "log of " + platform).body();
    }

    JsonNode workers() {
        return ok(Http.send(Http.get(baseUrl + "/api/v1/workers")), "workers").json();
    }

    boolean workerOnline(String id) {
        for (JsonNode worker : workers()) {
            if (worker.path("id").asString().equals(id) && worker.path("status").asString().equals("ONLINE")) {
                return true;
            }
        }
        return false;
    }

    boolean healthy() {
        return serviceHealthy(baseUrl);
    }

    static boolean serviceHealthy(String baseUrl) {
        try {
            HttpResponse<byte[]> response = Http.send(Http.get(baseUrl + "/actuator/health"));
            return response.statusCode() == 200 && Http.json(response.body()).path("status").asString().equals("UP");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Answer ok(HttpResponse<byte[]> response, String what) {
        Answer answer = answer(response);
        if (answer.status() != 200) {
            throw new AssertionError("GET " + what + " answered " + answer.status() + ": " + answer.body());
        }
        return answer;
    }

    private static Answer answer(HttpResponse<byte[]> response) {
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                new String(response.body(), StandardCharsets.UTF_8));
    }
}
