package io.archfarm.scheduler.manifests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A protocol peer for the registry token protocol, on 127.0.0.1 over plain http: {@code /v2/} answers 401 with a
 * Bearer challenge (or a Basic one) unless the request carries a token it issued for a scope that allows the method,
 * and {@code /token} issues tokens, recording what it was asked. The distribution registry on this machine runs
 * without a token server, so the Bearer side of the client can only be tested against a peer like this one.
 */
final class TokenRegistry implements AutoCloseable {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    /** One request as the peer received it. */
    record Received(String method, String path, String authorization, Map<String, String> query) {}

    private final HttpServer server;
    private final Map<String, String> issuedScopes = new ConcurrentHashMap<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private final List<Received> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<Received> registryRequests = new CopyOnWriteArrayList<>();
    private volatile String challenge;
    private volatile String basicLogin;
    private volatile int tokenStatus = 200;
    private volatile String tokenField = "token";
    private volatile byte[] manifest = new byte[0];
    private volatile String failingMethod;
    private volatile int failingStatus;
    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private volatile String heldRequest = "GET";
    private volatile CountDownLatch held = new CountDownLatch(0);
    private volatile CountDownLatch release = new CountDownLatch(0);

    private TokenRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/", this::registry);
        server.createContext("/token", this::token);
        // a held request must not hold up the others
        server.setExecutor(handlers);
        server.start();
        challenge = "Bearer realm=\"http://" + address() + "/token\",service=\"test-registry\","
                + "scope=\"repository:team/app:pull\"";
    }

    static TokenRegistry start() throws IOException {
        return new TokenRegistry();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Challenges with {@code header} instead of the Bearer challenge pointing at its own token endpoint. */
    TokenRegistry challenging(String header) {
        challenge = header;
        return this;
    }

    /** Answers a Basic challenge and accepts this base64 user:secret, as a registry with htpasswd does. */
    TokenRegistry basicOnly(String basic) {
        challenge = "Basic realm=\"x\"";
        basicLogin = basic;
        return this;
    }

    TokenRegistry answeringTokenRequestsWith(int status) {
        tokenStatus = status;
        return this;
    }

    /** Names the token {@code access_token} (OAuth 2) instead of {@code token}. */
    TokenRegistry namingTheToken(String field) {
        tokenField = field;
        return this;
    }

    /**
     * Answers every registry request of {@code method} with {@code status} (a 503 of a registry in trouble, a 400 of
     * one that calls the manifest invalid), before any authorization; {@code null} answers as usual again.
     */
    TokenRegistry answering(String method, int status) {
        failingStatus = status;
        failingMethod = method;
        return this;
    }

    TokenRegistry serving(byte[] manifest) {
        this.manifest = manifest.clone();
        return this;
    }

    /**
     * Holds the next manifest read (after its authorization) until {@link #releaseHeldRead()}: a registry that answers
     * slowly, for as long as the test needs.
     */
    TokenRegistry holdingTheNextManifestRead() {
        heldRequest = "GET";
        held = new CountDownLatch(1);
        release = new CountDownLatch(1);
        return this;
    }

    /**
     * Holds the next push of a manifest under {@code reference} (a tag or a digest) until {@link #releaseHeldRead()}:
     * the push lands, and {@link #storedUnder} changes, only when it is released.
     */
    TokenRegistry holdingTheNextManifestPut(String reference) {
        heldRequest = "PUT /manifests/" + reference;
        held = new CountDownLatch(1);
        release = new CountDownLatch(1);
        return this;
    }

    /** The digest of the manifest last pushed under {@code reference} (a tag) of any repository, or null. */
    String storedUnder(String reference) {
        return stored.get(reference);
    }

    /** Whether a manifest read arrived and is being held, within {@code seconds}. */
    boolean awaitHeldRead(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    void releaseHeldRead() {
        release.countDown();
    }

    /** The tokens it issued, oldest first. */
    List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    List<Received> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    List<Received> registryRequests() {
        return List.copyOf(registryRequests);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void registry(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = exchange.getRequestBody().readAllBytes();
            registryRequests.add(received(exchange, authorization));
            if (method.equals(failingMethod)) {
                respond(
                        exchange,
                        failingStatus,
                        ("{\"errors\":[{\"code\":\"" + (failingStatus == 400 ? "MANIFEST_INVALID" : "UNAVAILABLE")
                                        + "\"}]}")
                                .getBytes(StandardCharsets.UTF_8));
            } else if (!allowed(method, authorization)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
                respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("PUT")) {
                String path = exchange.getRequestURI().getPath();
                String reference = path.substring(path.lastIndexOf('/') + 1);
                holdIfAsked("PUT /manifests/" + reference);
                stored.put(reference, sha256(body));
                exchange.getResponseHeaders().add("Docker-Content-Digest", sha256(body));
                respond(exchange, 201, new byte[0]);
            } else {
                holdIfAsked("GET");
                exchange.getResponseHeaders().add("Content-Type", OCI_MANIFEST);
                respond(exchange, 200, manifest);
            }
        }
    }

    private void holdIfAsked(String request) throws IOException {
        CountDownLatch gate = release;
        boolean hold;
        synchronized (this) {
            hold = held.getCount() == 1 && heldRequest.equals(request);
            if (hold) {
                held.countDown();
            }
        }
        if (hold) {
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the held manifest read was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while holding a manifest read", e);
            }
        }
    }

    private boolean allowed(String method, String authorization) {
        if (authorization == null) {
            return false;
        }
        if (basicLogin != null) {
            return authorization.equals("Basic " + basicLogin);
        }
        String scope = authorization.startsWith("Bearer ") ? issuedScopes.get(authorization.substring(7)) : null;
        if (scope == null) {
            return false;
        }
        List<String> actions =
                Arrays.asList(scope.substring(scope.lastIndexOf(':') + 1).split(","));
        return actions.contains(method.equals("PUT") ? "push" : "pull");
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            Received request = received(exchange, exchange.getRequestHeaders().getFirst("Authorization"));
            tokenRequests.add(request);
            if (tokenStatus != 200) {
                respond(exchange, tokenStatus, "{\"details\":\"no\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String token = "token-" + UUID.randomUUID();
            issuedScopes.put(token, request.query().getOrDefault("scope", ""));
            issued.add(token);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            respond(
                    exchange,
                    200,
                    ("{\"" + tokenField + "\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Received received(HttpExchange exchange, String authorization) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                query.put(
                        URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                        equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return new Received(
                exchange.getRequestMethod(), exchange.getRequestURI().getPath(), authorization, query);
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
