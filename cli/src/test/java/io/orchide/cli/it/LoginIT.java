package io.orchide.cli.it;

import io.orchide.client.config.ConfigFile;
import io.orchide.client.config.Context;
import io.orchide.ground.auth.oidc.OidcConfig;
import io.orchide.ground.auth.oidc.OidcVerifier;
import io.orchide.testkit.ServiceProcess;
import io.orchide.testkit.oidc.TestOidcIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code orchide login --oidc-issuer} from the distribution jar, in a process of its own, as a user runs it: the test
 * reads the code the CLI prints, approves it at a real issuer on loopback, finds the token in the context, and a real
 * ground started with {@code --oidc-issuer} takes it as the developer of ocean-team its groups make it.
 */
class LoginIT {
    private static final Pattern CODE = Pattern.compile("enter the code ([A-Z]{4}-[A-Z]{4})");

    @TempDir
    Path dir;

    private Process orchide(Path config, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ServiceProcess.orchide(List.of("-XX:+UseSerialGC"), List.of(args)))
                .redirectErrorStream(true);
        pb.environment().put("ORCHIDE_CONFIG", config.toString());
        return pb.start();
    }

    private static String finish(Process p) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("orchide exits").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(120) // a CLI that never prints its code would otherwise hold the build on readLine
    void theUserApprovesTheCodeTheCliPrintsAndTheTokenLandsInTheContext() throws Exception {
        Path config = dir.resolve("config");
        try (TestOidcIssuer issuer = TestOidcIssuer.start(Clock.systemUTC());
             Ground ground = new Ground(dir.resolve("g"), Fixtures.freePort(), Fixtures.freePort(),
                     "--oidc-issuer", issuer.issuer(), "--oidc-audience", "orchide-cli").start()) {
            issuer.deviceInterval(1);
            ground.cli().ok("create", "tenant", "ocean-team");
            assertThat(finish(orchide(config, "config", "set-context", "ocean", "--server", ground.server()))).contains("made");
            assertThat(finish(orchide(config, "config", "use-context", "ocean"))).contains("switched");

            Process login = orchide(config, "login", "--oidc-issuer", issuer.issuer(), "--client-id", "orchide-cli");
            BufferedReader out = new BufferedReader(new InputStreamReader(login.getInputStream(), StandardCharsets.UTF_8));
            String code = null;
            StringBuilder seen = new StringBuilder();
            for (String line; code == null && (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = CODE.matcher(line);
                if (m.find()) code = m.group(1);
            }
            assertThat(code).as("the code printed in:\n" + seen).isNotNull();
            issuer.approve(code, "alice", Map.of("tenant", "ocean-team", "groups", List.of("staff", "orchide:developer")));
            assertThat(login.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String rest = new String(login.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(login.exitValue()).as(seen + rest).isZero();
            Context ocean = new ConfigFile(config).read().context("ocean").orElseThrow();
            assertThat(ocean.issuer()).isEqualTo(issuer.issuer());
            assertThat(seen + rest).contains("stored in context ocean").doesNotContain(ocean.token());
            var who = new OidcVerifier(OidcConfig.of(issuer.issuer(), "orchide-cli"), Clock.systemUTC()).verify(ocean.token());
            assertThat(who.subject()).isEqualTo("alice");
            assertThat(who.tenant()).isEqualTo("ocean-team");

            // ground, started with --oidc-issuer, takes the stored token: a developer of ocean-team by its groups
            String whoami = finish(orchide(config, "auth", "whoami"));
            assertThat(whoami).contains(issuer.issuer() + "#alice").contains("developer in tenant ocean-team");
        }
    }
}
