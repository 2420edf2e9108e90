package io.orchide.cli;

import io.orchide.ground.GroundConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The options of {@code orchide ground}: where the state lives, the database's password, the session lease. */
class GroundOptionsTest {
    static final String PG = "jdbc:postgresql://db.example:5432/orchide?user=orchide";

    @TempDir
    Path tmp;
    final Map<String, String> env = new HashMap<>();

    GroundConfig config(String... args) {
        GroundCommand c = new GroundCommand();
        new CommandLine(c).parseArgs(args);
        c.env = env;
        return c.config();
    }

    @Test
    void sqliteLivesInTheDataDirAndPostgresNeedsNone() {
        GroundConfig sqlite = config("--data-dir", tmp.toString());
        assertThat(sqlite.dataDir()).isEqualTo(tmp.toAbsolutePath());
        assertThat(sqlite.dbUrl()).isNull();

        GroundConfig pg = config("--db", PG);
        assertThat(pg.dbUrl()).isEqualTo(PG);
        assertThat(pg.dataDir()).isNull();
        assertThat(pg.dbPassword()).isNull();

        assertThatThrownBy(() -> config("--listen", "127.0.0.1:0"))
                .hasMessage("--data-dir is required without --db (ground keeps its SQLite database there)");
        assertThatThrownBy(() -> config("--db", "postgres://db.example/orchide?password=hunter2"))
                .hasMessage("--db: expected a jdbc:postgresql://HOST:PORT/DB URL (got postgres://db.example/orchide?password=***)");
    }

    @Test
    void theAuditLogsBoundsHaveDefaultsAndBadOnesAreRefusedByName() {
        assertThat(config("--data-dir", tmp.toString()).auditRetention())
                .isEqualTo(new io.orchide.ground.audit.AuditRetention(1_000_000, Duration.ofDays(365)));
        assertThat(config("--data-dir", tmp.toString(), "--audit-max-entries", "5000", "--audit-max-age", "90d")
                .auditRetention()).isEqualTo(new io.orchide.ground.audit.AuditRetention(5000, Duration.ofDays(90)));
        assertThatThrownBy(() -> config("--data-dir", tmp.toString(), "--audit-max-entries", "0"))
                .hasMessage("--audit-max-entries: expected a number of entries, at least 1 (got 0)");
        assertThatThrownBy(() -> config("--data-dir", tmp.toString(), "--audit-max-age", "3 months"))
                .hasMessage("--audit-max-age: expected a duration such as 90d or 12h (got 3 months)");
    }

    @Test
    void theSeriesAreKeptThirtyDaysUnlessSaidAndABadRetentionIsRefusedNamingIt() {
        assertThat(config("--data-dir", tmp.toString()).seriesRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(config("--data-dir", tmp.toString(), "--series-retention", "90d").seriesRetention())
                .isEqualTo(Duration.ofDays(90));
        assertThatThrownBy(() -> config("--data-dir", tmp.toString(), "--series-retention", "a month"))
                .hasMessage("--series-retention: expected a duration from 1h to 3650d, such as 90d or 7d (got a month)");
        assertThatThrownBy(() -> config("--data-dir", tmp.toString(), "--series-retention", "10m"))
                .hasMessage("--series-retention: expected a duration from 1h to 3650d, such as 90d or 7d (got 10m)");
    }

    @Test
    void oidcOptionsConfigureTheIssuerAndBadOnesAreRefusedByName() {
        assertThat(config("--data-dir", tmp.toString()).auth().oidc()).isNull();
        var oidc = config("--data-dir", tmp.toString(), "--oidc-issuer", "https://login.example.com/realms/ops",
                "--oidc-audience", "orchide-cli").auth().oidc();
        assertThat(oidc.issuer()).isEqualTo("https://login.example.com/realms/ops");
        assertThat(oidc.audience()).isEqualTo("orchide-cli");
        assertThat(oidc.tenantClaim()).isEqualTo("tenant");
        assertThat(oidc.groupsClaim()).isEqualTo("groups");
        var claims = config("--data-dir", tmp.toString(), "--oidc-issuer", "https://login.example.com", "--oidc-audience",
                "a", "--oidc-tenant-claim", "https://orchide.io/tenant", "--oidc-groups-claim", "roles").auth().oidc();
        assertThat(claims.tenantClaim()).isEqualTo("https://orchide.io/tenant");
        assertThat(claims.groupsClaim()).isEqualTo("roles");

        assertThatThrownBy(() -> config("--data-dir", tmp.toString(), "--oidc-issuer", "login.example.com", "--oidc-audience", "a"))
                .hasMessage("--oidc-issuer: not an http(s) URL (got login.example.com)");
        assertThatThrownBy(() -> config("--data-dir", tmp.toString(), "--oidc-issuer", "https://login.example.com"))
                .hasMessage("--oidc-audience: required with --oidc-issuer (got none)");
        assertThatThrownBy(() -> config("--data-dir", tmp.toString(), "--oidc-audience", "orchide"))
                .hasMessage("--oidc-audience: only with --oidc-issuer (got orchide without it)");
        assertThatThrownBy(() -> config("--data-dir", tmp.toString(), "--oidc-issuer", "https://login.example.com",
                "--oidc-audience", "a", "--oidc-groups-claim", " "))
                .hasMessage("--oidc-groups-claim: expected a claim name, not blank and without surrounding spaces (got \" \")");
    }

    @Test
    void thePasswordComesFromTheFirstLineOfAFileAndNeverShows() throws Exception {
        Path f = Files.writeString(tmp.resolve("pw"), "s3cret&x=1 two\nsecond line ignored\n");
        GroundConfig c = config("--db", PG, "--db-password-file", f.toString());
        assertThat(c.dbPassword()).isEqualTo("s3cret&x=1 two");
        assertThat(c.connectUrl()).isEqualTo(PG + "&password=s3cret%26x%3D1+two");
        assertThat(c.toString()).doesNotContain("s3cret").contains("password given");

        Files.writeString(f, "crlf\r\n");
        assertThat(config("--db", PG, "--db-password-file", f.toString()).dbPassword()).isEqualTo("crlf");
    }

    @Test
    void aPasswordFileThatCannotServeIsRefusedNamingIt() throws Exception {
        Path missing = tmp.resolve("nope");
        assertThatThrownBy(() -> config("--db", PG, "--db-password-file", missing.toString()))
                .hasMessage("--db-password-file: cannot read " + missing + " (no such file)");
        Path empty = Files.writeString(tmp.resolve("empty"), "\nnot here\n");
        assertThatThrownBy(() -> config("--db", PG, "--db-password-file", empty.toString()))
                .hasMessage("--db-password-file: the first line of " + empty + " is empty (expected the password)");
        Path f = Files.writeString(tmp.resolve("pw"), "pw\n");
        assertThatThrownBy(() -> config("--db", PG + "&password=inline", "--db-password-file", f.toString()))
                .hasMessageStartingWith("--db-password-file " + f + ": the --db URL")
                .hasMessageContaining("password=***").hasMessageNotContaining("inline");
        assertThatThrownBy(() -> config("--data-dir", tmp.toString(), "--db-password-file", f.toString()))
                .hasMessage("--db-password-file: only with --db (got " + f + " without --db)");
    }

    @Test
    void pgpasswordServesWhenNeitherAFileNorTheUrlGivesOne() throws Exception {
        env.put("PGPASSWORD", "from-env");
        assertThat(config("--db", PG).dbPassword()).isEqualTo("from-env");
        // the URL's own password wins, as with libpq
        assertThat(config("--db", PG + "&password=inline").dbPassword()).isNull();
        Path f = Files.writeString(tmp.resolve("pw"), "from-file\n");
        assertThat(config("--db", PG, "--db-password-file", f.toString()).dbPassword()).isEqualTo("from-file");
        // without --db, PGPASSWORD means nothing to ground
        assertThat(config("--data-dir", tmp.toString()).dbPassword()).isNull();
    }

    @Test
    void theLinkKeyIsInTheDataDirOrTheFileEveryReplicaShares() {
        assertThat(config("--data-dir", tmp.toString()).groundKey())
                .containsExactly(tmp.toAbsolutePath().resolve("ground.key"), tmp.toAbsolutePath().resolve("ground.pub"));
        assertThat(config("--db", PG, "--ground-key-file", "/etc/orchide/ground.key").groundKey())
                .containsExactly(java.nio.file.Path.of("/etc/orchide/ground.key"), java.nio.file.Path.of("/etc/orchide/ground.pub"));
        assertThat(config("--db", PG).groundKey()).as("nowhere to keep it: ground refuses to start, naming the option").isNull();
    }

    @Test
    void theSessionLeaseDefaultsToTenSecondsAndIsBounded() {
        assertThat(config("--db", PG).sessionLease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config("--db", PG, "--session-lease", "4s").sessionLease()).isEqualTo(Duration.ofSeconds(4));
        for (String bad : new String[]{"0s", "500ms", "2h", "soon"}) {
            assertThatThrownBy(() -> config("--db", PG, "--session-lease", bad))
                    .hasMessage("--session-lease: expected a duration from 1s to 1h, such as 10s (got " + bad + ")");
        }
    }

    @Test
    void theLinksKeepaliveAndIdleTimeoutAreTakenAndABadPairIsRefusedNamingTheOption() {
        GroundConfig c = config("--db", PG, "--link-keepalive", "2s", "--link-idle-timeout", "9s");
        assertThat(c.linkKeepalive()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.linkIdleTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(config("--db", PG).linkIdleTimeout()).isNull(); // the link's default, 20 s
        assertThatThrownBy(() -> config("--db", PG, "--link-idle-timeout", "5s"))
                .hasMessage("--link-idle-timeout: must be longer than the keepalive interval 5s (got 5s)");
        assertThatThrownBy(() -> config("--db", PG, "--link-keepalive", "often"))
                .hasMessage("--link-keepalive: expected a duration from 100ms to 1h, such as 5s (got often)");
    }
}
