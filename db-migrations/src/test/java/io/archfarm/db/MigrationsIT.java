package io.archfarm.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.testing.ArchfarmTestDatabase;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/** The migrations apply to a real, empty PostgreSQL and leave the tables every service relies on. */
@SpringBootTest(classes = MigrationsIT.Config.class)
class MigrationsIT {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        DataSourceAutoConfiguration.class,
        FlywayAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class
    })
    @Import(ArchfarmTestDatabase.class)
    static class Config {}

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void createsEveryTable() {
        var tables = jdbc.queryForList(
                "select table_name from information_schema.tables where table_schema = 'public'", String.class);
        assertThat(tables)
                .contains(
                        "builds",
                        "platform_jobs",
                        "job_attempts",
                        "job_logs",
                        "workers",
                        "manifest_lists",
                        "manifest_list_entries",
                        "outbox",
                        "processed_messages",
                        "flyway_schema_history");
    }

    @Test
    void rejectsAnUnknownBuildStatus() {
        var insert = "insert into builds (id, status, repository, ref, commit_sha, containerfile, context_dir, image,"
                + " platforms, placement, publish, created_at) values (gen_random_uuid(), 'DONE', 'r', 'main', 'c',"
                + " 'Containerfile', '.', 'i', '[]', 'ANY', 'ALL', now())";
        Assertions.assertThatThrownBy(() -> jdbc.update(insert)).hasMessageContaining("builds_status_check");
    }

    @Test
    void buildsAndProjectsUseTheLayerCacheUnlessTheySayOtherwise() {
        // rows written before V12 (and by a portal that names neither column) get the cache, without a no-cache
        var insert = "insert into builds (id, status, repository, ref, commit_sha, containerfile, context_dir, image,"
                + " platforms, placement, publish, created_at) values (gen_random_uuid(), 'QUEUED', 'r', 'main',"
                + " 'c', 'Containerfile', '.', 'i', '[]', 'ANY', 'ALL', now()) returning layer_cache, no_cache";
        var build = jdbc.queryForMap(insert);
        assertThat(build).containsEntry("layer_cache", true).containsEntry("no_cache", false);
        assertThat(jdbc.queryForObject(
                        "select column_default from information_schema.columns"
                                + " where table_name = 'projects' and column_name = 'layer_cache'",
                        String.class))
                .isEqualTo("true");
        assertThat(jdbc.queryForObject(
                        "select data_type from information_schema.columns"
                                + " where table_name = 'platform_jobs' and column_name = 'cache'",
                        String.class))
                .isEqualTo("jsonb");
    }

    @Test
    void workersAndPlatformJobsKeepTheirToolsWhole() {
        for (String table : List.of("workers", "platform_jobs")) {
            assertThat(jdbc.queryForObject(
                            "select data_type from information_schema.columns"
                                    + " where table_name = ? and column_name = 'tools'",
                            String.class,
                            table))
                    .isEqualTo("jsonb");
        }
    }

    @Test
    void webSessionsLiveInSpringSessionTablesAndTheirAttributesGoWithThem() {
        jdbc.update("insert into spring_session (primary_id, session_id, creation_time, last_access_time,"
                + " max_inactive_interval, expiry_time, principal_name) values ('p-1', 's-1', 0, 0, 1800, 1800000,"
                + " 'someone')");
        jdbc.update("insert into spring_session_attributes values ('p-1', 'archfarm.team', '\\x00'::bytea)");
        assertThat(jdbc.queryForObject(
                        "select count(*) from spring_session_attributes" + " where session_primary_id = 'p-1'",
                        Integer.class))
                .isOne();

        jdbc.update("delete from spring_session where primary_id = 'p-1'");

        assertThat(jdbc.queryForObject(
                        "select count(*) from spring_session_attributes" + " where session_primary_id = 'p-1'",
                        Integer.class))
                .isZero();
        Assertions.assertThatThrownBy(() -> jdbc.update("insert into spring_session"
                        + " (primary_id, session_id, creation_time, last_access_time, max_inactive_interval, expiry_time)"
                        + " values ('p-2', 's-2', 0, 0, 1800, 0), ('p-3', 's-2', 0, 0, 1800, 0)"))
                .hasMessageContaining("spring_session_ix1");
    }
}
