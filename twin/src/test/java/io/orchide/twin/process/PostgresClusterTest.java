package io.orchide.twin.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The twin's PostgreSQL, on Debian's real server: set up as ground's operators are told to (a role owning its
 * database, the password in a file of mode 600, only a password gets in over TCP), restarted on the same port, and
 * stopped for good with the twin.
 */
class PostgresClusterTest {
    @TempDir
    Path work;

    @Test
    void groundsRoleGetsInWithThePasswordFromItsFileOnlyAndTheServerRestartsOnItsPort() throws Exception {
        Path dir = work.resolve("postgres");
        PostgresCluster pg = PostgresCluster.start(dir);
        try {
            assertThat(pg.url()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/orchide?user=orchide");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pg.passwordFile()))).isEqualTo("rw-------");
            String password = Files.readAllLines(pg.passwordFile()).get(0);
            assertThat(password).hasSizeGreaterThanOrEqualTo(24);
            assertThat(pg.url()).doesNotContain(password);
            try (Connection c = connect(pg, "orchide", password); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT current_user, pg_catalog.pg_get_userbyid(d.datdba), r.rolsuper FROM pg_database d, pg_roles r "
                            + "WHERE d.datname = current_database() AND r.rolname = current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("orchide");
                assertThat(rs.getString(2)).isEqualTo("orchide"); // it owns its database
                assertThat(rs.getBoolean(3)).isFalse();            // and is no superuser
            }
            assertThatThrownBy(() -> connect(pg, "orchide", "wrong")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> connect(pg, "postgres", "")).isInstanceOf(SQLException.class);

            pg.stopServer();
            assertThat(pg.running()).isFalse();
            assertThatThrownBy(() -> connect(pg, "orchide", password)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("refused");
            pg.startServer();
            try (Connection c = connect(pg, "orchide", password)) {
                assertThat(c.isValid(5)).isTrue();
            }
        } finally {
            pg.close();
        }
        assertThat(dir.resolve("data/postmaster.pid")).doesNotExist(); // nothing of it runs any more
        assertThatThrownBy(() -> connect(pg, "orchide", Files.readAllLines(pg.passwordFile()).get(0)))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void withoutTheServerInstalledItSaysWhatToInstallAndMakesNothing() {
        Path dir = work.resolve("postgres");
        assertThatThrownBy(() -> PostgresCluster.start(dir, Optional.empty()))
                .hasMessageContaining("apt-get install postgresql");
        assertThat(dir).doesNotExist();
    }

    private static Connection connect(PostgresCluster pg, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/orchide", p);
    }
}
