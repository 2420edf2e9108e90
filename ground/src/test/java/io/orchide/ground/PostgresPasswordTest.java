package io.orchide.ground;

import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ground on a PostgreSQL role that must give its password (the test server trusts everyone else): the password given
 * apart from the URL, or found by the driver in a .pgpass file, reaches the server; a wrong one is refused.
 */
class PostgresPasswordTest {
    static final String PASSWORD = "p@ss w+rd&x=1:\\";
    static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path tmp;
    String admin;      // the test server's superuser URL of a fresh database
    String role, database, hostPort;
    Path hba;
    String hbaBefore;

    @BeforeEach
    void roleThatNeedsItsPassword() throws Exception {
        admin = TestPostgres.newDatabase();
        role = "orchide_pw_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        database = role + "_db";
        hostPort = admin.substring("jdbc:postgresql://".length(), admin.indexOf('/', "jdbc:postgresql://".length()));
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
            s.execute("CREATE DATABASE " + database + " OWNER " + role);
            try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            hbaBefore = Files.readString(hba);
            // the first matching line decides: this role, and only it, must give its password
            Files.writeString(hba, "host all " + role + " 0.0.0.0/0 scram-sha-256\nhost all " + role
                    + " ::/0 scram-sha-256\n" + hbaBefore);
            s.execute("SELECT pg_reload_conf()");
        }
    }

    @AfterEach
    void restore() throws Exception {
        if (hba == null) return;
        Files.writeString(hba, hbaBefore);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("SELECT pg_reload_conf()");
        }
        System.clearProperty("org.postgresql.pgpassfile");
    }

    GroundConfig config(String password) {
        return GroundConfig.builder()
                .dbUrl("jdbc:postgresql://" + hostPort + "/" + database + "?user=" + role)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(Clock.systemUTC())
                .dbPassword(password)
                .build();
    }

    @Test
    void thePasswordGivenApartFromTheUrlReachesTheServerAndAWrongOneIsRefused() throws Exception {
        try (GroundServer g = GroundServer.start(config(PASSWORD), new FakeUplink(Clock.systemUTC()))) {
            assertThat(g.database().toString()).startsWith("postgresql").doesNotContain(PASSWORD);
        }
        assertThatThrownBy(() -> GroundServer.start(config("wrong"), new FakeUplink(Clock.systemUTC())))
                .hasMessageContaining("password authentication failed for user \"" + role + "\"")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void withoutAPasswordTheDriverFindsItInAPgpassFile() throws Exception {
        Path pgpass = tmp.resolve("pgpass");
        String host = hostPort.substring(0, hostPort.lastIndexOf(':')), port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
        // .pgpass escapes ':' and '\' in its fields
        Files.writeString(pgpass, host + ":" + port + ":" + database + ":" + role + ":"
                + PASSWORD.replace("\\", "\\\\").replace(":", "\\:") + "\n");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try (GroundServer g = GroundServer.start(config(null), new FakeUplink(Clock.systemUTC()))) {
            assertThat(g.database().toString()).startsWith("postgresql");
        }
    }
}
