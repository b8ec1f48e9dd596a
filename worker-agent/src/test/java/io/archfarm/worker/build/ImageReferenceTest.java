package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    @Test
    void splitsRegistryAndRepository() throws JobFailure {
        assertThat(ImageReference.parse("127.0.0.1:5000/demo/hello"))
                .isEqualTo(new ImageReference("127.0.0.1:5000", "demo/hello"));
        assertThat(ImageReference.parse("localhost/app")).isEqualTo(new ImageReference("localhost", "app"));
        assertThat(ImageReference.parse("team/app")).isEqualTo(new ImageReference("docker.io", "team/app"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:5000/demo/hello:latest", "reg.example.com/App", "reg.example.com/app@sha256:1",
            "", "reg.example.com/"})
    void rejectsTagsDigestsAndBadNamesNamingTheValue(String image) {
        assertThatThrownBy(() -> ImageReference.parse(image))
                .isInstanceOf(JobFailure.class)
                .hasMessageContaining("image reference '" + image + "' is malformed");
    }
}
