package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.testing.ArchfarmTestServices;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * Password guessing and webhook floods are answered 429 with Retry-After once the counts run out: per account, per
 * source address (each test comes from its own address, as a trusted proxy's X-Forwarded-For says) and per project.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "archfarm.throttle.failures-per-account=3", "archfarm.throttle.failures-per-source=6",
            "archfarm.throttle.failure-window=15m", "archfarm.throttle.deliveries-per-project=5",
            "archfarm.throttle.delivery-window=10m", "archfarm.git.allow-file-urls=true"
        })
@Import(ArchfarmTestServices.class)
class ThrottlingIT {

    private static final AtomicInteger SOURCES = new AtomicInteger();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @LocalServerPort
    int port;

    FarmAccounts farm;
    /** A documentation address (RFC 5737) only ever written in a header: nothing connects to it. */
    String source;

    @BeforeEach
    void setUp() {
        farm = new FarmAccounts(port);
        source = "192.0.2." + SOURCES.incrementAndGet();
    }

    @Test
    void wrongPasswordsForOneAccountOverBasicGet429WithRetryAfterAndTheRightPasswordWaitsToo() throws Exception {
        String alice = user("alice");
        for (int i = 0; i < 3; i++) {
            assertThat(token(alice, "wrong-" + i).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> throttled = token(alice, "wrong-again");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(retryAfter(throttled)).isBetween(1L, 15 * 60L);
        assertThat(JSON.readTree(throttled.body()).path("detail").asString()).contains("too many failed sign-ins");
        assertThat(token(alice, FarmAccounts.PASSWORD).statusCode())
                .as("the account waits, whoever knows the password")
                .isEqualTo(429);

        source = "192.0.2." + SOURCES.incrementAndGet();
        assertThat(token(alice, FarmAccounts.PASSWORD).statusCode())
                .as("from another address too")
                .isEqualTo(429);
        assertThat(token(user("bob"), FarmAccounts.PASSWORD).statusCode())
                .as("other accounts are not held up")
                .isEqualTo(201);
    }

    @Test
    void oneSourceGuessingManyAccountsIsStoppedAndASuccessInBetweenDoesNotResetItsCount() throws Exception {
        String carol = user("carol");
        for (int i = 0; i < 5; i++) {
            assertThat(token(user("victim"), "wrong").statusCode()).isEqualTo(401);
        }
        assertThat(token(carol, FarmAccounts.PASSWORD).statusCode())
                .as("a success still gets through")
                .isEqualTo(201);
        assertThat(token(user("victim"), "wrong").statusCode())
                .as("the sixth failure from this address")
                .isEqualTo(401);

        HttpResponse<String> throttled = token(user("fresh"), "wrong");
        assertThat(throttled.statusCode())
                .as("no account has failed yet, but this address has")
                .isEqualTo(429);
        assertThat(retryAfter(throttled)).isPositive();
        assertThat(token(carol, FarmAccounts.PASSWORD).statusCode()).isEqualTo(429);
    }

    @Test
    void theSignInFormAnswers429WithAReadableMessage() throws Exception {
        String dave = user("dave");
        HttpClient browser =
                HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> wrong = signIn(browser, dave, "wrong-" + i);
            assertThat(wrong.statusCode()).isEqualTo(302);
            assertThat(wrong.headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        }

        HttpResponse<String> throttled = signIn(browser, dave, FarmAccounts.PASSWORD);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(retryAfter(throttled)).isBetween(1L, 15 * 60L);
        assertThat(throttled.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(throttled.body())
                .contains("id=\"login-throttled\"")
                .contains("Too many failed sign-ins for this account or from this address. Try again in")
                .contains("name=\"_csrf\"");
    }

    @Test
    void aFloodOfDeliveriesToOneProjectGets429WithRetryAfter() throws Exception {
        String team = farm.team("flood");
        farm.project(team, """
                {"slug": "site", "repository": "%s", "image": "127.0.0.1:5000/web/site",
                 "platforms": ["linux/amd64"]}""".formatted(repo.url()));
        HttpClient forge = HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
            assertThat(deliver(forge, team).statusCode())
                    .as("unsigned: refused, but counted")
                    .isEqualTo(401);
        }

        HttpResponse<String> flooded = deliver(forge, team);
        assertThat(flooded.statusCode()).isEqualTo(429);
        assertThat(flooded.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(retryAfter(flooded)).isBetween(1L, 10 * 60L);
        assertThat(JSON.readTree(flooded.body()).path("detail").asString()).contains("takes at most 5 deliveries");

        String other = farm.team("calm");
        farm.project(other, """
                {"slug": "site", "repository": "%s", "image": "127.0.0.1:5000/web/site",
                 "platforms": ["linux/amd64"]}""".formatted(repo.url()));
        assertThat(deliver(forge, other).statusCode())
                .as("another project is not held up")
                .isEqualTo(401);
    }

    private String user(String prefix) {
        String username = FarmAccounts.unique(prefix);
        FarmAccounts.expect(
                farm.admin().post("/api/v1/users", """
                {"username":"%s","password":"%s","displayName":"%s"}""".formatted(username, FarmAccounts.PASSWORD, username)), 201);
        return username;
    }

    private HttpResponse<String> token(String username, String password) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri("/api/v1/tokens"))
                                .header("Authorization", PortalApi.basic(username, password))
                                .header("Content-Type", "application/json")
                                .header("X-Forwarded-For", source)
                                .POST(BodyPublishers.ofString("{\"name\":\"t\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signIn(HttpClient browser, String username, String password) throws Exception {
        HttpResponse<String> form = browser.send(
                HttpRequest.newBuilder(uri("/login"))
                        .header("X-Forwarded-For", source)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(form.body());
        assertThat(csrf.find()).as(form.body()).isTrue();
        String body = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf.group(1);
        return browser.send(
                HttpRequest.newBuilder(uri("/login"))
                        .header("X-Forwarded-For", source)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> deliver(HttpClient forge, String team) throws Exception {
        return forge.send(
                HttpRequest.newBuilder(uri("/hooks/" + team + "/site/github"))
                        .header("Content-Type", "application/json")
                        .header("X-GitHub-Event", "push")
                        .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                        .POST(BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long retryAfter(HttpResponse<String> answer) {
        return Long.parseLong(answer.headers()
                .firstValue("Retry-After")
                .orElseThrow(() -> new AssertionError("no Retry-After: " + answer.statusCode() + " " + answer.body())));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
