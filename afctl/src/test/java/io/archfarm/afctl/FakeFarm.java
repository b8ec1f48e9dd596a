package io.archfarm.afctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server on a free loopback port that answers afctl's requests with recorded answers, as the farm's API
 * gives them, and remembers what it was asked. For unit tests of what afctl does with answers; the end-to-end tests
 * run afctl against a real farm.
 */
final class FakeFarm implements AutoCloseable {

    record Answer(int status, String contentType, String body, Map<String, String> headers) {
        static Answer json(String body) {
            return new Answer(200, "application/json", body, Map.of());
        }

        static Answer problem(int status, String title, String detail) {
            return new Answer(
                    status,
                    "application/problem+json",
                    "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                            + detail + "\"}",
                    Map.of());
        }

        static Answer events(String stream) {
            return new Answer(200, "text/event-stream", stream, Map.of());
        }
    }

    /** A request as the server saw it. */
    record Request(String method, String pathAndQuery, String authorization, String body) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeFarm() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code METHOD path?query} (the query as afctl sends it) with {@code answer}. */
    FakeFarm on(String methodAndPath, Answer answer) {
        answers.put(methodAndPath, answer);
        return this;
    }

    List<Request> requests() {
        return requests;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(
                exchange.getRequestMethod(),
                target,
                exchange.getRequestHeaders().getFirst("Authorization"),
                body));
        Answer answer = answers.getOrDefault(
                exchange.getRequestMethod() + " " + target,
                Answer.problem(404, "Not Found", "no recorded answer for " + target));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
