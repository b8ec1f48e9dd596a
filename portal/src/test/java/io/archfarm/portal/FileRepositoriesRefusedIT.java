package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.testing.ArchfarmTestServices;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** With the defaults (archfarm.git.allow-file-urls=false) a file:// repository is refused, even a real one. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ArchfarmTestServices.class)
class FileRepositoriesRefusedIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void refusesAFileUrlByDefault(@TempDir Path dir) {
        GitRepositoryFixture repo = GitRepositoryFixture.create(dir);

        Answer answer = new PortalApi(port).asAdmin().post("/api/v1/builds", BuildApiIT.minimalBody(repo.url()));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.problemDetail()).contains(repo.url()).contains("archfarm.git.allow-file-urls=false");
        assertThat(jdbc.sql("select count(*) from builds").query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("select count(*) from outbox").query(Long.class).single())
                .isZero();
    }
}
