package io.archfarm.portal.sessions;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser that keeps its cookies itself and sends them to whichever portal it is pointed at, as a browser does
 * behind a load balancer that spreads its requests over the portals. Redirects are not followed, so that a sign-in
 * redirect shows.
 */
public final class Browser {

    static final String SESSION_COOKIE = "SESSION";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** Signs in through the sign-in form of the portal on {@code port}, CSRF token included. */
    public Browser signIn(int port, String username, String password) {
        Page form = get(port, "/login");
        Page answer =
                postForm(port, "/login", Map.of("username", username, "password", password, "_csrf", form.csrf()));
        if (answer.status() != 302
                || answer.location() == null
                || answer.location().contains("error")) {
            throw new AssertionError("sign-in as " + username + " failed: " + answer);
        }
        return this;
    }

    public Page get(int port, String path) {
        return send(request(port, path).GET(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A GET with headers of the request's own, e.g. {@code HX-Request} as htmx sends it. */
    public Page get(int port, String path, Map<String, String> headers) {
        HttpRequest.Builder request = request(port, path).GET();
        headers.forEach(request::header);
        return send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public Page postForm(int port, String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(
                request(port, path)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(BodyPublishers.ofString(body)),
                BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Opens an event stream (as EventSource does) and returns once its headers arrived. */
    HttpResponse<InputStream> openStream(int port, String path) {
        try {
            HttpResponse<InputStream> response = http.send(
                    request(port, path)
                            .header("Accept", "text/event-stream")
                            .GET()
                            .build(),
                    BodyHandlers.ofInputStream());
            keepCookies(response);
            return response;
        } catch (IOException e) {
            throw new AssertionError("could not open " + path + " on port " + port + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String sessionCookie() {
        return cookies.get(SESSION_COOKIE);
    }

    /** The value of a cookie the browser keeps, or null. */
    public String cookie(String name) {
        return cookies.get(name);
    }

    /** Takes a session cookie from elsewhere, as someone who copied it would. */
    void setSessionCookie(String value) {
        cookies.put(SESSION_COOKIE, value);
    }

    private HttpRequest.Builder request(int port, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (!cookies.isEmpty()) {
            request.header(
                    "Cookie",
                    cookies.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("; ")));
        }
        return request;
    }

    private Page send(HttpRequest.Builder request, BodyHandler<String> body) {
        try {
            HttpResponse<String> response = http.send(request.build(), body);
            keepCookies(response);
            return new Page(
                    response.statusCode(),
                    response.headers().firstValue("Location").orElse(null),
                    response.body(),
                    response.headers().map());
        } catch (IOException e) {
            throw new AssertionError("request to the portal failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void keepCookies(HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int equals = pair.indexOf('=');
            String name = pair.substring(0, equals).strip();
            String value = pair.substring(equals + 1).strip();
            if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    /** An answer: its status, where it redirects to, its body and its headers. */
    public record Page(int status, String location, String body, Map<String, List<String>> headers) {

        /** The first value of a header (names without case), or null. */
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst()
                    .orElse(null);
        }

        /** The CSRF token of the page's first form. */
        public String csrf() {
            Matcher csrf = CSRF.matcher(body);
            if (!csrf.find()) {
                throw new AssertionError("the page has no CSRF token: " + this);
            }
            return csrf.group(1);
        }

        public boolean signedIn() {
            return status == 200 && body.contains("id=\"signed-in-as\"");
        }

        public boolean sentToSignIn() {
            return status == 302 && location != null && location.endsWith("/login");
        }

        @Override
        public String toString() {
            return status + (location == null ? "" : " -> " + location) + " "
                    + body.substring(0, Math.min(body.length(), 300));
        }
    }
}
