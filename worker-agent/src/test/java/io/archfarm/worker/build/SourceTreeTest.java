package io.archfarm.worker.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.JobOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTreeTest {

    private static final String COMMIT = "abc1234def5678abc1234def5678abc1234def56";

    @TempDir
    Path root;

    Path checkout;

    @BeforeEach
    void checkout() throws Exception {
        checkout = Files.createDirectories(root.resolve("src"));
        Files.createDirectories(checkout.resolve("app"));
        Files.writeString(checkout.resolve("app/Containerfile"), "FROM scratch\n");
        Files.writeString(root.resolve("outside"), "FROM scratch\n");
        Files.createSymbolicLink(checkout.resolve("sneaky"), root.resolve("outside"));
    }

    @Test
    void findsTheContainerfileAndContext() throws Exception {
        SourceTree tree = SourceTree.locate(checkout, "app/Containerfile", "app", COMMIT);
        assertThat(tree.containerfile()).isEqualTo(checkout.toRealPath().resolve("app/Containerfile"));
        assertThat(tree.context()).isEqualTo(checkout.toRealPath().resolve("app"));
    }

    @Test
    void aMissingContainerfileNamesItAndTheCommit() {
        assertThatThrownBy(() -> SourceTree.locate(checkout, "docker/Containerfile", ".", COMMIT))
                .isInstanceOf(JobFailure.class)
                .hasMessage("Containerfile 'docker/Containerfile' not found in commit abc1234")
                .satisfies(e -> assertThat(((JobFailure) e).outcome()).isEqualTo(JobOutcome.FAILED));
    }

    @Test
    void nothingOutsideTheCheckoutIsUsed() {
        assertThatThrownBy(() -> SourceTree.locate(checkout, "../outside", ".", COMMIT))
                .hasMessageContaining("Containerfile '../outside' not found");
        assertThatThrownBy(() -> SourceTree.locate(checkout, "sneaky", ".", COMMIT))
                .hasMessageContaining("Containerfile 'sneaky' not found");
        assertThatThrownBy(() -> SourceTree.locate(checkout, "app/Containerfile", "..", COMMIT))
                .hasMessage("context directory '..' not found in commit abc1234");
    }
}
