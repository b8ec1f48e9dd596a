package io.archfarm.afctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.afctl.api.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code afctl build}'s podman-like flags as the build request the API takes. */
class BuildRequestTest extends AgainstFakeFarm {

    private static final String ACCEPTED = "{\"id\":\"dddddddd-0000-0000-0000-000000000001\",\"status\":\"QUEUED\","
            + "\"team\":\"web\",\"project\":\"site\",\"number\":8,\"platforms\":[{\"platform\":\"linux/amd64\","
            + "\"status\":\"QUEUED\",\"attempt\":0},{\"platform\":\"linux/arm64\",\"status\":\"QUEUED\",\"attempt\":0}]}";

    BuildRequestTest() {
        farm.on("POST /api/v1/builds", FakeFarm.Answer.json(ACCEPTED))
                .on("POST /api/v1/projects/web/site/builds", FakeFarm.Answer.json(ACCEPTED));
    }

    @Test
    void aRepositoryBuildSendsEveryFlagAsItsField() {
        Run.Result result = afctl(
                "build",
                "--platform",
                "linux/amd64,linux/arm64",
                "--platform",
                "s390x",
                "-t",
                "reg:5000/web/site:1.0",
                "--tag",
                "reg:5000/web/site",
                "-f",
                "build/Containerfile",
                "--context",
                "build",
                "--build-arg",
                "GREETING=hi there",
                "--build-arg",
                "X=a=b",
                "--placement",
                "native-only",
                "--placement",
                "linux/s390x=any",
                "--publish",
                "partial",
                "--no-cache",
                "--team",
                "web",
                "git://h/site.git",
                "v1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .startsWith("Build dddddddd-0000-0000-0000-000000000001 accepted: #8 web/site QUEUED "
                        + "(linux/amd64, linux/arm64)");
        JsonNode request = Json.parse(farm.requests().getLast().body());
        assertThat(request).isEqualTo(Json.parse("""
                {"team": "web", "repository": "git://h/site.git", "ref": "v1",
                 "containerfile": "build/Containerfile", "context": "build",
                 "platforms": ["linux/amd64", "linux/arm64", "s390x"],
                 "image": "reg:5000/web/site", "tags": ["1.0", "latest"],
                 "buildArgs": {"GREETING": "hi there", "X": "a=b"},
                 "placement": "native-only", "platformPlacement": {"linux/s390x": "any"},
                 "publish": "partial", "noCache": true}"""));
    }

    @Test
    void aProjectBuildSendsOnlyWhatItMayChange() {
        Run.Result result = afctl("build", "--project", "web/site", "--tag", "rc1", "-q", "release/1.0");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("dddddddd-0000-0000-0000-000000000001\n");
        assertThat(Json.parse(farm.requests().getLast().body()))
                .isEqualTo(Json.parse("{\"ref\": \"release/1.0\", \"tags\": [\"rc1\"]}"));
    }

    @Test
    void jsonIsTheAcceptedBuildAsTheApiAnswered() {
        Run.Result result = afctl("build", "--project", "web/site", "-o", "json");

        assertThat(Json.parse(result.out())).isEqualTo(Json.parse(ACCEPTED));
        assertThat(farm.requests().getLast().body()).isEqualTo("{}");
    }
}
