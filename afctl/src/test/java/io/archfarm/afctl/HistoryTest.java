package io.archfarm.afctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.afctl.api.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code afctl builds}: filters as the API names them, pages followed with --all, one JSON array for scripts. */
class HistoryTest extends AgainstFakeFarm {

    private static String build(String id, String status) {
        return "{\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"team\":\"web\",\"project\":\"site\","
                + "\"number\":7,\"ref\":\"main\",\"commit\":\"0d1a26e67d8f\",\"createdAt\":\"2025-06-01T12:00:00Z\","
                + "\"startedAt\":\"2025-06-01T12:00:01Z\",\"finishedAt\":\"2025-06-01T12:00:43Z\",\"platforms\":["
                + "{\"platform\":\"linux/amd64\",\"status\":\"SUCCEEDED\",\"attempt\":1},"
                + "{\"platform\":\"linux/arm64\",\"status\":\"FAILED\",\"attempt\":1}]}";
    }

    @Test
    void allFollowsTheNextLinksToTheLastPage() {
        farm.on(
                "GET /api/v1/builds?status=FAILED&limit=2",
                new FakeFarm.Answer(
                        200,
                        "application/json",
                        "[" + build("aaaaaaaa-0000-0000-0000-000000000001", "FAILED") + ","
                                + build("aaaaaaaa-0000-0000-0000-000000000002", "FAILED") + "]",
                        Map.of("Link", "</api/v1/builds?status=FAILED&limit=2&cursor=p2>; rel=\"next\"")));
        farm.on(
                "GET /api/v1/builds?status=FAILED&limit=2&cursor=p2",
                FakeFarm.Answer.json("[" + build("aaaaaaaa-0000-0000-0000-000000000003", "FAILED") + "]"));

        Run.Result result = afctl("builds", "--status", "FAILED", "--limit", "2", "--all", "-o", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode builds = Json.parse(result.out());
        assertThat(builds.isArray()).isTrue();
        assertThat(builds.valueStream().map(b -> b.path("id").asString()))
                .containsExactly(
                        "aaaaaaaa-0000-0000-0000-000000000001",
                        "aaaaaaaa-0000-0000-0000-000000000002",
                        "aaaaaaaa-0000-0000-0000-000000000003");
    }

    @Test
    void withoutAllOnlyTheFirstPageIsShownAsATable() {
        farm.on(
                "GET /api/v1/builds?project=web%2Fsite&ref=main&limit=1",
                new FakeFarm.Answer(
                        200,
                        "application/json",
                        "[" + build("bbbbbbbb-0000-0000-0000-000000000001", "PARTIAL") + "]",
                        Map.of("Link", "</api/v1/builds?cursor=p2>; rel=\"next\"")));

        Run.Result result = afctl("builds", "--project", "web/site", "--ref", "main", "-n", "1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                ID        BUILD        REF   COMMIT   STATUS   PLATFORMS     CREATED  DURATION
                bbbbbbbb  #7 web/site  main  0d1a26e  PARTIAL  amd64 arm64!  1m ago   0:43
                """);
        assertThat(farm.requests()).hasSize(1);
    }

    @Test
    void aBuildIsFoundByTheStartOfItsId() {
        farm.on(
                "GET /api/v1/builds?limit=500",
                FakeFarm.Answer.json("[" + build("cccccccc-1111-0000-0000-000000000001", "SUCCEEDED") + ","
                        + build("cccccccc-2222-0000-0000-000000000002", "SUCCEEDED") + "]"));
        farm.on(
                "POST /api/v1/builds/cccccccc-2222-0000-0000-000000000002/cancel",
                FakeFarm.Answer.json(build("cccccccc-2222-0000-0000-000000000002", "RUNNING")));

        assertThat(afctl("cancel", "cccccccc-2222").exitCode()).isZero();

        Run.Result ambiguous = afctl("cancel", "cccccccc");
        assertThat(ambiguous.exitCode()).isEqualTo(2);
        assertThat(ambiguous.err()).contains("cccccccc starts the ids of several builds");
    }
}
