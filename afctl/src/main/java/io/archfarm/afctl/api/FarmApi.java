package io.archfarm.afctl.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The farm's REST API v1 as afctl calls it: a bearer token on every request, JSON in and out, and every answer that
 * is not a success turned into an {@link ApiError} (from its RFC 9457 problem) or, when nothing answered, a
 * {@link FarmUnreachable}. HTTP/1.1 throughout: the event stream is a long-lived plain response.
 */
public final class FarmApi {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"),
            Map.entry(409, "Conflict"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private final String base;
    private final String token;
    private final String userAgent;
    private final HttpClient http;

    /** @param base the farm's URL as the user gave it ({@code http://farm.example:8080}, a path prefix allowed) */
    public FarmApi(URI base, String token, String userAgent) {
        String url = base.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
        this.userAgent = userAgent;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public String base() {
        return base;
    }

    public JsonNode get(Object path) {
        return Json.parse(
                send(request(path).GET().header("Accept", "application/json")).body());
    }

    /** One page of a paged list; {@code pathOrUrl} is a path of the API or a {@link Page#next()} of an earlier page. */
    public Page page(Object pathOrUrl) {
        HttpResponse<String> answer = send(request(pathOrUrl).GET().header("Accept", "application/json"));
        return new Page(
                Json.parse(answer.body()),
                LinkHeader.next(answer.headers().allValues("Link"))
                        .map(next -> URI.create(base + "/").resolve(next).toString()));
    }

    /** A POST with {@code body} as JSON, or with no body when it is null; the answer as JSON. */
    public JsonNode post(Object path, @Nullable Object body) {
        HttpRequest.Builder request = request(path).header("Accept", "application/json");
        if (body == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        }
        return Json.parse(send(request).body());
    }

    public String text(Object path) {
        return send(request(path).GET().header("Accept", "text/plain")).body();
    }

    /**
     * Opens a {@code text/event-stream}: the answer's body as it arrives, for as long as the farm sends it. Only the
     * wait for the answer's headers is bounded here; the reader watches the stream's silence itself.
     */
    public InputStream events(Object path) {
        HttpRequest request =
                request(path).GET().header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<InputStream>> pending =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> answer;
        try {
            answer = pending.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw unreachable(new HttpTimeoutException("no answer within " + ANSWER_TIMEOUT.toSeconds() + " s"));
        } catch (ExecutionException e) {
            throw unreachable(e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
        if (answer.statusCode() / 100 != 2) {
            try (InputStream body = answer.body()) {
                throw problem(
                        answer.statusCode(),
                        answer.headers().firstValue("Content-Type").orElse(""),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        return answer.body();
    }

    private HttpRequest.Builder request(Object pathOrUrl) {
        String target = pathOrUrl.toString();
        URI uri = URI.create(target.startsWith("/") ? base + target : target);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("User-Agent", userAgent);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpResponse<String> answer;
        try {
            answer = http.send(
                    request.timeout(ANSWER_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
        if (answer.statusCode() / 100 != 2) {
            throw problem(
                    answer.statusCode(),
                    answer.headers().firstValue("Content-Type").orElse(""),
                    answer.body());
        }
        return answer;
    }

    FarmUnreachable unreachable(@Nullable Throwable cause) {
        String why = switch (cause) {
            case ConnectException e -> "connection refused";
            case HttpTimeoutException e -> e.getMessage() == null ? "timed out" : e.getMessage();
            case InterruptedException e -> "interrupted";
            case null -> "no answer";
            default -> cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        };
        return new FarmUnreachable("cannot reach the farm at " + base + ": " + why, cause);
    }

    /** The error an answer carries: its problem's title and detail, or the status and the start of whatever it is. */
    static ApiError problem(int status, String contentType, String body) {
        String reason = REASONS.getOrDefault(status, "HTTP " + status);
        if (contentType.contains("json")) {
            try {
                JsonNode problem = Json.parse(body);
                String title = problem.path("title").asString("");
                String detail = problem.path("detail").asString("");
                return new ApiError(status, title.isBlank() ? reason : title, detail);
            } catch (JacksonException notJson) {
                // described below like any other body
            }
        }
        String text = body == null
                ? ""
                : body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return new ApiError(status, reason, text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
