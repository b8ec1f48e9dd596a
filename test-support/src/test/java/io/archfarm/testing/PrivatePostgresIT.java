package io.archfarm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The fault tests kill their own PostgreSQL: it dies at once, comes back on its port, keeps what was committed. */
class PrivatePostgresIT {

    @Test
    void aKilledServerComesBackOnItsPortWithWhatWasCommitted() throws Exception {
        try (PrivatePostgres server = PrivatePostgres.start()) {
            server.createDatabase("farm");
            String url = server.jdbcUrl("farm");
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("create table builds (id int primary key)");
                statement.execute("insert into builds values (1)");
            }

            server.kill();

            assertThat(server.running()).isFalse();
            assertThatThrownBy(() ->
                            DriverManager.getConnection(url, "postgres", "").close())
                    .isInstanceOf(SQLException.class);

            server.restart();

            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select count(*) from builds where id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }
}
