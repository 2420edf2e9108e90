package io.orchide.client.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContextTest {
    private static final String ISSUER = "https://login.example.com/realms/ops";
    private final Context sso = new Context("ocean", "http://ground:7000", "jwt-from-issuer", "ocean-team", null, ISSUER);

    @Test
    void aTokenGivenAsItIsReplacesAnIssuersTokenAndItsIssuer() {
        Context after = sso.merged(new Context("ocean", null, "api-token", null, null));

        assertThat(after).isEqualTo(new Context("ocean", "http://ground:7000", "api-token", "ocean-team", null, null));
    }

    @Test
    void aChangeWithoutATokenKeepsTheTokenAndItsIssuer() {
        Context after = sso.merged(new Context("ocean", null, null, "fire-team", "sat-2"));

        assertThat(after).isEqualTo(new Context("ocean", "http://ground:7000", "jwt-from-issuer", "fire-team", "sat-2", ISSUER));
    }

    @Test
    void aTokenFromAnIssuerIsStoredWithIt() {
        Context plain = new Context("ocean", "http://ground:7000", "api-token", null, null);

        assertThat(plain.merged(new Context("ocean", null, "jwt", null, null, ISSUER)))
                .extracting(Context::token, Context::issuer).containsExactly("jwt", ISSUER);
        assertThat(sso.toString()).doesNotContain("jwt-from-issuer").contains(ISSUER);
    }
}
