package io.orchide.ground;

import io.orchide.ground.audit.AuditRetention;
import io.orchide.ground.auth.AuthSettings;
import io.orchide.link.LinkConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder of ground's configuration: the record's defaults for what is not set, and its checks on the whole. */
class GroundConfigTest {
    @Test
    void whatIsNotSetTakesTheDefaults() {
        GroundConfig c = GroundConfig.builder().dataDir(Path.of("/var/lib/orchide")).build();
        assertThat(c.dbUrl()).isNull();
        assertThat(c.listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 0));
        assertThat(c.clock()).isEqualTo(Clock.systemUTC());
        assertThat(c.sessionLease()).isEqualTo(LinkConfig.DEFAULT_LEASE);
        assertThat(c.auditRetention()).isEqualTo(AuditRetention.DEFAULT);
        assertThat(c.auth()).isEqualTo(AuthSettings.DEFAULT);
        assertThat(c.linkRateBytesPerSecond()).isZero();
    }

    @Test
    void toBuilderKeepsEveryFieldAndChangesOnlyWhatIsSet() {
        GroundConfig c = GroundConfig.builder().dbUrl("jdbc:postgresql://db:5432/ground").dbPassword("pw")
                .listen(new InetSocketAddress("0.0.0.0", 7000)).linkListen("0.0.0.0:4700").linkRateBytesPerSecond(1000)
                .sessionLease(Duration.ofSeconds(20)).linkKeepalive(Duration.ofSeconds(1))
                .linkIdleTimeout(Duration.ofSeconds(5)).auth(AuthSettings.BYPASS_FOR_TESTS).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        GroundConfig leased = c.withSessionLease(Duration.ofSeconds(40));
        assertThat(leased.sessionLease()).isEqualTo(Duration.ofSeconds(40));
        assertThat(leased.toBuilder().sessionLease(c.sessionLease()).build()).isEqualTo(c);
    }

    @Test
    void theWholeIsCheckedAsTheRecordChecksIt() {
        assertThatThrownBy(() -> GroundConfig.builder().build()).hasMessageContaining("dataDir is required");
        assertThatThrownBy(() -> GroundConfig.builder().dataDir(Path.of("/d")).dbPassword("pw").build())
                .hasMessageContaining("dbPassword is only for a PostgreSQL dbUrl");
        assertThatThrownBy(() -> GroundConfig.builder().dataDir(Path.of("/d")).sessionLease(Duration.ZERO).build())
                .hasMessageContaining("sessionLease must be positive (got PT0S)");
    }
}
