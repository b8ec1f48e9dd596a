package io.archfarm.portal.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RefFiltersTest {

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            main          | main              | true
            main          | main2             | false
            main          | feature/main      | false
            v*            | v1.2.0            | true
            v*            | v                 | true
            v*            | v1/x              | false
            v*            | release-v1        | false
            release/*     | release/1.0       | true
            release/*     | release/1.0/hotfix| false
            release/**    | release/1.0       | true
            release/**    | release/1.0/hotfix| true
            release/**    | release           | false
            **            | any/deep/name     | true
            feature/**/ui | feature/a/b/ui    | true
            v?.?          | v1.2              | true
            v?.?          | v1.22             | false
            v?            | v/                | false
            a.b           | axb               | false
            (x)+          | (x)+              | true
            """)
    void matchesGlobs(String glob, String name, boolean matches) {
        assertThat(RefFilters.matches(List.of(glob), name)).isEqualTo(matches);
    }

    @Test
    void excludesWhatANegativePatternMatchesWhateverTheOrder() {
        List<String> filters = List.of("*", "!wip-*");
        assertThat(RefFilters.matches(filters, "main")).isTrue();
        assertThat(RefFilters.matches(filters, "wip-login")).isFalse();
        assertThat(RefFilters.matches(List.of("!wip-*", "*"), "wip-login")).isFalse();
        assertThat(RefFilters.matches(List.of("release/**", "!release/**/draft"), "release/1.0/draft"))
                .isFalse();
        assertThat(RefFilters.matches(List.of("release/**", "!release/**/draft"), "release/1.0"))
                .isTrue();
    }

    @Test
    void needsAPositivePattern() {
        assertThat(RefFilters.matches(List.of(), "main")).isFalse();
        assertThat(RefFilters.matches(null, "main")).isFalse();
        assertThat(RefFilters.matches(List.of("!wip-*"), "main"))
                .as("only exclusions let nothing through")
                .isFalse();
    }

    @Test
    void acceptsUsualFilters() {
        assertThat(RefFilters.validate(List.of("main", "release/**", "v*", "!wip-*")))
                .isEmpty();
        assertThat(RefFilters.validate(List.of())).isEmpty();
        assertThat(RefFilters.validate(null)).isEmpty();
    }

    @Test
    void refusesEmptyPatterns() {
        assertThat(RefFilters.validate(Arrays.asList("main", "", "!", " ", null)))
                .containsExactly(
                        "ref filter #2 is empty; write a glob such as main, release/** or !wip-*",
                        "ref filter #3 is empty; write a glob such as main, release/** or !wip-*",
                        "ref filter #4 is empty; write a glob such as main, release/** or !wip-*",
                        "ref filter #5 is empty; write a glob such as main, release/** or !wip-*");
    }

    @Test
    void refusesWhitespaceInsideAPattern() {
        assertThat(RefFilters.validate(List.of("feature x")))
                .containsExactly("ref filter 'feature x' contains "
                        + "whitespace or control characters, which no git ref name has");
    }

    @Test
    void allowsAtMost50Patterns() {
        assertThat(RefFilters.validate(
                        IntStream.range(0, 50).mapToObj(i -> "b" + i).toList()))
                .isEmpty();
        assertThat(RefFilters.validate(
                        IntStream.range(0, 51).mapToObj(i -> "b" + i).toList()))
                .containsExactly("at most 50 ref filters, not 51");
    }
}
