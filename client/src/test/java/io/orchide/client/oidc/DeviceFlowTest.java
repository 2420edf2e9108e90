package io.orchide.client.oidc;

import io.orchide.testkit.MutableClock;
import io.orchide.testkit.oidc.TestOidcIssuer;
import io.orchide.testkit.oidc.TokenBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The device login against a real issuer on loopback; the test plays the user, approving, refusing or letting the code
 * expire between two polls (from the flow's {@link DeviceFlow.Sleeper}, so that nothing really waits).
 */
class DeviceFlowTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final String CLIENT = "orchide-cli";

    private final MutableClock clock = new MutableClock(T0);
    private final TestOidcIssuer issuer = TestOidcIssuer.start(clock);
    private final List<Duration> waits = new ArrayList<>();

    @AfterEach
    void stop() {
        issuer.close();
    }

    /** A flow whose waits are recorded, move the clock, and before the n-th poll (from 1) do {@code user.accept(n)}. */
    private DeviceFlow flow(Clock flowClock, IntConsumer user) {
        return new DeviceFlow(issuer.issuer(), CLIENT, flowClock, d -> {
            waits.add(d);
            if (flowClock == clock) clock.advance(d);
            user.accept(waits.size());
        });
    }

    private String onlyPendingCode() {
        assertThat(issuer.pendingUserCodes()).hasSize(1);
        return issuer.pendingUserCodes().getFirst();
    }

    @Test
    void anApprovedLoginEndsWithAnIdTokenForThisClientNamingTheUser() {
        DeviceFlow flow = flow(clock, poll -> {
            if (poll == 3) issuer.approve(onlyPendingCode(), "alice", Map.of("tenant", "ocean-team"));
        });

        DeviceAuthorization a = flow.authorize("openid");
        DeviceTokens tokens = flow.await(a);

        assertThat(a.userCode()).matches("[A-Z]{4}-[A-Z]{4}");
        assertThat(a.verificationUri()).hasToString(issuer.issuer() + "/activate");
        assertThat(a.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(tokens.bearer()).isEqualTo(tokens.idToken());
        var claims = TokenBuilder.payload(tokens.bearer());
        assertThat(claims.get("iss").asText()).isEqualTo(issuer.issuer());
        assertThat(claims.get("aud").asText()).isEqualTo(CLIENT);
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("tenant").asText()).isEqualTo("ocean-team");
        assertThat(tokens.toString()).doesNotContain(tokens.idToken()).doesNotContain(tokens.accessToken());
    }

    @Test
    void slowDownMakesEveryLaterPollFiveSecondsLater() {
        issuer.slowDownNext(2);
        DeviceFlow flow = flow(clock, poll -> {
            if (poll == 4) issuer.approve(onlyPendingCode(), "alice");
        });

        flow.await(flow.authorize("openid"));

        assertThat(waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15),
                Duration.ofSeconds(15));
        assertThat(issuer.tokenRequests()).isEqualTo(4);
    }

    @Test
    void theIssuersIntervalIsHonoured() {
        issuer.deviceInterval(12);
        DeviceFlow flow = flow(clock, poll -> {
            if (poll == 2) issuer.approve(onlyPendingCode(), "alice");
        });

        flow.await(flow.authorize("openid"));

        assertThat(waits).containsExactly(Duration.ofSeconds(12), Duration.ofSeconds(12));
    }

    @Test
    void anIntervalOfZeroStillWaitsASecondBetweenPolls() {
        issuer.deviceInterval(0);
        DeviceFlow flow = flow(clock, poll -> {
            if (poll == 2) issuer.approve(onlyPendingCode(), "alice");
        });

        flow.await(flow.authorize("openid"));

        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void aRefusedLoginIsAccessDenied() {
        DeviceFlow flow = flow(clock, poll -> {
            if (poll == 2) issuer.deny(onlyPendingCode());
        });
        DeviceAuthorization a = flow.authorize("openid");

        DeviceFlowException e = catchThrowableOfType(DeviceFlowException.class, () -> flow.await(a));

        assertThat(e.error()).isEqualTo("access_denied");
        assertThat(e.getMessage()).contains("refused").contains(issuer.issuer()).doesNotContain(a.deviceCode());
    }

    @Test
    void aCodeTheIssuerExpiresEndsTheLogin() {
        DeviceFlow flow = flow(clock, poll -> {
            if (poll == 2) issuer.expire(onlyPendingCode());
        });
        DeviceAuthorization a = flow.authorize("openid");

        DeviceFlowException e = catchThrowableOfType(DeviceFlowException.class, () -> flow.await(a));

        assertThat(e.error()).isEqualTo("expired_token");
        assertThat(e.getMessage()).contains(a.userCode()).contains("log in again");
        assertThat(issuer.tokenRequests()).isEqualTo(2);
    }

    @Test
    void pollingStopsAtTheCodesExpiryEvenIfTheIssuerNeverSaysSo() {
        MutableClock flowClock = clock;
        // the issuer's clock stands still: to it the code never expires
        try (TestOidcIssuer frozen = TestOidcIssuer.start(Clock.fixed(T0, ZoneOffset.UTC))) {
            frozen.deviceCodeLifetime(Duration.ofSeconds(30));
            DeviceFlow flow = new DeviceFlow(frozen.issuer(), CLIENT, flowClock, d -> flowClock.advance(d));
            DeviceAuthorization a = flow.authorize("openid");

            DeviceFlowException e = catchThrowableOfType(DeviceFlowException.class, () -> flow.await(a));

            assertThat(e.error()).isEqualTo("expired_token");
            assertThat(a.expires()).isEqualTo(T0.plusSeconds(30));
            assertThat(frozen.tokenRequests()).isEqualTo(5); // at 5, 10, 15, 20, 25 s; none at 30 s
        }
    }

    @Test
    void aDiscoveryDocumentOfAnotherIssuerIsRefused() {
        issuer.discoveryIssuer("https://evil.example");

        DeviceFlowException e = catchThrowableOfType(DeviceFlowException.class,
                () -> flow(clock, poll -> { }).authorize("openid"));

        assertThat(e.getMessage()).contains("https://evil.example").contains("expected exactly " + issuer.issuer());
    }

    @Test
    void anIssuerThatCannotBeReachedIsSaidSo() {
        issuer.close();

        DeviceFlowException e = catchThrowableOfType(DeviceFlowException.class,
                () -> flow(clock, poll -> { }).authorize("openid"));

        assertThat(e.getMessage()).startsWith("cannot reach " + issuer.issuer() + "/.well-known/openid-configuration");
    }
}
