package io.archfarm.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/** Follows a build through the portal's API until it ends. */
final class BuildAwait {

    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED");

    private BuildAwait() {}

    static JsonNode untilEnded(PortalClient portal, String buildId, Duration atMost) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await("build " + buildId + " ended")
                .atMost(atMost)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode build = portal.build(buildId);
                    last.set(build);
                    if (!TERMINAL.contains(build.path("status").asString())) {
                        throw new AssertionError("build " + buildId + " is still "
                                + build.path("status").asString() + ": " + build.path("platforms"));
                    }
                });
        return last.get();
    }

    static JsonNode platform(JsonNode build, String platform) {
        for (JsonNode job : build.path("platforms")) {
            if (job.path("platform").asString().equals(platform)) {
                return job;
            }
        }
        throw new AssertionError("build " + build.path("id").asString() + " has no platform " + platform + ": "
                + build.path("platforms"));
    }
}
