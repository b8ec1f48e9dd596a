package io.archfarm.portal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The portal's HTTP API as a client sees it: real requests to the running server, with a bearer token once
 * {@link #as} has made one (or none, to test what an anonymous caller gets), and a cookie jar for the pages.
 */
public final class PortalApi {

    /** The admin the tests' configuration bootstraps (portal/src/test/resources/config/application.yml). */
    public static final String ADMIN = "admin";

    public static final String ADMIN_PASSWORD = "test-admin-password-0123";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final HttpClient http;
    private final String base;
    private final String authorization;

    public PortalApi(int port) {
        this("http://127.0.0.1:" + port, null);
    }

    private PortalApi(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .cookieHandler(new CookieManager())
                .build();
    }

    /** The same portal, called with {@code Authorization: Bearer token}. */
    public PortalApi withToken(String token) {
        return new PortalApi(base, "Bearer " + token);
    }

    /** The same portal, called with any Authorization header value (or none, for null). */
    public PortalApi withAuthorization(String header) {
        return new PortalApi(base, header);
    }

    /** Signs in as the bootstrapped admin and calls with a fresh token of theirs. */
    public PortalApi asAdmin() {
        return as(ADMIN, ADMIN_PASSWORD);
    }

    /** Creates a token with the user's password (HTTP Basic on POST /api/v1/tokens) and calls with it. */
    public PortalApi as(String username, String password) {
        Answer answer = withAuthorization(basic(username, password)).post("/api/v1/tokens", "{\"name\":\"test\"}");
        if (answer.status() != 201) {
            throw new AssertionError("could not create a token for " + username + ": " + answer);
        }
        return withToken(answer.json().path("token").asString());
    }

    public static String basic(String username, String password) {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    public Answer get(String path, String accept) {
        return send(request(path).header("Accept", accept).GET());
    }

    public Answer post(String path, String json) {
        return post(path, BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }

    /** A body of unknown length, so the client sends it chunked and declares no Content-Length. */
    public Answer postChunked(String path, byte[] body) {
        return post(path, BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    }

    public Answer post(String path, BodyPublisher body) {
        return send(request(path).header("Content-Type", "application/json").POST(body));
    }

    /** A raw delivery with the given headers, as a forge sends a webhook. */
    public Answer post(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request =
                request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request);
    }

    /** A form as a browser posts it ({@code application/x-www-form-urlencoded}); the body is already encoded. */
    public Answer postForm(String path, String encodedBody) {
        return send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(encodedBody)));
    }

    public Answer put(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    public Answer delete(String path) {
        return send(request(path).DELETE());
    }

    /** Signs in through the sign-in form, as a browser does (CSRF token included); pages then see the session. */
    public PortalApi signIn(String username, String password) {
        Answer form = get("/login");
        Matcher csrf = CSRF.matcher(form.body());
        if (!csrf.find()) {
            throw new AssertionError("the sign-in page has no CSRF token: " + form);
        }
        String body = Map.of("username", username, "password", password, "_csrf", csrf.group(1)).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        Answer answer = send(request("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(body)));
        if (answer.status() != 302
                || answer.location() == null
                || answer.location().contains("error")) {
            throw new AssertionError("sign-in as " + username + " failed: " + answer);
        }
        return this;
    }

    /** Opens an event stream with this client's credentials and cookies; returns once its headers arrived. */
    public HttpResponse<InputStream> openStream(String path) {
        try {
            return http.send(
                    request(path).header("Accept", "text/event-stream").GET().build(), BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AssertionError("could not open " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(
                    request.timeout(Duration.ofSeconds(90)).build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null),
                    response.body(),
                    response.headers());
        } catch (IOException e) {
            throw new AssertionError("request to the portal failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public record Answer(int status, String contentType, String location, String body, HttpHeaders headers) {

        /** A header's first value, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The detail of a problem answer, after checking that it is one. */
        public String problemDetail() {
            if (!contentType.startsWith("application/problem+json")) {
                throw new AssertionError("expected application/problem+json, got '" + contentType + "': " + body);
            }
            return json().path("detail").asString();
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
