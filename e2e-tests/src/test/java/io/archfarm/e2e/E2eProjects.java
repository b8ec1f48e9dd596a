package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A team's projects through the portal's API, as the e2e tests and the fleet benchmark set them up and build them. */
final class E2eProjects {

    private final Farm farm;
    private final String team;

    E2eProjects(Farm farm, String team) {
        this.farm = farm;
        this.team = team;
    }

    /** Serves {@code files} from the farm's git daemon as a project building {@code platforms} into {@code image}. */
    void create(String slug, Map<String, String> files, List<String> platforms, String image) {
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("slug", slug);
        project.put("repository", farm.git().createRepository(slug, files));
        project.put("platforms", platforms);
        project.put("image", image);
        project.put("tagTemplates", List.of("latest"));
        farm.portal().created("/api/v1/teams/" + team + "/projects", project);
    }

    /** The project's robot account for its image's registry, user {@code robot}. */
    void setRobotCredential(String slug, String password) {
        PortalClient.Answer answer = farm.portal()
                .put(
                        "/api/v1/projects/" + team + "/" + slug + "/registry-credential",
                        Map.of("username", "robot", "password", password));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    /** Starts a build of the project's default branch and returns its id. */
    String startBuild(String slug) {
        PortalClient.Answer answer = farm.portal().post("/api/v1/projects/" + team + "/" + slug + "/builds", Map.of());
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        return answer.json().path("id").asString();
    }
}
