package io.archfarm.scheduler.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChallengeTest {

    private static final Map<String, String> DISTRIBUTION = Map.of(
            "realm", "https://auth.example/token",
            "service", "registry.example",
            "scope", "repository:team/app:pull");

    @Test
    void readsTheBearerChallengeOfTheDistributionRegistry() {
        List<Challenge> challenges = Challenge.parse("Bearer realm=\"https://auth.example/token\","
                + "service=\"registry.example\",scope=\"repository:team/app:pull\"");

        assertThat(challenges).containsExactly(new Challenge("Bearer", DISTRIBUTION));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer scope=\"repository:team/app:pull\",realm=\"https://auth.example/token\",service=\"registry.example\"",
                "Bearer service=\"registry.example\", scope=\"repository:team/app:pull\", realm=\"https://auth.example/token\"",
                "Bearer  realm = \"https://auth.example/token\" ,\tservice=\"registry.example\" , "
                        + "scope =\"repository:team/app:pull\"",
                "bearer Realm=\"https://auth.example/token\",SERVICE=\"registry.example\",Scope=\"repository:team/app:pull\""
            })
    void readsTheParametersInAnyOrderSpacingAndCase(String header) {
        List<Challenge> challenges = Challenge.parse(header);

        assertThat(challenges).singleElement().satisfies(challenge -> {
            assertThat(challenge.is("Bearer")).isTrue();
            assertThat(challenge.parameters()).isEqualTo(DISTRIBUTION);
            assertThat(challenge.parameter("Realm")).contains("https://auth.example/token");
        });
    }

    @Test
    void aCommaInsideAQuotedValueBelongsToTheValue() {
        Challenge challenge = Challenge.parse("Bearer realm=\"https://auth.example/token\","
                        + "scope=\"repository:team/app:pull,push\",service=\"registry.example\"")
                .getFirst();

        assertThat(challenge.parameter("scope")).contains("repository:team/app:pull,push");
        assertThat(challenge.parameter("service")).contains("registry.example");
    }

    @Test
    void anEscapedQuoteIsPartOfTheValue() {
        Challenge challenge = Challenge.parse("Basic realm=\"the \\\"team\\\" registry\", charset=\"UTF-8\"")
                .getFirst();

        assertThat(challenge.parameter("realm")).contains("the \"team\" registry");
        assertThat(challenge.parameter("charset")).contains("UTF-8");
    }

    @Test
    void readsEveryChallengeOfOneHeader() {
        List<Challenge> challenges = Challenge.parse("Basic realm=\"x\", Bearer realm=\"y\",service=\"z\"");

        assertThat(challenges)
                .containsExactly(
                        new Challenge("Basic", Map.of("realm", "x")),
                        new Challenge("Bearer", Map.of("realm", "y", "service", "z")));
    }

    @Test
    void readsUnquotedTokenValues() {
        List<Challenge> challenges = Challenge.parse(
                "Bearer realm=\"https://auth.example/token\"," + "service=registry.example, error=insufficient_scope");

        assertThat(challenges).singleElement().satisfies(challenge -> {
            assertThat(challenge.parameter("service")).contains("registry.example");
            assertThat(challenge.parameter("error")).contains("insufficient_scope");
            assertThat(challenge.parameter("realm")).contains("https://auth.example/token");
        });
    }

    @Test
    void aSchemeWithoutParametersIsStillAChallenge() {
        assertThat(Challenge.parse("Basic, Bearer realm=\"y\""))
                .containsExactly(new Challenge("Basic", Map.of()), new Challenge("Bearer", Map.of("realm", "y")));
    }

    @Test
    void aMissingParameterIsEmpty() {
        assertThat(Challenge.parse("Bearer realm=\"y\"").getFirst().parameter("service"))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ", ,", "=\"x\"", "\"Bearer\"", "(garbage)", ";;;"})
    void anEmptyOrGarbageHeaderHasNoChallenge(String header) {
        assertThat(Challenge.parse(header)).isEmpty();
    }

    @Test
    void noHeaderHasNoChallenge() {
        assertThat(Challenge.parse(null)).isEmpty();
    }
}
