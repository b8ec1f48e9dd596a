package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.model.PublishPolicy;
import io.archfarm.portal.git.RepositoryUrlPolicyFactory;
import io.archfarm.portal.web.ApiProblem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildRequestValidatorTest {

    private final BuildRequestValidator validator = new BuildRequestValidator(RepositoryUrlPolicyFactory.policy(false));

    @Test
    void fillsInDefaultsAndCanonicalPlatforms() {
        BuildSubmission submission = validator.validate(request(List.of("x86_64", "linux/amd64", "aarch64",
                "linux/arm64/v8", "s390x"), Map.of()));

        assertThat(submission.platforms()).containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64,
                Platform.LINUX_S390X);
        assertThat(submission.ref()).isNull();
        assertThat(submission.containerfile()).isEqualTo("Containerfile");
        assertThat(submission.context()).isEqualTo(".");
        assertThat(submission.tags()).containsExactly("latest");
        assertThat(submission.placement()).isEqualTo(Placement.NATIVE_PREFERRED);
        assertThat(submission.publish()).isEqualTo(PublishPolicy.ALL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Containerfile", "docker/Containerfile.prod", "./a/b", "a/..b/c", "..x"})
    void acceptsRelativePathsInsideTheRepository(String path) {
        assertThat(BuildRequestValidator.pathRefusal("containerfile", path)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "..", "../x", "a/../../b", "a/..", "a\\..\\..\\b", "", " "})
    void refusesPathsThatAreAbsoluteOrLeaveTheRepository(String path) {
        assertThat(BuildRequestValidator.pathRefusal("context", path))
                .hasValueSatisfying(m -> assertThat(m).contains("context '" + path + "'"));
    }

    @Test
    void acceptsBuildArgNamesLikeShellVariables() {
        BuildSubmission submission = validator.validate(request(List.of("amd64"),
                Map.of("GREETING", "hi", "_x1", "", "lower_Case", "v")));
        assertThat(submission.buildArgs()).containsEntry("GREETING", "hi").containsEntry("_x1", "").hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ABC", "A-B", "A B", "", "Ä"})
    void refusesOtherBuildArgNames(String name) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class,
                () -> validator.validate(request(List.of("amd64"), Map.of(name, "v"))));
        assertThat(problem.getMessage()).contains("build-arg name '" + name + "'");
        assertThat(problem.properties()).containsEntry("field", "buildArgs");
    }

    @Test
    void namesTheUnknownPlatform() {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class,
                () -> validator.validate(request(List.of("linux/amd64", "windows/amd64"), Map.of())));
        assertThat(problem.getMessage()).contains("'windows/amd64'");
    }

    @Test
    void aPlatformMayHaveAPlacementOfItsOwn() {
        BuildSubmission submission = validator.validate(request(List.of("linux/amd64", "linux/s390x"), Map.of(),
                Map.of("s390x", "native-only")));
        assertThat(submission.placement()).isEqualTo(Placement.NATIVE_PREFERRED);
        assertThat(submission.platformPlacement()).containsExactly(
                Map.entry(io.archfarm.model.Platform.LINUX_S390X, Placement.NATIVE_ONLY));
    }

    @Test
    void aPlatformPlacementMustNameARequestedPlatformAndAKnownPlacement() {
        ApiProblem notRequested = catchThrowableOfType(ApiProblem.class, () -> validator.validate(
                request(List.of("linux/amd64"), Map.of(), Map.of("linux/arm64", "any"))));
        assertThat(notRequested.getMessage()).contains("'linux/arm64'", "not one of the requested platforms");
        ApiProblem unknown = catchThrowableOfType(ApiProblem.class, () -> validator.validate(
                request(List.of("linux/amd64"), Map.of(), Map.of("linux/amd64", "native-first"))));
        assertThat(unknown.getMessage()).contains("'native-first'");
    }

    private static BuildRequestBody request(List<String> platforms, Map<String, String> buildArgs) {
        return request(platforms, buildArgs, null);
    }

    private static BuildRequestBody request(List<String> platforms, Map<String, String> buildArgs,
            Map<String, String> platformPlacement) {
        return new BuildRequestBody(null, "https://git.example.com/team/app.git", null, null, null, platforms,
                "registry.example.com/team/app", null, buildArgs, null, platformPlacement, null);
    }
}
