package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.Platform;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaseImagesTest {

    private static final Platform ARM64 = Platform.parse("linux/arm64");

    @Test
    void everyFromAndEveryFromOptionThatNamesNoStage() {
        String containerfile = """
                # syntax comments are skipped
                FROM registry.example/base:1 AS build
                COPY --from=build /a /a
                COPY --chown=0:0 --from=tools.example/helper:2 /b /b
                RUN --mount=type=bind,from=cache.example/deps,target=/deps \\
                    --mount=type=secret,id=token true
                FROM build
                COPY --from=0 /c /c
                FROM scratch
                """;

        assertThat(BaseImages.of(containerfile, Map.of(), ARM64))
                .containsExactly("registry.example/base:1", "tools.example/helper:2", "cache.example/deps");
    }

    @Test
    void globalArgumentsExpandAsBuildahExpandsThem() {
        String containerfile = """
                ARG REGISTRY=default.example
                ARG NAME="base"
                FROM ${REGISTRY}/${NAME}:${TAG:-latest}
                ARG LATER=ignored.example
                FROM $LATER/x
                FROM other.example/${TARGETARCH}${UNSET}
                """;

        assertThat(BaseImages.of(containerfile, Map.of("REGISTRY", "given.example"), ARM64))
                .containsExactly("given.example/base:latest", "/x", "other.example/arm64");
    }

    @Test
    void aContainerfileWithoutFromPullsNothing() {
        assertThat(BaseImages.of("", Map.of(), ARM64)).isEmpty();
        assertThat(BaseImages.of("RUN true\nFROM\n", Map.of(), ARM64)).isEmpty();
    }
}
