package io.orchide.ground.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The timeouts that keep a silent or unreachable PostgreSQL from holding ground, and the operator's URL winning. */
class PostgresUrlTest {
    @Test
    void aPlainUrlGetsTheTimeoutsAndKeepAlive() {
        assertThat(PostgresUrl.withDefaults("jdbc:postgresql://db:5432/orchide"))
                .isEqualTo("jdbc:postgresql://db:5432/orchide?connectTimeout=5&socketTimeout=60&tcpKeepAlive=true");
        assertThat(PostgresUrl.withDefaults("jdbc:postgresql://db/orchide?user=ground&sslmode=require"))
                .isEqualTo("jdbc:postgresql://db/orchide?user=ground&sslmode=require&connectTimeout=5&socketTimeout=60"
                        + "&tcpKeepAlive=true");
    }

    @Test
    void whatTheUrlSetsIsKept() {
        assertThat(PostgresUrl.withDefaults("jdbc:postgresql://db/o?socketTimeout=300&TCPKEEPALIVE=false&connectTimeout=1"))
                .isEqualTo("jdbc:postgresql://db/o?socketTimeout=300&TCPKEEPALIVE=false&connectTimeout=1");
        assertThat(PostgresUrl.withDefaults("jdbc:postgresql://db/o?user=u&socketTimeout=0"))
                .isEqualTo("jdbc:postgresql://db/o?user=u&socketTimeout=0&connectTimeout=5&tcpKeepAlive=true");
    }

    @Test
    void aParameterWhoseNameOnlyStartsLikeOneIsNotMistakenForIt() {
        assertThat(PostgresUrl.withDefaults("jdbc:postgresql://db/o?socketTimeoutX=1"))
                .contains("&socketTimeout=60");
    }

    @Test
    void notAPostgresUrlIsRefusedNamingIt() {
        assertThatThrownBy(() -> PostgresUrl.withDefaults("jdbc:mysql://db/o"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql://db/o");
    }
}
