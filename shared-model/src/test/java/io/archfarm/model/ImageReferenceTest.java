package io.archfarm.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1:5000/demo/hello",
                "registry.example.com/team/app",
                "localhost/app",
                "localhost:5000/a/b/c",
                "hello",
                "library/hello-world",
                "a/b__c/d.e",
                "my-registry:443/x_y",
                "[::1]:5000/app",
                "Registry.Example/app"
            })
    void acceptsRepositoryReferences(String image) {
        assertThat(ImageReference.refusal(image)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "127.0.0.1:5000/demo/hello:1.0 | must not carry a tag",
                "hello:latest                  | must not carry a tag",
                "hello@sha256:abcd             | must not carry a digest",
                "127.0.0.1:5000/Demo/hello     | path component 'Demo'",
                "demo//hello                   | path component ''",
                "demo/hello/                   | path component ''",
                "demo/-hello                   | path component '-hello'",
                "demo/hello..x                 | path component 'hello..x'",
                "-bad.host/app                 | registry host '-bad.host'",
                "host:port/app                 | registry host 'host:port'"
            })
    void refusesMalformedReferencesNamingThem(String image, String why) {
        assertThat(ImageReference.refusal(image))
                .hasValueSatisfying(message ->
                        assertThat(message).contains("'" + image + "'").contains(why));
    }

    @Test
    void splitsRegistryAndRepositoryAsContainerToolsDo() {
        assertThat(ImageReference.parse("127.0.0.1:5000/demo/hello"))
                .isEqualTo(new ImageReference("127.0.0.1:5000", "demo/hello"));
        assertThat(ImageReference.parse("localhost/app")).isEqualTo(new ImageReference("localhost", "app"));
        assertThat(ImageReference.parse("team/app")).isEqualTo(new ImageReference("docker.io", "team/app"));
        assertThat(ImageReference.parse("hello")).isEqualTo(new ImageReference("docker.io", "library/hello"));
        assertThat(ImageReference.parse("hello").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("[::1]:5000/app").apiHost()).isEqualTo("[::1]:5000");
        Assertions.assertThatThrownBy(() -> ImageReference.parse("reg.example.com/"))
                .hasMessageContaining("'reg.example.com/'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "1.0", "v1.2.3-rc.1", "_x", "A_b-c.D"})
    void acceptsTags(String tag) {
        assertThat(ImageReference.tagRefusal(tag)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x", ".x", "a b", "a/b", "a:b"})
    void refusesTags(String tag) {
        assertThat(ImageReference.tagRefusal(tag))
                .hasValueSatisfying(m -> assertThat(m).contains("'" + tag + "'"));
    }

    @Test
    void refusesATagOfMoreThan128Characters() {
        assertThat(ImageReference.tagRefusal("a".repeat(128))).isEmpty();
        assertThat(ImageReference.tagRefusal("a".repeat(129))).isPresent();
    }
}
