package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.model.BuildStatus;
import io.archfarm.model.Placement;
import io.archfarm.model.Platform;
import io.archfarm.model.PublishPolicy;
import io.archfarm.scheduler.builds.BuildStore;
import io.archfarm.testing.ArchfarmTestDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The schema contract between the portal and the scheduler: a build the portal records (its entity, written by its
 * repository) is read back by the scheduler's own mapping ({@link BuildStore}) with every field the scheduler acts on
 * intact, on one PostgreSQL database migrated by Flyway. Either side renaming a column, changing how a list or a map
 * is stored or adding a status the other does not know fails here, not in the farm. No application.yml of either
 * service is read ({@code spring.config.name}): only the schema is shared, never their configuration.
 */
@SpringBootTest(classes = BuildSchemaContractIT.Config.class, properties = "spring.config.name=schema-contract")
class BuildSchemaContractIT {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        DataSourceAutoConfiguration.class,
        FlywayAutoConfiguration.class,
        HibernateJpaAutoConfiguration.class,
        DataJpaRepositoriesAutoConfiguration.class,
        TransactionAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class,
        JdbcClientAutoConfiguration.class,
        JacksonAutoConfiguration.class
    })
    @EntityScan(basePackageClasses = Build.class)
    @EnableJpaRepositories(
            basePackageClasses = BuildRepository.class,
            includeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = BuildRepository.class))
    @Import({ArchfarmTestDatabase.class, BuildStore.class})
    static class Config {}

    @Autowired
    BuildRepository portalBuilds;

    @Autowired
    BuildStore schedulerBuilds;

    @Test
    void aBuildThePortalRecordsReadsTheSameInTheScheduler() {
        UUID id = UUID.randomUUID();
        var submission = new BuildSubmission(
                "https://git.example.com/team/app.git",
                "main",
                "Containerfile.prod",
                "services/app",
                List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64),
                "registry.example.com/team/app",
                List.of("latest", "1.2.3"),
                Map.of("VERSION", "1.2.3", "MODE", "release"),
                Placement.NATIVE_PREFERRED,
                Map.of(Platform.LINUX_ARM64, Placement.NATIVE_ONLY),
                PublishPolicy.PARTIAL,
                true);
        var source =
                new BuildService.ResolvedRef("main", "0123456789abcdef0123456789abcdef01234567", "refs/heads/main");
        var origin = new BuildOrigin(null, null, null, BuildOrigin.Trigger.API, "alice", true, true);
        portalBuilds.saveAndFlush(
                Build.queued(id, submission, source, origin, Instant.now().truncatedTo(ChronoUnit.MICROS)));

        var read = schedulerBuilds.find(id).orElseThrow();

        assertThat(read.id()).isEqualTo(id);
        assertThat(read.status()).isEqualTo(BuildStatus.QUEUED);
        assertThat(read.repository()).isEqualTo("https://git.example.com/team/app.git");
        assertThat(read.ref()).isEqualTo("main");
        assertThat(read.commit()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(read.fetchSubmodules()).isTrue();
        assertThat(read.containerfile()).isEqualTo("Containerfile.prod");
        assertThat(read.contextDir()).isEqualTo("services/app");
        assertThat(read.image()).isEqualTo("registry.example.com/team/app");
        assertThat(read.tags()).containsExactly("latest", "1.2.3");
        assertThat(read.platforms()).containsExactly("linux/amd64", "linux/arm64");
        assertThat(read.buildArgs()).containsExactlyInAnyOrderEntriesOf(Map.of("VERSION", "1.2.3", "MODE", "release"));
        assertThat(read.placement()).isEqualTo(Placement.NATIVE_PREFERRED);
        assertThat(read.placementOf("linux/arm64")).isEqualTo(Placement.NATIVE_ONLY);
        assertThat(read.placementOf("linux/amd64")).isEqualTo(Placement.NATIVE_PREFERRED);
        assertThat(read.publish()).isEqualTo(PublishPolicy.PARTIAL);
        assertThat(read.requestedBy()).isEqualTo("alice");
        assertThat(read.cancelRequestedAt()).isNull();
        assertThat(read.teamId()).isNull();
        assertThat(read.cacheEnabled()).isTrue();
        assertThat(read.noCache()).isTrue();
    }
}
