package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.messages.BuildCancelRequested;
import io.archfarm.model.messages.BuildRequested;
import io.archfarm.model.messages.JobCache;
import io.archfarm.portal.PortalApi.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST API against real PostgreSQL and a real git repository, in a farm that accepts file:// repositories. */
@PortalIntegrationTest
class BuildApiIT {

    @TempDir
    static Path repoDir;

    static GitRepositoryFixture repo;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Value("${archfarm.topology.prefix}")
    String prefix;

    PortalApi api;

    @BeforeAll
    static void createRepository() {
        repo = GitRepositoryFixture.create(repoDir);
    }

    @BeforeEach
    void client() {
        api = new PortalApi(port).asAdmin();
    }

    @Test
    void acceptsABuildAtAnAnnotatedTagAndAnnouncesItThroughTheOutbox() {
        Answer answer = api.post("/api/v1/builds", """
                {"repository": "%s", "ref": "v1.0", "platforms": ["linux/amd64", "aarch64", "linux/arm64/v8"],
                 "image": "127.0.0.1:5000/demo/hello", "tags": ["latest", "1.0"], "buildArgs": {"GREETING": "hi"},
                 "placement": "any", "platformPlacement": {"aarch64": "native-only"}, "publish": "partial"}""".formatted(repo.url()));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        JsonNode build = answer.json();
        String id = build.path("id").asString();
        assertThat(answer.location()).isEqualTo("/api/v1/builds/" + id);
        assertThat(build.path("commit").asString()).isEqualTo(repo.revParse("v1.0^{commit}"));
        assertThat(build.path("status").asString()).isEqualTo("QUEUED");
        assertThat(build.path("ref").asString()).isEqualTo("v1.0");
        assertThat(build.path("placement").asString()).isEqualTo("any");
        assertThat(build.path("publish").asString()).isEqualTo("partial");
        assertThat(build.path("buildArgs").path("GREETING").asString()).isEqualTo("hi");
        assertThat(texts(build.path("platforms"), "platform")).containsExactly("linux/amd64", "linux/arm64");
        assertThat(texts(build.path("platforms"), "status")).containsOnly("QUEUED");
        assertThat(texts(build.path("platforms"), "placement")).containsExactly("any", "native-only");
        assertThat(build.path("platforms").get(0).path("attempt").asInt()).isZero();
        assertThat(build.path("manifestList").isNull()).isTrue();

        String commitSha = jdbc.sql("select commit_sha from builds where id = :id")
                .param("id", UUID.fromString(id))
                .query(String.class)
                .single();
        assertThat(commitSha).isEqualTo(repo.revParse("v1.0^{commit}"));
        assertThat(jdbc.sql("select platform_placements::text from builds where id = :id")
                        .param("id", UUID.fromString(id))
                        .query(String.class)
                        .single())
                .isEqualTo("{\"linux/arm64\": \"NATIVE_ONLY\"}");

        Map<String, Object> outbox = jdbc.sql("""
                        select exchange_name, routing_key, message_type, payload::text as payload from outbox
                        where payload->>'buildId' = :id""").param("id", id).query().singleRow();
        assertThat(outbox.get("exchange_name")).isEqualTo(prefix + ".events");
        assertThat(outbox.get("routing_key")).isEqualTo("build.requested");
        assertThat(outbox.get("message_type")).isEqualTo(BuildRequested.class.getName());
        BuildRequested message =
                JsonMapper.builder().build().readValue((String) outbox.get("payload"), BuildRequested.class);
        assertThat(message.buildId()).hasToString(id);
        assertThat(message.messageId()).isNotNull();

        Answer fetched = api.get("/api/v1/builds/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().path("commit").asString()).isEqualTo(commitSha);
        assertThat(texts(fetched.json().path("tags"))).containsExactly("latest", "1.0");
    }

    @Test
    void withoutARefTakesTheRemotesHeadBranchAndFillsInTheDefaults() {
        JsonNode build = submit(minimalBody(repo.url())).json();

        assertThat(build.path("ref").asString()).isEqualTo("trunk");
        assertThat(build.path("commit").asString()).isEqualTo(repo.revParse("trunk"));
        assertThat(build.path("containerfile").asString()).isEqualTo("Containerfile");
        assertThat(build.path("context").asString()).isEqualTo(".");
        assertThat(texts(build.path("tags"))).containsExactly("latest");
        assertThat(build.path("placement").asString()).isEqualTo("native-preferred");
        assertThat(build.path("publish").asString()).isEqualTo("all");
        assertThat(build.path("layerCache").asString())
                .as("an ad-hoc build uses the cache")
                .isEqualTo("use");
        assertThat(build.path("noCache").asBoolean()).isFalse();
    }

    @Test
    void aBuildMayAskToBuildEveryStepAgainAndKeepsWhatItAskedFor() {
        JsonNode build = submit(body(repo.url(), "\"platforms\": [\"linux/amd64\"], \"noCache\": true"))
                .json();

        assertThat(build.path("noCache").asBoolean()).isTrue();
        assertThat(build.path("layerCache").asString())
                .as("built again, new layers kept")
                .isEqualTo("refresh");
        assertThat(jdbc.sql("select layer_cache::text || ' ' || no_cache::text from builds where id = :id")
                        .param("id", UUID.fromString(build.path("id").asString()))
                        .query(String.class)
                        .single())
                .isEqualTo("true true");
        JsonNode explicit = submit(body(repo.url(), "\"platforms\": [\"linux/amd64\"], \"noCache\": false"))
                .json();
        assertThat(explicit.path("layerCache").asString()).isEqualTo("use");
    }

    @Test
    void eachPlatformShowsWhatTheLayerCacheDidAsTheSchedulerKeptIt() {
        String id = submit(body(repo.url(), "\"platforms\": [\"linux/amd64\", \"linux/arm64\"]"))
                .json()
                .path("id")
                .asString();
        UUID amd = insertJob(
                UUID.fromString(id), "linux/amd64", "SUCCEEDED", 1, "w-1", "NATIVE", "sha256:" + "d".repeat(64));
        insertJob(UUID.fromString(id), "linux/arm64", "RUNNING", 1, "w-2", "NATIVE", null);
        // the JobFinished's own record as JSON: the shape the scheduler keeps (LayerCacheFlowIT)
        JobCache cache = new JobCache(
                "USE",
                "adhoc/linux/amd64/0",
                List.of(
                        new JobCache.Step("1/3", "FROM 127.0.0.1:5000/base", true),
                        new JobCache.Step("2/3", "RUN make <all>", true),
                        new JobCache.Step("3/3", "COPY . /app", false)));
        jdbc.sql("update platform_jobs set cache = cast(:cache as jsonb) where id = :id")
                .param("cache", JsonMapper.builder().build().writeValueAsString(cache))
                .param("id", amd)
                .update();

        JsonNode platforms = api.get("/api/v1/builds/" + id).json().path("platforms");

        JsonNode shown = platforms.get(0).path("cache");
        assertThat(shown.path("layerCache").asString()).isEqualTo("use");
        assertThat(shown.path("store").asString()).isEqualTo("adhoc/linux/amd64/0");
        assertThat(shown.path("hits").asLong()).isEqualTo(2);
        assertThat(shown.path("misses").asLong()).isEqualTo(1);
        assertThat(texts(shown.path("steps"), "step")).containsExactly("1/3", "2/3", "3/3");
        assertThat(texts(shown.path("steps"), "instruction"))
                .containsExactly("FROM 127.0.0.1:5000/base", "RUN make <all>", "COPY . /app");
        assertThat(shown.path("steps").get(2).path("hit").asBoolean()).isFalse();
        assertThat(platforms.get(1).path("cache").isNull()).as("not ended yet").isTrue();
    }

    @Test
    void resolvesBranchesLightTagsFullRefNamesAndCommitIds() {
        String head = repo.revParse("HEAD");
        String first = repo.revParse("v1.0^{commit}");
        assertThat(commitFor("trunk")).isEqualTo(head);
        assertThat(commitFor("light")).isEqualTo(head);
        assertThat(commitFor("refs/tags/v1.0")).isEqualTo(first);
        assertThat(commitFor(first)).isEqualTo(first);
    }

    @Test
    void refusesARefThatDoesNotExist() {
        Answer answer = api.post("/api/v1/builds", bodyWithRef("no-such-branch"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.problemDetail()).contains("'no-such-branch'").contains("does not exist");
        assertThat(answer.json().path("field").asString()).isEqualTo("ref");
    }

    @Test
    void refusesARepositoryThatCannotBeReached() {
        Answer answer = api.post("/api/v1/builds", minimalBody("git://127.0.0.1:1/nothing.git"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.problemDetail())
                .contains("git://127.0.0.1:1/nothing.git")
                .contains("cannot be reached")
                .containsIgnoringCase("connect");
    }

    @Test
    void refusesAFileRepositoryThatIsNotAGitRepository() {
        Answer answer = api.post("/api/v1/builds", minimalBody("file:///nonexistent/archfarm/repo.git"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.problemDetail())
                .contains("file:///nonexistent/archfarm/repo.git")
                .contains("does not appear to be a git repository");
    }

    static Stream<Arguments> invalidRequests() {
        String repo = "git://127.0.0.1:1/never-contacted.git";
        return Stream.of(
                Arguments.of("unknown platform", body(repo, "\"platforms\": [\"linux/mips64\"]"), "'linux/mips64'"),
                Arguments.of("malformed platform", body(repo, "\"platforms\": [\"linux/\"]"), "'linux/'"),
                Arguments.of("empty platforms", body(repo, "\"platforms\": []"), "at least one platform"),
                Arguments.of("missing platforms", body(repo, ""), "platforms is required"),
                Arguments.of(
                        "missing image",
                        "{\"repository\": \"" + repo + "\", \"platforms\": [\"amd64\"]}",
                        "image is required"),
                Arguments.of(
                        "missing repository",
                        "{\"image\": \"127.0.0.1:5000/a\", \"platforms\": [\"amd64\"]}",
                        "repository is required"),
                Arguments.of(
                        "image with a tag",
                        "{\"repository\": \"" + repo
                                + "\", \"image\": \"127.0.0.1:5000/demo/hello:1.0\", \"platforms\": [\"amd64\"]}",
                        "'127.0.0.1:5000/demo/hello:1.0' must not carry a tag"),
                Arguments.of(
                        "image with a digest",
                        "{\"repository\": \"" + repo + "\", \"image\": \"demo/hello@sha256:" + "a".repeat(64)
                                + "\", \"platforms\": [\"amd64\"]}",
                        "must not carry a digest"),
                Arguments.of(
                        "image with upper case",
                        "{\"repository\": \"" + repo
                                + "\", \"image\": \"127.0.0.1:5000/Demo/hello\", \"platforms\": [\"amd64\"]}",
                        "'Demo'"),
                Arguments.of(
                        "bad tag", body(repo, "\"platforms\": [\"amd64\"], \"tags\": [\"-latest\"]"), "tag '-latest'"),
                Arguments.of(
                        "unknown property",
                        body(repo, "\"platforms\": [\"amd64\"], \"platfroms\": []"),
                        "unknown property 'platfroms'"),
                Arguments.of("malformed JSON", "{\"repository\": ", "malformed JSON"),
                Arguments.of("wrong type", body(repo, "\"platforms\": \"linux/amd64\""), "'platforms'"),
                Arguments.of("ftp repository", minimalBody("ftp://example.org/x.git"), "'ftp://example.org/x.git'"),
                Arguments.of("ext:: repository", minimalBody("ext::sh -c touch% /tmp/pwned"), "'ext::sh -c"),
                Arguments.of(
                        "unknown placement",
                        body(repo, "\"platforms\": [\"amd64\"], \"placement\": \"fastest\""),
                        "unknown placement 'fastest'"),
                Arguments.of(
                        "unknown publish",
                        body(repo, "\"platforms\": [\"amd64\"], \"publish\": \"some\""),
                        "unknown publish policy 'some'"),
                Arguments.of(
                        "bad build-arg",
                        body(repo, "\"platforms\": [\"amd64\"], \"buildArgs\": {\"1X\": \"y\"}"),
                        "build-arg name '1X'"),
                Arguments.of(
                        "absolute containerfile",
                        body(repo, "\"platforms\": [\"amd64\"], \"containerfile\": \"/etc/passwd\""),
                        "containerfile '/etc/passwd'"),
                Arguments.of(
                        "noCache not a boolean",
                        body(repo, "\"platforms\": [\"amd64\"], \"noCache\": \"yes\""),
                        "property 'noCache'"),
                Arguments.of(
                        "escaping context",
                        body(repo, "\"platforms\": [\"amd64\"], \"context\": \"src/../../x\""),
                        "context 'src/../../x'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void refusesAnInvalidRequestNamingTheValue(String what, String body, String expectedInDetail) {
        long before = outboxRows();
        Answer answer = api.post("/api/v1/builds", body);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.problemDetail()).contains(expectedInDetail);
        assertThat(outboxRows()).isEqualTo(before);
    }

    /** Issue 11: an image's registry follows the host rule; 127.0.0.1:5000 is allowed in every portal test. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            169.254.169.254/demo/hello     | host 169.254.169.254 is a cloud metadata address
            10.0.0.1:5000/demo/hello       | host 10.0.0.1 is a private address
            192.168.1.20/demo/hello        | host 192.168.1.20 is a private address
            169.254.3.4:5000/demo/hello    | host 169.254.3.4 is a link-local address
            [fd00::1]:5000/demo/hello      | host fd00::1 is a private address
            [::1]:5000/demo/hello          | host ::1 is a loopback address
            127.0.0.1:5432/demo/hello      | host 127.0.0.1 is a loopback address
            """)
    void refusesAnImageOnAnInternalRegistryWith400NamingTheHostAndTheSetting(String image, String why) {
        long before = outboxRows();
        Answer answer = api.post("/api/v1/builds", """
                {"repository": "git://127.0.0.1:1/never-contacted.git", "platforms": ["amd64"], "image": "%s"}""".formatted(image));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("field").asString()).isEqualTo("image");
        assertThat(answer.problemDetail())
                .isEqualTo("image '" + image + "' is refused: " + why
                        + "; an operator can allow it with archfarm.registry.allowed-hosts");
        assertThat(outboxRows()).isEqualTo(before);
    }

    @Test
    void acceptsAnImageOnAnAllowedRegistry() {
        Answer answer = api.post("/api/v1/builds", minimalBody(repo.url()));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        assertThat(answer.json().path("image").asString()).isEqualTo("127.0.0.1:5000/demo/hello");
    }

    @Test
    void namesEveryWrongFieldAtOnce() {
        Answer answer = api.post("/api/v1/builds", """
                {"repository": "ftp://x/y", "platforms": ["linux/sparc"], "image": "a:b"}""");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(texts(answer.json().path("errors"), "field")).containsExactly("repository", "platforms", "image");
    }

    @Test
    void refusesABodyOverTheLimitByItsContentLength() {
        Answer answer = api.post("/api/v1/builds", oversizedBody());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
        assertThat(answer.problemDetail()).contains("65536");
    }

    @Test
    void refusesAChunkedBodyOverTheLimit() {
        Answer answer = api.postChunked("/api/v1/builds", oversizedBody().getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
        assertThat(answer.problemDetail()).contains("65536");
    }

    @Test
    void answersUnknownAndMalformedBuildIds() {
        UUID unknown = UUID.randomUUID();
        Answer missing = api.get("/api/v1/builds/" + unknown);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.problemDetail()).contains(unknown.toString());

        Answer malformed = api.get("/api/v1/builds/not-a-uuid");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.problemDetail()).contains("'not-a-uuid'");
    }

    @Test
    void listsBuildsNewestFirstAndFiltersByStatus() {
        String older = submit(minimalBody(repo.url())).json().path("id").asString();
        String newer = submit(minimalBody(repo.url())).json().path("id").asString();
        setStatus(older, "FAILED");

        List<String> all = texts(api.get("/api/v1/builds?limit=500").json(), "id");
        assertThat(all.indexOf(newer)).isLessThan(all.indexOf(older));
        assertThat(texts(api.get("/api/v1/builds?status=failed").json(), "id"))
                .contains(older)
                .doesNotContain(newer);
        assertThat(api.get("/api/v1/builds?limit=1").json()).hasSize(1);
    }

    @Test
    void refusesUnknownStatusesAndLimitsOutOfRange() {
        Answer status = api.get("/api/v1/builds?status=BAKING");
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.problemDetail()).contains("'BAKING'");
        for (String limit : List.of("0", "501", "many")) {
            Answer answer = api.get("/api/v1/builds?limit=" + limit);
            assertThat(answer.status()).as(limit).isEqualTo(400);
            assertThat(answer.problemDetail()).contains(limit);
        }
    }

    @Test
    void cancelsOnceAndAnnouncesItOnce() {
        String id = submit(minimalBody(repo.url())).json().path("id").asString();

        Answer first = api.post("/api/v1/builds/" + id + "/cancel", "");
        Answer second = api.post("/api/v1/builds/" + id + "/cancel", "");

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(first.json().path("id").asString()).isEqualTo(id);
        List<Map<String, Object>> rows = jdbc.sql("""
                        select routing_key, message_type from outbox
                        where payload->>'buildId' = :id and message_type = :type""")
                .param("id", id)
                .param("type", BuildCancelRequested.class.getName())
                .query()
                .listOfRows();
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().get("routing_key")).isEqualTo("build.cancel-requested");
        assertThat(jdbc.sql("select cancel_requested_at is not null from builds where id = :id")
                        .param("id", UUID.fromString(id))
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void refusesToCancelABuildThatAlreadyEnded() {
        String id = submit(minimalBody(repo.url())).json().path("id").asString();
        setStatus(id, "SUCCEEDED");

        Answer answer = api.post("/api/v1/builds/" + id + "/cancel", "");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.problemDetail()).contains("SUCCEEDED");

        Answer unknown = api.post("/api/v1/builds/" + UUID.randomUUID() + "/cancel", "");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void showsPlatformJobsLogsAndTheManifestListTheSchedulerRecorded() {
        String id = submit(body(repo.url(), "\"platforms\": [\"linux/amd64\", \"linux/arm64\"]"))
                .json()
                .path("id")
                .asString();
        UUID buildId = UUID.fromString(id);
        UUID armJob = insertJob(buildId, "linux/arm64", "SUCCEEDED", 2, "w-2", "EMULATED", "sha256:" + "b".repeat(64));
        insertJob(buildId, "linux/amd64", "RUNNING", 1, "w-1", "NATIVE", null);
        insertAttempt(armJob, 1, "w-1", "NATIVE");
        insertAttempt(armJob, 2, "w-2", "EMULATED");
        insertLog(armJob, 1, 0, "STEP 1/2: FROM scratch\n");
        insertLog(armJob, 2, 1, "pushed\n");
        insertLog(armJob, 2, 0, "STEP 1/2: FROM scratch\n");
        insertManifestList(buildId);
        jdbc.sql("update platform_jobs set isolation = 'netns, egress outside', affinity = 'MISS',"
                        + " affinity_worker = 'w-1' where id = :id")
                .param("id", armJob)
                .update();
        jdbc.sql("""
                update platform_jobs set phases = '{"queueWait": 12, "claim": 3, "fetch": 41, "pull": 0,
                    "build": 900, "push": 77, "merge": 5, "cacheHits": 2}' where id = :id""").param("id", armJob).update();

        JsonNode build = api.get("/api/v1/builds/" + id).json();
        JsonNode arm = build.path("platforms").get(1);
        assertThat(arm.path("platform").asString()).isEqualTo("linux/arm64");
        assertThat(arm.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(arm.path("mode").asString()).isEqualTo("EMULATED");
        assertThat(arm.path("worker").asString()).isEqualTo("w-2");
        assertThat(arm.path("attempt").asInt()).isEqualTo(2);
        assertThat(arm.path("isolation").asString()).isEqualTo("netns, egress outside");
        assertThat(build.path("platforms").get(0).path("isolation").isNull())
                .as("not ended yet")
                .isTrue();
        assertThat(arm.path("affinity").asString())
                .as("claimed by another than its preferred worker")
                .isEqualTo("MISS");
        assertThat(arm.path("preferredWorker").asString()).isEqualTo("w-1");
        JsonNode phases = arm.path("phases");
        assertThat(List.of("queueWait", "claim", "fetch", "pull", "build", "push", "merge").stream()
                        .map(name -> name + "=" + phases.path(name).asLong())
                        .toList())
                .as("the phases in ms, a key the portal does not know left out")
                .containsExactly("queueWait=12", "claim=3", "fetch=41", "pull=0", "build=900", "push=77", "merge=5");
        assertThat(phases.has("cacheHits")).isFalse();
        assertThat(build.path("platforms").get(0).path("phases").isNull())
                .as("not ended yet")
                .isTrue();
        assertThat(build.path("manifestList").path("digest").asString()).isEqualTo("sha256:" + "c".repeat(64));
        assertThat(texts(build.path("manifestList").path("entries"), "platform"))
                .containsExactly("linux/arm64");

        Answer log = api.get("/api/v1/builds/" + id + "/logs?platform=aarch64");
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.contentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(log.body()).isEqualTo("""
                === attempt 1 on worker w-1 (NATIVE) ===
                STEP 1/2: FROM scratch
                === attempt 2 on worker w-2 (EMULATED) ===
                STEP 1/2: FROM scratch
                pushed
                """);

        Answer otherPlatform = api.get("/api/v1/builds/" + id + "/logs?platform=linux/s390x");
        assertThat(otherPlatform.status()).isEqualTo(404);
        assertThat(otherPlatform.problemDetail()).contains("linux/s390x");
        Answer asPlainText = api.get("/api/v1/builds/" + id + "/logs?platform=linux/s390x", "text/plain");
        assertThat(asPlainText.status()).as(asPlainText.toString()).isEqualTo(404);
        Answer unknownBuild = api.get("/api/v1/builds/" + UUID.randomUUID() + "/logs?platform=linux/amd64");
        assertThat(unknownBuild.status()).isEqualTo(404);
        assertThat(unknownBuild.problemDetail()).contains("does not exist");
        Answer unknownPlatform = api.get("/api/v1/builds/" + id + "/logs?platform=sparc");
        assertThat(unknownPlatform.status()).isEqualTo(400);
        assertThat(unknownPlatform.problemDetail()).contains("'sparc'");
        Answer noPlatform = api.get("/api/v1/builds/" + id + "/logs");
        assertThat(noPlatform.status()).isEqualTo(400);
        assertThat(noPlatform.problemDetail()).contains("linux/amd64").contains("linux/arm64");
    }

    @Test
    void aSinglePlatformBuildNeedsNoPlatformForItsLog() {
        String id = submit(minimalBody(repo.url())).json().path("id").asString();
        UUID job = insertJob(UUID.fromString(id), "linux/amd64", "RUNNING", 1, "w-1", "NATIVE", null);
        insertAttempt(job, 1, "w-1", "NATIVE");
        insertLog(job, 1, 0, "building");

        Answer log = api.get("/api/v1/builds/" + id + "/logs");
        assertThat(log.status()).isEqualTo(200);
        assertThat(log.body()).isEqualTo("=== attempt 1 on worker w-1 (NATIVE) ===\nbuilding");
    }

    @Test
    void listsTheFleet() {
        jdbc.sql("""
                        insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status,
                                             first_seen, last_seen, storage_driver)
                        values ('w-fleet', 'host-a', '["linux/amd64"]', '["linux/arm64","linux/s390x"]', 2, 1,
                                'ONLINE', now(), now(), 'overlay'),
                               ('w-fleet-old', 'host-b', '["linux/amd64"]', '[]', 1, 0, 'ONLINE', now(), now(),
                                null)""").update();

        JsonNode workers = api.get("/api/v1/workers").json();
        JsonNode worker = Stream.of(toArray(workers))
                .filter(w -> w.path("id").asString().equals("w-fleet"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("w-fleet missing from " + workers));
        assertThat(worker.path("host").asString()).isEqualTo("host-a");
        assertThat(texts(worker.path("emulatedPlatforms"))).containsExactly("linux/arm64", "linux/s390x");
        assertThat(worker.path("slots").asInt()).isEqualTo(2);
        assertThat(worker.path("busy").asInt()).isEqualTo(1);
        assertThat(worker.path("status").asString()).isEqualTo("ONLINE");
        assertThat(worker.path("lastSeen").asString()).isNotBlank();
        assertThat(worker.path("storageDriver").asString()).isEqualTo("overlay");
        JsonNode old = Stream.of(toArray(workers))
                .filter(w -> w.path("id").asString().equals("w-fleet-old"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("w-fleet-old missing from " + workers));
        assertThat(old.path("storageDriver").isNull())
                .as("a worker that did not say its driver: %s", old)
                .isTrue();
    }

    @Test
    void exposesHealth() {
        Answer health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void pagesListBuildsAndShowOneWithEverythingEscaped() {
        String id = submit(body(repo.url(), "\"platforms\": [\"linux/amd64\", \"linux/s390x\"]"))
                .json()
                .path("id")
                .asString();
        jdbc.sql("update builds set status = 'FAILED', error = '<script>alert(1)</script>' where id = :id")
                .param("id", UUID.fromString(id))
                .update();

        PortalApi browser = new PortalApi(port);
        assertThat(browser.get("/").status())
                .as("a page without signing in sends to the sign-in form")
                .isEqualTo(302);
        browser.signIn(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);
        Answer list = browser.get("/builds?all=1");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.contentType()).startsWith("text/html");
        assertThat(list.body()).contains("/builds/" + id).contains("linux/s390x QUEUED");

        Answer page = browser.get("/builds/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("Started by")
                .contains("<dd>admin</dd>")
                .contains("Platform jobs")
                .contains(repo.revParse("HEAD"))
                .contains("linux/s390x")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert(1)");

        Answer missing = browser.get("/builds/" + UUID.randomUUID());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("404 Not Found").contains("does not exist");
        assertThat(browser.get("/builds/not-a-build").status()).isEqualTo(404);
    }

    // --- helpers ---

    private Answer submit(String body) {
        Answer answer = api.post("/api/v1/builds", body);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        return answer;
    }

    private String commitFor(String ref) {
        return submit(bodyWithRef(ref)).json().path("commit").asString();
    }

    private String bodyWithRef(String ref) {
        return body(repo.url(), "\"platforms\": [\"amd64\"], \"ref\": \"" + ref + "\"");
    }

    static String minimalBody(String repository) {
        return body(repository, "\"platforms\": [\"linux/amd64\"]");
    }

    static String body(String repository, String more) {
        return "{\"repository\": \"" + repository + "\", \"image\": \"127.0.0.1:5000/demo/hello\""
                + (more.isEmpty() ? "" : ", " + more) + "}";
    }

    private static String oversizedBody() {
        return body(
                "git://127.0.0.1:1/x.git",
                "\"platforms\": [\"amd64\"], \"buildArgs\": {\"BIG\": \"" + "x".repeat(100_000) + "\"}");
    }

    private long outboxRows() {
        return jdbc.sql("select count(*) from outbox").query(Long.class).single();
    }

    private void setStatus(String id, String status) {
        jdbc.sql("update builds set status = :status where id = :id")
                .param("status", status)
                .param("id", UUID.fromString(id))
                .update();
    }

    private UUID insertJob(
            UUID buildId, String platform, String status, int attempt, String worker, String mode, String digest) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into platform_jobs (id, build_id, platform, placement, status, attempt, max_attempts,
                                                   mode, worker_id, digest, queued_at, started_at)
                        values (:id, :build, :platform, 'NATIVE_PREFERRED', :status, :attempt, 3, :mode, :worker,
                                :digest, now(), now())""")
                .param("id", id)
                .param("build", buildId)
                .param("platform", platform)
                .param("status", status)
                .param("attempt", attempt)
                .param("mode", mode)
                .param("worker", worker)
                .param("digest", digest)
                .update();
        return id;
    }

    private void insertAttempt(UUID job, int attempt, String worker, String mode) {
        jdbc.sql("""
                        insert into job_attempts (job_id, attempt, worker_id, mode, started_at)
                        values (:job, :attempt, :worker, :mode, :at)""")
                .param("job", job)
                .param("attempt", attempt)
                .param("worker", worker)
                .param("mode", mode)
                .param("at", OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC))
                .update();
    }

    private void insertLog(UUID job, int attempt, long seq, String content) {
        jdbc.sql("insert into job_logs (job_id, attempt, seq, content) values (:job, :attempt, :seq, :content)")
                .param("job", job)
                .param("attempt", attempt)
                .param("seq", seq)
                .param("content", content)
                .update();
    }

    private void insertManifestList(UUID buildId) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into manifest_lists (id, build_id, digest, media_type, size, tags, content, created_at)
                        values (:id, :build, :digest, 'application/vnd.oci.image.index.v1+json', 321, '["latest"]',
                                '{}', now())""")
                .param("id", id)
                .param("build", buildId)
                .param("digest", "sha256:" + "c".repeat(64))
                .update();
        jdbc.sql("""
                        insert into manifest_list_entries (manifest_list_id, platform, digest, size, media_type)
                        values (:id, 'linux/arm64', :digest, 1234, 'application/vnd.oci.image.manifest.v1+json')""")
                .param("id", id)
                .param("digest", "sha256:" + "b".repeat(64))
                .update();
    }

    private static List<String> texts(JsonNode array, String field) {
        return Arrays.stream(toArray(array)).map(n -> n.path(field).asString()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return Arrays.stream(toArray(array)).map(JsonNode::asString).toList();
    }

    private static JsonNode[] toArray(JsonNode array) {
        if (!array.isArray()) {
            throw new AssertionError("expected a JSON array, got " + array);
        }
        JsonNode[] nodes = new JsonNode[array.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = array.get(i);
        }
        return nodes;
    }
}
