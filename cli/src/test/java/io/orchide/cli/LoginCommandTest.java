package io.orchide.cli;

import io.orchide.client.config.ConfigFile;
import io.orchide.client.config.Context;
import io.orchide.ground.auth.oidc.OidcConfig;
import io.orchide.ground.auth.oidc.OidcIdentity;
import io.orchide.ground.auth.oidc.OidcVerifier;
import io.orchide.testkit.oidc.TestOidcIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code orchide login}: a token given as it is, and the OIDC device login against a real issuer on loopback, where the
 * test plays the user who approves, refuses or lets the code expire; the token lands in the context, never on screen.
 */
class LoginCommandTest {
    private static final String CLIENT = "orchide-cli";
    private static final String API_TOKEN = "api-2c7e91d04b";

    @TempDir
    Path dir;

    private final TestOidcIssuer issuer = TestOidcIssuer.start(Clock.systemUTC());

    @AfterEach
    void stop() {
        issuer.close();
    }

    private Map<String, String> env() {
        return Map.of("ORCHIDE_CONFIG", dir.resolve("config").toString());
    }

    private FakeServer.Result cli(String... args) {
        return FakeServer.cli(env(), args);
    }

    private void currentContext(String name) {
        assertThat(cli("config", "set-context", name, "--server", "http://127.0.0.1:7000").status()).isZero();
        assertThat(cli("config", "use-context", name).status()).isZero();
    }

    private Context context(String name) {
        return new ConfigFile(dir.resolve("config")).read().context(name).orElseThrow();
    }

    /** Runs a device login in the background; {@code user} acts on the user code once the issuer has handed it out. */
    private FakeServer.Result deviceLogin(Consumer<String> user) {
        issuer.deviceInterval(1);
        CompletableFuture<FakeServer.Result> login = CompletableFuture.supplyAsync(() ->
                cli("login", "--oidc-issuer", issuer.issuer(), "--client-id", CLIENT));
        await().atMost(Duration.ofSeconds(30)).until(() -> !issuer.pendingUserCodes().isEmpty() || login.isDone());
        assertThat(login).as("the login ended before it was given a code").isNotDone();
        user.accept(issuer.pendingUserCodes().getFirst());
        return login.join();
    }

    @Test
    void aTokenGivenAsItIsIsStoredInTheCurrentContextAndNotPrinted() {
        currentContext("ocean");

        FakeServer.Result r = cli("login", "--token", API_TOKEN);

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("stored in context ocean for http://127.0.0.1:7000").doesNotContain(API_TOKEN);
        assertThat(context("ocean")).extracting(Context::token, Context::issuer).containsExactly(API_TOKEN, null);
    }

    @Test
    void anApprovedDeviceLoginStoresTheIssuersTokenWithTheIssuerAndGroundsVerifierAcceptsIt() {
        currentContext("ocean");

        FakeServer.Result r = deviceLogin(code -> issuer.approve(code, "alice",
                Map.of("tenant", "ocean-team", "groups", List.of("developers"))));

        assertThat(r.status()).as(r.err()).isZero();
        Context stored = context("ocean");
        assertThat(stored.issuer()).isEqualTo(issuer.issuer());
        assertThat(r.out()).contains(issuer.issuer() + "/activate").contains("enter the code ")
                .contains("stored in context ocean").doesNotContain(stored.token());
        OidcIdentity who = new OidcVerifier(OidcConfig.of(issuer.issuer(), CLIENT), Clock.systemUTC()).verify(stored.token());
        assertThat(who).extracting(OidcIdentity::subject, OidcIdentity::tenant, OidcIdentity::groups)
                .containsExactly("alice", "ocean-team", List.of("developers"));
    }

    @Test
    void theUserCodePrintedIsTheOneTheIssuerWaitsFor() {
        currentContext("ocean");
        String[] code = new String[1];

        FakeServer.Result r = deviceLogin(c -> {
            code[0] = c;
            issuer.approve(c, "alice");
        });

        assertThat(r.out()).contains("enter the code " + code[0]).contains("user_code=" + code[0]);
    }

    @Test
    void aRefusedDeviceLoginKeepsTheTokenThatWasThere() {
        currentContext("ocean");
        assertThat(cli("login", "--token", API_TOKEN).status()).isZero();

        FakeServer.Result r = deviceLogin(issuer::deny);

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("refused at " + issuer.issuer()).contains("nothing was changed");
        assertThat(context("ocean")).extracting(Context::token, Context::issuer).containsExactly(API_TOKEN, null);
    }

    @Test
    void anExpiredDeviceCodeEndsTheLoginAndChangesNothing() {
        currentContext("ocean");

        FakeServer.Result r = deviceLogin(issuer::expire);

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("expired").contains("log in again");
        assertThat(context("ocean").token()).isNull();
    }

    @Test
    void aTokenGivenAfterADeviceLoginReplacesTheTokenAndForgetsTheIssuer() {
        currentContext("ocean");
        assertThat(deviceLogin(code -> issuer.approve(code, "alice")).status()).isZero();

        assertThat(cli("login", "--token", API_TOKEN).status()).isZero();

        assertThat(context("ocean")).extracting(Context::token, Context::issuer).containsExactly(API_TOKEN, null);
    }

    @Test
    void withoutACurrentContextNothingIsWritten() {
        FakeServer.Result r = cli("login", "--token", API_TOKEN);

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("no current context").contains("config set-context").doesNotContain(API_TOKEN);
        assertThat(Files.exists(dir.resolve("config"))).isFalse();
    }

    @Test
    void anotherContextCanBeNamed() {
        currentContext("ocean");
        assertThat(cli("config", "set-context", "fire", "--server", "http://127.0.0.1:7001").status()).isZero();

        assertThat(cli("login", "--token", API_TOKEN, "--context", "fire").status()).isZero();

        assertThat(context("fire").token()).isEqualTo(API_TOKEN);
        assertThat(context("ocean").token()).isNull();
    }

    @Test
    void badFlagsAreRefusedNamingTheFlagAndTheValue() {
        currentContext("ocean");

        assertThat(cli("login").err()).contains("either --token TOKEN or --oidc-issuer URL --client-id ID");
        assertThat(cli("login", "--token", API_TOKEN, "--oidc-issuer", issuer.issuer()).err()).contains("either --token");
        assertThat(cli("login", "--oidc-issuer", issuer.issuer()).err()).contains("needs --client-id");
        assertThat(cli("login", "--oidc-issuer", "login.example.com", "--client-id", CLIENT).err())
                .contains("--oidc-issuer").contains("login.example.com");
        assertThat(cli("login", "--token", "two words").err()).contains("--token").doesNotContain("two words");
        assertThat(context("ocean").token()).isNull();
        assertThat(issuer.tokenRequests()).isZero();
    }

    @Test
    void loginAnswersHelp() {
        FakeServer.Result r = cli("login", "--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Usage: orchide login").contains("--oidc-issuer").contains("--client-id");
    }
}
