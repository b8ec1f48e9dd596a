package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.model.PublishPolicy;
import io.archfarm.portal.git.RepositoryUrlPolicyFactory;
import io.archfarm.portal.problems.ApiProblem;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildRequestValidatorTest {

    /** Every registry name resolves to a public address; 10.0.0.9:5000 is allowed as the farm's own registry. */
    private final BuildRequestValidator validator = new BuildRequestValidator(
            RepositoryUrlPolicyFactory.policy(false),
            new ImageRegistries(
                    List.of("10.0.0.9:5000"),
                    host -> List.of(InetAddress.getByName(RepositoryUrlPolicyFactory.PUBLIC_ADDRESS))));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1:5000/team/app",
                "10.0.0.9:5001/team/app",
                "169.254.169.254/team/app",
                "[fd00::1]:5000/team/app",
                "[::1]/app",
                "172.16.5.4/app"
            })
    void refusesImagesOnInternalRegistriesNamingTheHostAndTheSetting(String image) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, () -> validator.validate(withImage(image)));

        assertThat(problem.properties()).containsEntry("field", "image");
        assertThat(problem.getMessage())
                .startsWith("image '" + image + "' is refused: ")
                .contains("archfarm.registry.allowed-hosts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.9:5000/team/app", "registry.example.com/team/app", "hello", "140.82.121.3/x"})
    void acceptsTheFarmsRegistriesAndPublicOnes(String image) {
        assertThat(validator.validate(withImage(image)).image()).isEqualTo(image);
    }

    @Test
    void fillsInDefaultsAndCanonicalPlatforms() {
        BuildSubmission submission = validator.validate(
                request(List.of("x86_64", "linux/amd64", "aarch64", "linux/arm64/v8", "s390x"), Map.of()));

        assertThat(submission.platforms())
                .containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64, Platform.LINUX_S390X);
        assertThat(submission.ref()).isNull();
        assertThat(submission.containerfile()).isEqualTo("Containerfile");
        assertThat(submission.context()).isEqualTo(".");
        assertThat(submission.tags()).containsExactly("latest");
        assertThat(submission.placement()).isEqualTo(Placement.NATIVE_PREFERRED);
        assertThat(submission.publish()).isEqualTo(PublishPolicy.ALL);
        assertThat(submission.noCache())
                .as("a build uses the cache unless it asks otherwise")
                .isFalse();
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
        BuildSubmission submission =
                validator.validate(request(List.of("amd64"), Map.of("GREETING", "hi", "_x1", "", "lower_Case", "v")));
        assertThat(submission.buildArgs())
                .containsEntry("GREETING", "hi")
                .containsEntry("_x1", "")
                .hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ABC", "A-B", "A B", "", "Ä"})
    void refusesOtherBuildArgNames(String name) {
        ApiProblem problem = catchThrowableOfType(
                ApiProblem.class, () -> validator.validate(request(List.of("amd64"), Map.of(name, "v"))));
        assertThat(problem.getMessage()).contains("build-arg name '" + name + "'");
        assertThat(problem.properties()).containsEntry("field", "buildArgs");
    }

    @Test
    void namesTheUnknownPlatform() {
        ApiProblem problem = catchThrowableOfType(
                ApiProblem.class, () -> validator.validate(request(List.of("linux/amd64", "windows/amd64"), Map.of())));
        assertThat(problem.getMessage()).contains("'windows/amd64'");
    }

    @Test
    void aPlatformMayHaveAPlacementOfItsOwn() {
        BuildSubmission submission = validator.validate(
                request(List.of("linux/amd64", "linux/s390x"), Map.of(), Map.of("s390x", "native-only")));
        assertThat(submission.placement()).isEqualTo(Placement.NATIVE_PREFERRED);
        assertThat(submission.platformPlacement())
                .containsExactly(Map.entry(Platform.LINUX_S390X, Placement.NATIVE_ONLY));
    }

    @Test
    void aPlatformPlacementMustNameARequestedPlatformAndAKnownPlacement() {
        ApiProblem notRequested = catchThrowableOfType(
                ApiProblem.class,
                () -> validator.validate(request(List.of("linux/amd64"), Map.of(), Map.of("linux/arm64", "any"))));
        assertThat(notRequested.getMessage()).contains("'linux/arm64'", "not one of the requested platforms");
        ApiProblem unknown = catchThrowableOfType(
                ApiProblem.class,
                () -> validator.validate(
                        request(List.of("linux/amd64"), Map.of(), Map.of("linux/amd64", "native-first"))));
        assertThat(unknown.getMessage()).contains("'native-first'");
    }

    private static BuildRequestBody withImage(String image) {
        return new BuildRequestBody(
                null,
                "https://git.example.com/team/app.git",
                null,
                null,
                null,
                List.of("linux/amd64"),
                image,
                null,
                Map.of(),
                null,
                null,
                null,
                null);
    }

    private static BuildRequestBody request(List<String> platforms, Map<String, String> buildArgs) {
        return request(platforms, buildArgs, null);
    }

    private static BuildRequestBody request(
            List<String> platforms, Map<String, String> buildArgs, Map<String, String> platformPlacement) {
        return new BuildRequestBody(
                null,
                "https://git.example.com/team/app.git",
                null,
                null,
                null,
                platforms,
                "registry.example.com/team/app",
                null,
                buildArgs,
                null,
                platformPlacement,
                null,
                null);
    }
}
