package io.archfarm.portal.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.archfarm.portal.projects.TagTemplates.Context;
import io.archfarm.portal.projects.TagTemplates.RefKind;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagTemplatesTest {

    private static final String SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
    private static final List<String> TEMPLATES = List.of("{branch}", "{tag}", "sha-{sha:7}", "latest", "b{build}");
    private static final Context MAIN = new Context(RefKind.BRANCH, "main", SHA, 12, true);

    @Test
    void rendersEveryPlaceholderForABuildOfTheDefaultBranch() {
        assertThat(TagTemplates.render(
                        List.of("{branch}", "{sha}", "sha-{sha:7}", "{sha:40}", "b{build}", "latest"), MAIN))
                .containsExactly("main", SHA, "sha-0d1a26e", "b12", "latest");
    }

    @Test
    void givesLatestOnlyToTheDefaultBranch() {
        assertThat(TagTemplates.render(TEMPLATES, new Context(RefKind.BRANCH, "develop", SHA, 3, false)))
                .containsExactly("develop", "sha-0d1a26e", "b3");
        assertThat(TagTemplates.render(List.of("latest"), new Context(RefKind.TAG, "main", SHA, 3, true)))
                .as("a tag is never the default branch, whatever the flag says")
                .isEmpty();
    }

    @Test
    void skipsBranchTemplatesOnTagBuildsAndTagTemplatesOnBranchBuilds() {
        assertThat(TagTemplates.render(TEMPLATES, new Context(RefKind.TAG, "v1.2.0", SHA, 4, false)))
                .containsExactly("v1.2.0", "sha-0d1a26e", "b4");
        assertThat(TagTemplates.render(List.of("{tag}-{branch}"), MAIN)).isEmpty();
    }

    @Test
    void rendersOnlyCommitAndBuildTemplatesForABareCommit() {
        assertThat(TagTemplates.render(TEMPLATES, new Context(null, null, SHA, 5, false)))
                .containsExactly("sha-0d1a26e", "b5");
    }

    @Test
    void keepsTemplateOrderAndDropsDuplicates() {
        assertThat(TagTemplates.render(List.of("b{build}", "{branch}", "main", "{sha:7}", "{sha:7}", "latest"), MAIN))
                .containsExactly("b12", "main", "0d1a26e", "latest");
    }

    @Test
    void makesValidOciTagsOfRefNames() {
        assertThat(TagTemplates.render(
                        List.of("{branch}"), new Context(RefKind.BRANCH, "feature/login", SHA, 1, false)))
                .containsExactly("feature-login");
        assertThat(TagTemplates.render(
                        List.of("{branch}"), new Context(RefKind.BRANCH, "fix+ünïcode@x", SHA, 1, false)))
                .containsExactly("fix--n-code-x");
        assertThat(TagTemplates.render(List.of("{tag}"), new Context(RefKind.TAG, ".hidden", SHA, 1, false)))
                .containsExactly("_hidden");
        assertThat(TagTemplates.render(List.of("{branch}"), new Context(RefKind.BRANCH, "-dash", SHA, 1, false)))
                .containsExactly("_dash");
        assertThat(TagTemplates.render(List.of("{branch}"), new Context(RefKind.BRANCH, "_under", SHA, 1, false)))
                .containsExactly("_under");
    }

    @Test
    void cutsTagsAt128Characters() {
        String longBranch = "a/".repeat(100);
        List<String> tags =
                TagTemplates.render(List.of("{branch}-{sha}"), new Context(RefKind.BRANCH, longBranch, SHA, 1, false));
        assertThat(tags)
                .singleElement()
                .satisfies(tag -> assertThat(tag).hasSize(128).matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"));
    }

    @Test
    void refusesToRenderAnInvalidTemplate() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TagTemplates.render(List.of("{brnch}"), MAIN))
                .withMessageContaining("unknown placeholder {brnch}");
    }

    @Test
    void acceptsUsualTemplates() {
        assertThat(TagTemplates.validate(List.of(
                        "{branch}",
                        "{tag}",
                        "{sha}",
                        "{sha:7}",
                        "{sha:1}",
                        "{sha:40}",
                        "{build}",
                        "latest",
                        "v{tag}-{sha:12}",
                        "release_1.0-rc")))
                .isEmpty();
        assertThat(TagTemplates.validate(List.of())).isEmpty();
        assertThat(TagTemplates.validate(null)).isEmpty();
    }

    @Test
    void namesAnUnknownPlaceholderAndTheKnownOnes() {
        assertThat(TagTemplates.validate(List.of("{brnch}")))
                .containsExactly(
                        "tag template '{brnch}' has an unknown "
                                + "placeholder {brnch}; known are {branch}, {tag}, {sha}, {sha:N} (N from 1 to 40) and {build}");
        assertThat(TagTemplates.validate(List.of("{}", "{sha:}", "{SHA}", "{sha:x}")))
                .hasSize(4)
                .allSatisfy(m -> assertThat(m).contains("unknown placeholder"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{branch", "branch}", "{{branch}}", "v{sha:7", "}{", "{sha:{build}}"})
    void refusesUnbalancedBraces(String template) {
        assertThat(TagTemplates.validate(List.of(template)))
                .anySatisfy(m -> assertThat(m).contains("tag template '" + template + "' has unbalanced braces"));
    }

    @Test
    void refusesShaLengthsOutside1To40() {
        assertThat(TagTemplates.validate(List.of("{sha:0}")))
                .containsExactly("tag template '{sha:0}' asks for 0 "
                        + "characters of the commit id; {sha:N} takes N from 1 to 40");
        assertThat(TagTemplates.validate(List.of("{sha:41}")))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("asks for 41 characters"));
        assertThat(TagTemplates.validate(List.of("{sha:999999999}"))).hasSize(1);
    }

    @Test
    void refusesEmptyTemplates() {
        assertThat(TagTemplates.validate(Collections.singletonList(null)))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("must not be empty"));
        assertThat(TagTemplates.validate(List.of("", "  "))).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v 1", "v1/{sha:7}", "{branch}:x", "a+b", "é"})
    void refusesLiteralsAnImageTagCannotHold(String template) {
        assertThat(TagTemplates.validate(List.of(template)))
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .startsWith("tag template '" + template + "' contains '")
                        .contains("which an image tag cannot hold"));
    }

    @Test
    void refusesALiteralLongerThanATag() {
        assertThat(TagTemplates.validate(List.of("x".repeat(129))))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("longer than a tag may be (128 characters)"));
        assertThat(TagTemplates.validate(List.of("x".repeat(128)))).isEmpty();
    }

    @Test
    void allowsAtMost20Templates() {
        List<String> twenty = IntStream.range(0, 20).mapToObj(i -> "t" + i).toList();
        assertThat(TagTemplates.validate(twenty)).isEmpty();
        List<String> more = IntStream.range(0, 21).mapToObj(i -> "t" + i).toList();
        assertThat(TagTemplates.validate(more)).containsExactly("at most 20 tag templates, not 21");
    }

    @Test
    void contextTiesARefNameToItsKind() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Context(null, "main", SHA, 1, false));
        assertThatIllegalArgumentException().isThrownBy(() -> new Context(RefKind.TAG, null, SHA, 1, false));
    }
}
