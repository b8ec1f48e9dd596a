package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.forge.Forge;
import io.archfarm.portal.forge.webhook.WebhookFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bounded, reproducible fuzzer over the API and the webhooks: {@value #REQUESTS} requests (seed {@value #SEED},
 * at most {@value #MAX_SECONDS} s) with mutated paths, methods, Content-Type and Accept headers, query strings and
 * bodies. No answer may be a 5xx, and every error under {@code /api} must be {@code application/problem+json} whose
 * detail names no Java type. Every value that could name a host is loopback or refused by rule before anything
 * connects, so nothing leaves this machine.
 */
@PortalIntegrationTest
class ApiFuzzIT {

    static final long SEED = Long.getLong("archfarm.fuzz.seed", 11L);
    static final int REQUESTS = 3000;
    static final int MAX_SECONDS = 240;

    /** What a detail must not say: Java's names for types, packages and exceptions. */
    static final Pattern JAVA_TYPE = Pattern.compile("java\\.|jakarta\\.|javax\\.|org\\.springframework|tools\\.jackson"
            + "|com\\.fasterxml|\\b\\w+(Exception|Error)\\b|\\b(UUID|Long|Integer|Boolean|Instant|Duration"
            + "|OffsetDateTime|HashMap|ArrayList)\\b|`|\\[Source:");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @LocalServerPort
    int port;

    private Random random;
    private String team;
    private String project;
    private String token;
    private String webhookSecret;
    private final List<String> buildIds = new ArrayList<>();

    @Test
    void thousandsOfMutatedRequestsGetNo5xxAndProblemDetailsUnderApi() throws Exception {
        FarmAccounts farm = new FarmAccounts(port);
        team = farm.team("fuzz");
        project = "app";
        webhookSecret =
                farm.project(team, projectJson(project)).path("webhookSecret").asString();
        token = farm.admin()
                .post("/api/v1/tokens", "{\"name\":\"fuzz\"}")
                .json()
                .path("token")
                .asString();
        JsonNode build = farm.admin()
                .post("/api/v1/projects/" + team + "/" + project + "/builds", "{}")
                .json();
        buildIds.add(build.path("id").asString());
        random = new Random(SEED);

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, Integer> histogram = new TreeMap<>();
        Map<Integer, Integer> webhooks = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(MAX_SECONDS);
        int sent = 0;
        for (; sent < REQUESTS && Instant.now().isBefore(deadline); sent++) {
            Fuzzed request = next();
            HttpResponse<String> answer;
            try {
                answer = http.send(request.build(port), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                sent--; // the client itself refused to send it (a header it does not allow): not a request
                continue;
            }
            histogram.merge(answer.statusCode(), 1, Integer::sum);
            if (request.path().startsWith("/hooks/")) {
                webhooks.merge(answer.statusCode(), 1, Integer::sum);
            }
            String problem = check(request, answer);
            if (problem != null && failures.size() < 25) {
                failures.add(problem + "\n    " + request + "\n    -> " + answer.statusCode() + " "
                        + answer.headers().firstValue("Content-Type").orElse("") + " " + abbreviate(answer.body()));
            }
        }

        System.out.println("ApiFuzzIT: seed " + SEED + ", " + sent + " requests, status histogram " + histogram
                + "; of them to /hooks/: " + webhooks);
        assertThat(sent).as("requests sent within %d s", MAX_SECONDS).isGreaterThanOrEqualTo(REQUESTS);
        assertThat(failures).as("seed %d, histogram %s", SEED, histogram).isEmpty();
    }

    private static String check(Fuzzed request, HttpResponse<String> answer) {
        int status = answer.statusCode();
        if (status >= 500) {
            return "a 5xx";
        }
        if (status < 400 || !request.underApi()) {
            return null;
        }
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            return "an API error that is not application/problem+json";
        }
        if (request.method().equals("HEAD")) {
            return null;
        }
        String detail;
        try {
            detail = JSON.readTree(answer.body()).path("detail").asString("");
        } catch (RuntimeException e) {
            return "a problem body that is not JSON";
        }
        return JAVA_TYPE.matcher(detail).find() ? "a detail naming a Java type" : null;
    }

    // ---- what is sent ------------------------------------------------------------------------------------------

    record Fuzzed(
            String method,
            String path,
            String contentType,
            String accept,
            String authorization,
            byte[] body,
            Map<String, String> extraHeaders) {

        HttpRequest build(int port) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30));
            builder.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            if (accept != null) {
                builder.header("Accept", accept);
            }
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            extraHeaders.forEach(builder::header);
            return builder.build();
        }

        /** Only a path the server sees under /api/ (no dot segments that would move it elsewhere). */
        boolean underApi() {
            String lower = path.toLowerCase(Locale.ROOT);
            return lower.startsWith("/api/") && !lower.contains("..") && !lower.contains("%2e");
        }

        @Override
        public String toString() {
            return method + " " + path + " [Content-Type: " + contentType + ", Accept: " + accept + ", auth: "
                    + (authorization == null
                            ? "none"
                            : authorization.substring(0, Math.min(12, authorization.length())))
                    + "] " + (body == null ? "" : abbreviate(new String(body, StandardCharsets.UTF_8)));
        }
    }

    private Fuzzed next() {
        return chance(15) ? delivery() : apiCall();
    }

    private Fuzzed apiCall() {
        String path = path();
        String method = pick("GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
        String own = "/api/v1/projects/" + team + "/" + project;
        if (method.equals("DELETE") && path.startsWith(own) && !path.startsWith(own + "/")
                || method.equals("POST") && path.startsWith(own + "/webhook-secret")) {
            method = "GET"; // the fuzzed project and its secret stay, so that the signed deliveries keep reaching it
        }
        byte[] body = method.equals("GET") || method.equals("HEAD") || method.equals("DELETE") && chance(80)
                ? null
                : body(path);
        String authorization = chance(85)
                ? "Bearer " + token
                : pick(
                        null,
                        "Bearer nonsense",
                        "Bearer ",
                        "Basic !!!",
                        PortalApi.basic("admin", "wrong"),
                        "Digest x",
                        "Bearer " + token + "x");
        Map<String, String> extra = chance(90)
                ? Map.of()
                : Map.of(
                        pick(
                                "X-GitHub-Event",
                                "X-Gitlab-Event",
                                "X-Gitea-Event",
                                "X-GitHub-Delivery",
                                "X-Hub-Signature-256",
                                "X-Gitlab-Token",
                                "Range"),
                        pick("push", "Push Hook", "Tag Push Hook", "ping", "sha256=00", "bytes=0-1", "x", ""));
        return new Fuzzed(method, path, contentType(), accept(), authorization, body, extra);
    }

    /**
     * A delivery to the fuzzed project's webhook, most of them signed as the forge signs, so that the mutated body
     * reaches the parser, the duplicate rules and the delivery log.
     */
    private Fuzzed delivery() {
        Forge forge = pick(Forge.values());
        String path = "/hooks/" + team + "/" + project + "/" + forge.wireName() + (chance(5) ? "?" + query() : "");
        byte[] body = body(path);
        String contentType = chance(80) ? "application/json" : contentType();
        if (chance(20)) {
            return new Fuzzed("POST", path, contentType, accept(), null, body, Map.of());
        }
        String event = forge == Forge.GITLAB
                ? pick("Push Hook", "Tag Push Hook", "Merge Request Hook", "")
                : pick("push", "push", "ping", "issues", "");
        HttpHeaders signed = WebhookFixtures.headers(
                forge,
                event,
                pick(
                        UUID.randomUUID().toString(),
                        "d-" + random.nextInt(20),
                        "D-" + random.nextInt(20),
                        "x".repeat(300)),
                body,
                webhookSecret);
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !values.getFirst().isEmpty()) {
                headers.put(name, values.getFirst());
            }
        });
        return new Fuzzed("POST", path, contentType, accept(), null, body, headers);
    }

    private String contentType() {
        return chance(15)
                ? null
                : pick(
                        "application/json",
                        "application/json",
                        "application/json",
                        "*/*",
                        "application/*",
                        "text/plain",
                        "application/xml",
                        "application/json; charset=latin1",
                        "application/json; charset=nonsense",
                        "multipart/form-data; boundary=x",
                        "application/x-www-form-urlencoded",
                        "garbage",
                        "application/json;;;",
                        "application/problem+json",
                        "text/*",
                        "application/json; charset=utf-16");
    }

    private String accept() {
        return chance(30)
                ? null
                : pick(
                        "*/*",
                        "application/json",
                        "application/problem+json",
                        "text/html",
                        "image/png",
                        "application/xml",
                        "garbage",
                        "text/*",
                        "application/*",
                        "text/plain",
                        "application/json;q=0",
                        "text/event-stream");
    }

    private String path() {
        String build = chance(50) && !buildIds.isEmpty() ? buildIds.getFirst() : segment();
        String t = chance(70) ? team : segment();
        String p = chance(70) ? project : segment();
        String path = pick(
                "/api/v1/builds",
                "/api/v1/builds/" + build,
                "/api/v1/builds/" + build + "/logs",
                "/api/v1/builds/" + build + "/cancel",
                "/api/v1/builds/" + build + "/retry",
                "/api/v1/teams",
                "/api/v1/teams/" + t,
                "/api/v1/teams/" + t + "/projects",
                "/api/v1/teams/" + t + "/members/" + segment(),
                "/api/v1/projects/" + t + "/" + p,
                "/api/v1/projects/" + t + "/" + p + "/builds",
                "/api/v1/projects/" + t + "/" + p + "/deliveries",
                "/api/v1/projects/" + t + "/" + p + "/webhook-secret",
                "/api/v1/projects/" + t + "/" + p + "/registry-credential",
                "/api/v1/users",
                "/api/v1/users/me",
                "/api/v1/users/" + segment() + "/password",
                "/api/v1/tokens",
                "/api/v1/tokens/" + segment(),
                "/api/v1/workers",
                "/api/v1/workers/" + segment() + "/drain",
                "/api/v1/workers/" + segment() + "/resume",
                "/api/v1/" + segment(),
                "/api/" + segment(),
                "/api/v2/builds",
                "/hooks/" + t + "/" + p + "/" + pick("github", "gitlab", "gitea", "forgejo", segment()),
                "/hooks/" + segment());
        if (chance(25)) {
            path += "?" + query();
        }
        if (chance(5)) {
            path += pick("/", "//", "/.", ";x=1", "%20", "%ff", "%00");
        }
        return path;
    }

    private String segment() {
        return pick(
                UUID.randomUUID().toString(),
                "%ff",
                "%00",
                "%c0%ae",
                "..",
                "%2e%2e",
                "x".repeat(300),
                "-1",
                "99999999999999999999",
                "%20",
                "%e2%98%83",
                "null",
                "0",
                "a%2fb",
                "%25",
                "%u0041",
                UUID.randomUUID().toString().toUpperCase(Locale.ROOT),
                "admin",
                "me",
                "%7B%7D",
                "a%0Ab");
    }

    private String query() {
        String name = pick("limit", "status", "platform", "team", "cursor", "%ff", "x");
        String value = pick(
                "10",
                "-1",
                "0",
                "abc",
                "%ff",
                "%00",
                "99999999999999999999",
                "1e9",
                "RUNNING",
                "linux%2Famd64",
                "%e2%98%83",
                "",
                "%",
                "%zz");
        return name + "=" + value + (chance(30) ? "&" + query() : "");
    }

    private byte[] body(String path) {
        String json = chance(60)
                ? mutate(template(path))
                : pick(
                        "",
                        "null",
                        "[]",
                        "{",
                        "{\"a\":",
                        "\"text\"",
                        "1e999",
                        "{\"name\":\"\\u0000\"}",
                        "[".repeat(3000) + "]".repeat(3000),
                        "{\"a\":".repeat(2000) + "1" + "}".repeat(2000),
                        "\u0000\u0001\u0002",
                        "{\"name\": \"\\ud800\"}",
                        "<xml/>",
                        "name=x&password=y",
                        "{\"name\":1e400}",
                        "{\"limit\":123456789012345678901234567890}");
        if (chance(10)) {
            byte[] raw = new byte[random.nextInt(64)];
            random.nextBytes(raw);
            return raw;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (chance(10) && bytes.length > 2) {
            return Arrays.copyOf(bytes, random.nextInt(bytes.length - 1) + 1); // truncated
        }
        return bytes;
    }

    private String template(String path) {
        if (path.startsWith("/api/v1/tokens")) {
            return "{\"name\":\"n\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}";
        }
        if (path.startsWith("/api/v1/users")) {
            return "{\"username\":\"u" + random.nextInt(1_000_000) + "\",\"password\":\"long-enough-password\","
                    + "\"displayName\":\"U\",\"currentPassword\":\"x\",\"newPassword\":\"y\"}";
        }
        if (path.contains("/members/")) {
            return "{\"role\":\"viewer\"}";
        }
        if (path.startsWith("/api/v1/teams") && !path.contains("/projects")) {
            return "{\"slug\":\"t" + random.nextInt(1_000_000) + "\",\"name\":\"T\"}";
        }
        if (path.contains("/registry-credential")) {
            return "{\"username\":\"robot\",\"password\":\"pw\"}";
        }
        if (path.startsWith("/api/v1/builds")) {
            return "{\"repository\":\"" + repo.url() + "\",\"image\":\"127.0.0.1:5000/x/y\",\"platforms\":"
                    + "[\"linux/amd64\"],\"team\":\"" + team + "\",\"tags\":[\"latest\"],\"buildArgs\":{\"A\":\"b\"}}";
        }
        if (path.endsWith("/builds")) {
            return "{\"ref\":\"main\",\"platforms\":[\"linux/amd64\"],\"tags\":[\"t\"]}";
        }
        if (path.startsWith("/hooks/")) {
            String ref = pick("refs/heads/main", "refs/tags/v1.0", "refs/heads/feature/x", "refs/notes/x", "main");
            String commit = pick(
                    "a".repeat(40),
                    "b".repeat(64),
                    "0".repeat(40),
                    "A".repeat(40),
                    String.format("%040x", random.nextInt(1000)));
            return "{\"ref\":\"" + ref + "\",\"after\":\"" + commit + "\",\"checkout_sha\":\"" + commit
                    + "\",\"zen\":\"z\",\"pusher\":{\"name\":\"p\"},\"user_username\":\"u\"}";
        }
        return projectJson("p" + random.nextInt(1_000_000));
    }

    private String projectJson(String slug) {
        return """
                {"slug": "%s", "repository": "%s", "image": "127.0.0.1:5000/fuzz/app",
                 "platforms": ["linux/amd64", "linux/arm64"], "placement": "native-preferred",
                 "tagTemplates": ["{branch}"], "branchFilters": ["main"], "buildArgs": {"A": "b"}}""".formatted(slug, repo.url());
    }

    /** Replaces one JSON value (a string, number, true/false/null) with a hostile one; hosts are never invented. */
    private String mutate(String json) {
        var values = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?|true|false|null")
                .matcher(json);
        List<int[]> spans = new ArrayList<>();
        while (values.find()) {
            spans.add(new int[] {values.start(), values.end()});
        }
        if (spans.isEmpty()) {
            return json;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        String hostile = pick(
                "\"\\u0000\"",
                "\"a\\u0000b\"",
                "123456789012345678901234567890",
                "1e999",
                "-1",
                "3.5",
                "true",
                "null",
                "[]",
                "{}",
                "[1,2]",
                "{\"x\":[null]}",
                "\"\"",
                "\"" + "x".repeat(5000) + "\"",
                "\"\\u2603 \\ud83d\\ude00\"",
                "\"\\ud800\"",
                "\"-oProxyCommand=x\"",
                "\"http://10.0.0.1/x.git\"",
                "\"linux/sparc\"",
                "\"../../etc/passwd\"",
                "\"%ff\"",
                "\"\\n\\r\\t\"",
                "\"<script>\"",
                "\"1970-01-01T00:00:00Z\"",
                "\"not-a-date\"",
                "\"" + UUID.randomUUID() + "\"");
        return json.substring(0, span[0]) + hostile + json.substring(span[1]);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
