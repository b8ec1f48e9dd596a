package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Input that once made the portal answer 500, or answer the API in HTML: each gets a 4xx problem detail that says
 * what was wrong without naming a Java type.
 */
@PortalIntegrationTest
class InputErrorsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @LocalServerPort
    int port;

    String token;
    String team;

    @BeforeEach
    void setUp() {
        FarmAccounts farm = new FarmAccounts(port);
        team = farm.team("input");
        farm.project(team, project("app"));
        token = farm.admin()
                .post("/api/v1/tokens", "{\"name\":\"input\"}")
                .json()
                .path("token")
                .asString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            */*                | 415 | is a pattern, not a format
            application/*      | 415 | is a pattern, not a format
            text/plain         | 415 | not supported
            nonsense           | 415 | ''
            """)
    void aBodyWhoseContentTypeNamesNoFormatGets415(String contentType, int status, String says) throws Exception {
        HttpResponse<String> answer = send(request("/api/v1/teams/" + team + "/projects")
                .header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(project("other"))));

        assertProblem(answer, status).contains(says);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /api/v1/builds?limit=%ff                 | 400 | not percent-encoded UTF-8
            /api/v1/builds?%ff=1                     | 400 | not percent-encoded UTF-8
            /api/v1/builds/%ff                       | 400 | ''
            /api/v1/builds/%c0%ae/logs               | 400 | ''
            /api/v1/builds//logs                     | 400 | ''
            /api/v1/builds/a%2fb                     | 400 | ''
            /api/v1/builds/not-an-id                 | 400 | expected an id of 32 hex digits
            /api/v1/builds?limit=abc                 | 400 | expected a whole number
            /api/v1/no-such-thing                    | 404 | ''
            /api/v1/teams/%e2%98%83                  | 404 | ''
            """)
    void pathsAndQueryStringsThatCannotBeReadGetProblemDetails(String path, int status, String says) throws Exception {
        HttpResponse<String> answer = send(request(path).GET());

        assertProblem(answer, status).contains(says);
    }

    @Test
    void aMethodTheResourceDoesNotTakeGets405AndAnAcceptItCannotMeetGets406() throws Exception {
        assertProblem(send(request("/api/v1/workers").method("PATCH", BodyPublishers.noBody())), 405);
        assertProblem(
                send(request("/api/v1/workers").header("Accept", "image/png").GET()), 406);
        assertProblem(
                send(request("/api/v1/workers/x/drain")
                        .header("Accept", "garbage")
                        .GET()),
                405);
    }

    @Test
    void aNulCharacterInAnyJsonStringIsRefusedNamingTheField() throws Exception {
        HttpResponse<String> inName = send(request("/api/v1/tokens")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"a\\u0000b\"}")));
        assertProblem(inName, 400).contains("'name'").contains("NUL");

        HttpResponse<String> inList = send(request("/api/v1/projects/" + team + "/app")
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(project("app").replace("\"main\"", "\"ma\\u0000in\""))));
        assertProblem(inList, 400).contains("'branchFilters[0]'").contains("NUL");

        HttpResponse<String> inKey = send(request("/api/v1/projects/" + team + "/app")
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(project("app").replace("{\"A\": \"b\"}", "{\"A\\u0000\": \"b\"}"))));
        assertProblem(inKey, 400).contains("buildArgs").contains("NUL");
    }

    @Test
    void concurrentUpdatesOfOneProjectGet200Or409NeverA500() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<HttpResponse<String>>> updates = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String body = project("app").replace("\"A\": \"b\"", "\"A\": \"v" + i + "\"");
                updates.add(() -> send(request("/api/v1/projects/" + team + "/app")
                        .header("Content-Type", "application/json")
                        .PUT(BodyPublishers.ofString(body))));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> update : pool.invokeAll(updates, 2, TimeUnit.MINUTES)) {
                HttpResponse<String> answer = update.get();
                statuses.add(answer.statusCode());
                if (answer.statusCode() == 409) {
                    assertProblem(answer, 409).contains("at the same time");
                }
            }
            System.out.println("InputErrorsIT: 24 concurrent project updates answered " + statuses);
            assertThat(statuses).as("24 updates, 6 at a time").contains(200).allMatch(s -> s == 200 || s == 409);
        } finally {
            pool.shutdownNow();
        }
    }

    private AbstractStringAssert<?> assertProblem(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type"))
                .as(answer.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        String detail = problem.path("detail").asString();
        assertThat(detail).as("no Java type names").doesNotContainPattern(ApiFuzzIT.JAVA_TYPE);
        return assertThat(detail);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String project(String slug) {
        return """
                {"slug": "%s", "repository": "%s", "image": "127.0.0.1:5000/input/app",
                 "platforms": ["linux/amd64"], "branchFilters": ["main"], "buildArgs": {"A": "b"}}""".formatted(slug, repo.url());
    }
}
