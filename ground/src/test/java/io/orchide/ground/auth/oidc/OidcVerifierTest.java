package io.orchide.ground.auth.oidc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.ground.auth.oidc.OidcException.Reason;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.oidc.SigningKey;
import io.orchide.testkit.oidc.TestOidcIssuer;
import io.orchide.testkit.oidc.TokenBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link OidcVerifier} against a real issuer on loopback: what it accepts, and each refusal with its reason. */
class OidcVerifierTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final String AUDIENCE = "orchide";

    private final MutableClock clock = new MutableClock(T0);
    private TestOidcIssuer issuer;
    private OidcVerifier verifier;

    @BeforeEach
    void start() {
        issuer = TestOidcIssuer.start(clock);
        verifier = new OidcVerifier(OidcConfig.of(issuer.issuer(), AUDIENCE), clock);
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private OidcException refused(String token) {
        OidcException e = catchThrowableOfType(OidcException.class, () -> verifier.verify(token));
        assertThat(e).as("token should be refused").isNotNull();
        return e;
    }

    @Test
    void aGoodTokenGivesItsIssuerSubjectTenantGroupsAndExpiry() {
        String token = issuer.token().subject("alice").claim("tenant", "ocean-team")
                .claim("groups", List.of("developers", "ocean-admins")).compact();

        OidcIdentity id = verifier.verify(token);

        assertThat(id).isEqualTo(new OidcIdentity(issuer.issuer(), "alice", "ocean-team",
                List.of("developers", "ocean-admins"), T0.plus(Duration.ofHours(1))));
    }

    @Test
    void aTokenWithoutTenantOrGroupsHasNoTenantAndNoGroups() {
        OidcIdentity id = verifier.verify(issuer.token().compact());

        assertThat(id.tenant()).isNull();
        assertThat(id.groups()).isEmpty();
    }

    @Test
    void theTenantAndGroupsClaimsAreTheConfiguredOnes() {
        verifier = new OidcVerifier(OidcConfig.of(issuer.issuer(), AUDIENCE)
                .withClaims("https://orchide.io/tenant", "roles"), clock);

        OidcIdentity id = verifier.verify(issuer.token().claim("https://orchide.io/tenant", "fire-team")
                .claim("tenant", "ocean-team").claim("roles", "viewer").compact());

        assertThat(id.tenant()).isEqualTo("fire-team");
        assertThat(id.groups()).containsExactly("viewer");
    }

    @Test
    void anAudienceListThatContainsOursIsAccepted() {
        OidcIdentity id = verifier.verify(issuer.token().audience(List.of("dashboard", AUDIENCE)).compact());

        assertThat(id.subject()).isEqualTo("user-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS384", "RS512", "PS256", "PS512", "ES256", "ES384", "EdDSA"})
    void everyAsymmetricAlgorithmVerifiesWithItsPublishedKey(String alg) {
        SigningKey key = switch (alg) {
            case "ES256", "ES384" -> SigningKey.ec("k-" + alg, alg);
            case "EdDSA" -> SigningKey.ed25519("k-ed");
            default -> SigningKey.rsa("k-" + alg, alg);
        };
        issuer.publish(key);

        OidcIdentity id = verifier.verify(issuer.token().signedWith(key).compact());

        assertThat(id.subject()).isEqualTo("user-1");
    }

    @Test
    void anotherIssuerIsRefusedAndSoIsATrailingSlash() {
        assertThat(refused(issuer.token().issuer("https://accounts.example.com").compact()))
                .extracting(OidcException::reason, OidcException::value)
                .containsExactly(Reason.WRONG_ISSUER, "https://accounts.example.com");
        assertThat(refused(issuer.token().issuer(issuer.issuer() + "/").compact()).reason())
                .isEqualTo(Reason.WRONG_ISSUER);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        OidcException e = refused(issuer.token().audience(List.of("dashboard", "grafana")).compact());

        assertThat(e.reason()).isEqualTo(Reason.WRONG_AUDIENCE);
        assertThat(e.value()).isEqualTo("dashboard,grafana");
    }

    @Test
    void algNoneIsRefusedWithoutLookingAtTheIssuersKeys() {
        OidcException e = refused(issuer.token().unsigned().compact());

        assertThat(e.reason()).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
        assertThat(e.value()).isEqualTo("none");
        assertThat(issuer.jwksRequests()).isZero();
    }

    @Test
    void hs256SignedWithTheIssuersPublicKeyIsRefusedBeforeAnyKeyLookup() {
        verifier.verify(issuer.token().compact()); // keys fetched once
        // the classic confusion attack: the public key, which anyone can fetch, used as an HMAC secret
        String forged = issuer.token().subject("admin").kid(issuer.currentKey().kid())
                .hs256(issuer.currentKey().publicKeyBytes()).compact();
        String forgedWithJwk = issuer.token().subject("admin").kid(issuer.currentKey().kid())
                .hs256(issuer.currentKey().jwk().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).compact();
        clock.advance(OidcConfig.DEFAULT_JWKS_MIN_REFRESH_INTERVAL); // a refresh would be allowed: none is made

        assertThat(List.of(refused(forged), refused(forgedWithJwk)))
                .allSatisfy(e -> assertThat(e).extracting(OidcException::reason, OidcException::value)
                        .containsExactly(Reason.ALGORITHM_NOT_ALLOWED, "HS256"));
        assertThat(issuer.jwksRequests()).isEqualTo(1);
    }

    @Test
    void anAlgorithmLeftOutOfTheConfigurationIsRefused() {
        verifier = new OidcVerifier(OidcConfig.of(issuer.issuer(), AUDIENCE).withAllowedAlgorithms(Set.of("ES256")), clock);

        assertThat(refused(issuer.token().compact())).extracting(OidcException::reason, OidcException::value)
                .containsExactly(Reason.ALGORITHM_NOT_ALLOWED, "RS256");
    }

    @Test
    void aConfigurationCannotAllowNoneOrHmac() {
        for (String alg : List.of("none", "HS256", "HS512")) {
            assertThatThrownBy(() -> OidcConfig.of("https://issuer.example", AUDIENCE).withAllowedAlgorithms(Set.of(alg)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowedAlgorithms")
                    .hasMessageContaining(alg);
        }
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheSkewIsPast() {
        String token = issuer.token().issuedAt(T0.minus(Duration.ofHours(2))).expiresAt(T0.minusSeconds(30)).compact();
        assertThat(verifier.verify(token).subject()).isEqualTo("user-1"); // 30 s late: inside the 60 s skew

        clock.advance(Duration.ofSeconds(31));

        OidcException e = refused(token);
        assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(e.value()).isEqualTo(T0.minusSeconds(30).toString());
    }

    @Test
    void aTokenNotYetValidOrIssuedInTheFutureIsRefused() {
        assertThat(refused(issuer.token().notBefore(T0.plus(Duration.ofMinutes(5))).compact()).reason())
                .isEqualTo(Reason.NOT_YET_VALID);
        assertThat(refused(issuer.token().issuedAt(T0.plus(Duration.ofMinutes(5))).compact()).reason())
                .isEqualTo(Reason.NOT_YET_VALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "exp", "iat", "aud", "iss"})
    void aTokenWithoutARequiredClaimIsRefusedNamingIt(String claim) {
        OidcException e = refused(issuer.token().without(claim).compact());

        assertThat(e.reason()).isEqualTo(Reason.MISSING_CLAIM);
        assertThat(e.value()).isEqualTo(claim);
    }

    @Test
    void aTenantOrGroupsClaimOfTheWrongShapeIsRefused() {
        assertThat(refused(issuer.token().claim("tenant", List.of("a", "b")).compact()))
                .extracting(OidcException::reason, OidcException::value).containsExactly(Reason.INVALID_CLAIM, "tenant");
        assertThat(refused(issuer.token().claim("groups", List.of("a", 7)).compact()))
                .extracting(OidcException::reason, OidcException::value).containsExactly(Reason.INVALID_CLAIM, "groups");
    }

    @Test
    void anUnknownKeyIdIsRefusedAfterOneRefreshOfTheKeys() {
        verifier.verify(issuer.token().compact());
        assertThat(issuer.jwksRequests()).isEqualTo(1);
        clock.advance(OidcConfig.DEFAULT_JWKS_MIN_REFRESH_INTERVAL);

        OidcException e = refused(issuer.token().kid("made-up").compact());

        assertThat(e).extracting(OidcException::reason, OidcException::value)
                .containsExactly(Reason.UNKNOWN_KEY_ID, "made-up");
        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void aFloodOfUnknownKeyIdsFetchesTheKeysAtMostOncePerInterval() {
        verifier.verify(issuer.token().compact());
        clock.advance(OidcConfig.DEFAULT_JWKS_MIN_REFRESH_INTERVAL);

        for (int i = 0; i < 50; i++) assertThat(refused(issuer.token().kid("kid-" + i).compact()).reason())
                .isEqualTo(Reason.UNKNOWN_KEY_ID);
        assertThat(issuer.jwksRequests()).isEqualTo(2);

        clock.advance(OidcConfig.DEFAULT_JWKS_MIN_REFRESH_INTERVAL);
        refused(issuer.token().kid("kid-next").compact());
        assertThat(issuer.jwksRequests()).isEqualTo(3);
    }

    @Test
    void unknownKeyIdsFromManyThreadsAtOnceFetchTheKeysOnce() throws Exception {
        verifier.verify(issuer.token().compact());
        clock.advance(OidcConfig.DEFAULT_JWKS_MIN_REFRESH_INTERVAL);
        List<String> forged = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) forged.add(issuer.token().kid("kid-" + i).compact());

        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<Reason>> reasons = new java.util.ArrayList<>();
            for (String t : forged) reasons.add(threads.submit(() -> refused(t).reason()));
            for (var r : reasons) assertThat(r.get()).isEqualTo(Reason.UNKNOWN_KEY_ID);
        }

        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void aTamperedPayloadFailsTheSignature() {
        String good = issuer.token().subject("alice").claim("tenant", "ocean-team").compact();
        ObjectNode claims = TokenBuilder.payload(good);
        claims.put("tenant", "fire-team");

        OidcException e = refused(TokenBuilder.withPayload(good, claims));

        assertThat(e).extracting(OidcException::reason, OidcException::value)
                .containsExactly(Reason.BAD_SIGNATURE, issuer.currentKey().kid());
    }

    @Test
    void aTokenSignedByAnotherKeyUnderTheIssuersKeyIdFailsTheSignature() {
        SigningKey impostor = SigningKey.rsa(issuer.currentKey().kid());

        assertThat(refused(issuer.token().signedWith(impostor).compact()).reason()).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aKeyIdOfAnotherKeyTypeIsNotUsedForTheAlgorithm() {
        // ES256 header naming the RSA key: the RSA key is not a candidate for ES256
        SigningKey ec = SigningKey.ec("rsa-1", "ES256");

        assertThat(refused(issuer.token().signedWith(ec).compact()).reason()).isEqualTo(Reason.UNKNOWN_KEY_ID);
    }

    @Test
    void aKeyRotatedInAtTheIssuerIsPickedUpByARefresh() {
        verifier.verify(issuer.token().compact());
        SigningKey next = issuer.rotate("rsa-2");
        clock.advance(OidcConfig.DEFAULT_JWKS_MIN_REFRESH_INTERVAL);

        OidcIdentity id = verifier.verify(issuer.token().subject("bob").compact());

        assertThat(id.subject()).isEqualTo("bob");
        assertThat(issuer.currentKey()).isEqualTo(next);
        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void aKeyRetiredAtTheIssuerIsNoLongerAcceptedOnceTheCacheTimeIsOver() {
        String old = issuer.token().expiresAt(T0.plus(Duration.ofDays(1))).compact();
        verifier.verify(old);
        issuer.rotate("rsa-2");
        issuer.retire("rsa-1");

        clock.advance(OidcConfig.DEFAULT_JWKS_CACHE_TIME);

        assertThat(refused(old)).extracting(OidcException::reason, OidcException::value)
                .containsExactly(Reason.UNKNOWN_KEY_ID, "rsa-1");
    }

    @Test
    void keysAreFetchedOnceAndKeptForTheCacheTime() {
        for (int i = 0; i < 5; i++) verifier.verify(issuer.token().compact());
        assertThat(issuer.jwksRequests()).isEqualTo(1);
        assertThat(issuer.discoveryRequests()).isEqualTo(1);

        clock.advance(OidcConfig.DEFAULT_JWKS_CACHE_TIME);
        verifier.verify(issuer.token().compact());

        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void keysAlreadyFetchedAreUsedWhileTheIssuerIsDown() {
        String token = issuer.token().expiresAt(T0.plus(Duration.ofDays(1))).compact();
        verifier.verify(token);
        issuer.close();
        clock.advance(OidcConfig.DEFAULT_JWKS_CACHE_TIME);

        assertThat(verifier.verify(token).subject()).isEqualTo("user-1");
    }

    @Test
    void anIssuerThatCannotBeReachedLeavesTokensUnchecked() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + port + "/oidc";
        verifier = new OidcVerifier(OidcConfig.of(nowhere, AUDIENCE), clock);

        OidcException e = refused(issuer.token().issuer(nowhere).compact());

        assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(e.getMessage()).contains(nowhere + "/.well-known/openid-configuration");
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsNotTrusted() {
        issuer.discoveryIssuer("https://evil.example");

        OidcException e = refused(issuer.token().compact());

        assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(e.getMessage()).contains("https://evil.example");
        assertThat(issuer.jwksRequests()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a.b", "a.b.c.d", "!!!.e30.sig", "e30.e30.", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln"})
    void somethingThatIsNotAJwsIsMalformed(String token) {
        assertThat(refused(token).reason()).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void anEncryptedTokenIsRefused() {
        assertThat(refused("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d").reason())
                .isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void aCriticalHeaderIsRefused() {
        OidcException e = refused(issuer.token().header("crit", List.of("exp-ext")).header("exp-ext", 1).compact());

        assertThat(e).extracting(OidcException::reason, OidcException::value).containsExactly(Reason.MALFORMED, "exp-ext");
    }

    @Test
    void aTokenLongerThanTheLimitIsRefusedBeforeDecoding() {
        String huge = issuer.token().claim("padding", "x".repeat(OidcVerifier.MAX_LENGTH)).compact();

        assertThat(refused(huge).reason()).isEqualTo(Reason.MALFORMED);
        assertThat(issuer.jwksRequests()).isZero();
    }

    @Test
    void aJwtIsToldFromAnOpaqueTokenByItsFormAlone() {
        assertThat(OidcVerifier.isJwtForm(issuer.token().compact())).isTrue();
        assertThat(OidcVerifier.isJwtForm(issuer.token().unsigned().compact())).isTrue(); // the form, not the validity
        assertThat(OidcVerifier.isJwtForm("orch_3q9Zk2VbHn7WmXpL0aR5tYcE8uJfGdS1")).isFalse();
        assertThat(OidcVerifier.isJwtForm("a.b")).isFalse();
        assertThat(OidcVerifier.isJwtForm("a.b c.d")).isFalse();
        assertThat(issuer.jwksRequests()).isZero();
    }

    @Test
    void aBadConfigurationIsRefusedNamingTheFieldAndValue() {
        assertThatThrownBy(() -> OidcConfig.of("ftp://issuer.example", AUDIENCE))
                .hasMessageContaining("issuer").hasMessageContaining("ftp://issuer.example");
        assertThatThrownBy(() -> OidcConfig.of("https://issuer.example", " "))
                .hasMessageContaining("audience");
        assertThatThrownBy(() -> new OidcConfig("https://issuer.example", AUDIENCE, "tenant", "groups",
                OidcConfig.ASYMMETRIC, Duration.ofSeconds(-1), Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("clockSkew").hasMessageContaining("PT-1S");
        assertThat(OidcConfig.of("https://issuer.example/realms/x/", AUDIENCE).discoveryUri())
                .hasToString("https://issuer.example/realms/x/.well-known/openid-configuration");
    }
}
