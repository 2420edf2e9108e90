package io.orchide.cli;

import io.orchide.node.api.NodeApiSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.orchide.cli.PipelineVerbsTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --token}, {@code ORCHIDE_TOKEN} and the contexts of {@code orchide config}: which server a verb talks to, the
 * bearer token it sends there, and that the token shows in nothing the CLI prints.
 */
class ContextsAndCredentialsTest {
    private static final String CONTEXT_TOKEN = "ctx-4b1d9e0a77";
    private static final String ENV_TOKEN = "env-93c2aa51f0";
    private static final String FLAG_TOKEN = "flag-58e6d2b3c4";

    @RegisterExtension
    final FakeServer node = FakeServer.node();

    @TempDir
    Path dir;

    private Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("ORCHIDE_CONFIG", dir.resolve("config").toString());
        for (int i = 0; i < keyValues.length; i += 2) env.put(keyValues[i], keyValues[i + 1]);
        return env;
    }

    private FakeServer.Result cli(Map<String, String> env, String... args) {
        return FakeServer.cli(env, args);
    }

    private void context(String name, String server, String token, String... more) {
        List<String> args = new ArrayList<>(List.of("config", "set-context", name, "--server", server, "--token", token));
        args.addAll(List.of(more));
        FakeServer.Result r = cli(env(), args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(cli(env(), "config", "use-context", name).status()).isZero();
    }

    @Test
    void aTokenGivenWithTheFlagIsSentAsBearerOnEveryRequest() throws Exception {
        try (FakeServer ground = FakeServer.ground()) {
            ground.unknown("GET /api/v1/workloads")
                    .on("GET /api/v1/satellites", 200, "{\"items\":[{\"name\":\"sat-1\"}]}");

            ground.run(env(), "get", "workloads", "--token", FLAG_TOKEN);

            // the refused call and the probe that tells ground from a node both carry it
            assertThat(ground.requests).hasSize(2)
                    .allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer " + FLAG_TOKEN));
        }
    }

    @Test
    void orchideTokenFromTheEnvironmentIsSentAsBearer() {
        node.on("GET /api/v1/workloads", 200, NodeApiSamples.workloads("hello"));

        FakeServer.Result r = node.run(env("ORCHIDE_TOKEN", ENV_TOKEN), "get", "workloads");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(node.only().authorization()).isEqualTo("Bearer " + ENV_TOKEN);
    }

    @Test
    void aSeparateProcessReadsOrchideTokenAndOrchideServerFromItsRealEnvironment() throws Exception {
        node.on("GET /api/v1/workloads", 200, NodeApiSamples.workloads("hello"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "get", "workloads")
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(Map.of("ORCHIDE_SERVER", node.url(), "ORCHIDE_TOKEN", ENV_TOKEN,
                "ORCHIDE_CONFIG", dir.resolve("config").toString()));
        Process p = pb.start();
        String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(p.waitFor()).as(printed).isZero();
        assertThat(printed).contains("hello").doesNotContain(ENV_TOKEN);
        assertThat(node.only().authorization()).isEqualTo("Bearer " + ENV_TOKEN);
    }

    @Test
    void withNoTokenAnywhereNoAuthorizationIsSent() {
        node.on("GET /api/v1/workloads", 200, NodeApiSamples.workloads("hello"));

        node.run(env(), "get", "workloads");

        assertThat(node.only().authorization()).isNull();
    }

    @Test
    void theCurrentContextGivesTheServerTheTokenAndTheSatellite() throws Exception {
        try (FakeServer ground = FakeServer.ground()) {
            ground.on("GET /api/v1/satellites/sat-1/workloads", 200, "{\"items\":[]}");
            context("ocean", ground.url(), CONTEXT_TOKEN, "--satellite", "sat-1", "--tenant", "ocean-team");

            FakeServer.Result r = cli(env(), "get", "workloads");

            assertThat(r.status()).as(r.err()).isZero();
            assertThat(ground.only().path()).isEqualTo("/api/v1/satellites/sat-1/workloads");
            assertThat(ground.only().authorization()).isEqualTo("Bearer " + CONTEXT_TOKEN);
        }
    }

    @Test
    void theContextsTenantIsWhatCanIAndCreateMeanWhenNoTenantIsGivenAndTheFlagWins() throws Exception {
        try (FakeServer ground = FakeServer.ground()) {
            ground.on("POST /api/v1/auth/can-i", 200, "{\"allowed\":true,\"verb\":\"delete\",\"resource\":\"pipelines\"}")
                    .on("POST /api/v1/tokens", 201, "{\"id\":\"a1\",\"principal\":\"sa-a1\",\"role\":\"developer\","
                            + "\"token\":\"orch_x\"}")
                    .on("POST /api/v1/rolebindings", 201, "{\"id\":\"rb-1\",\"principal\":\"sa-1\",\"role\":\"viewer\","
                            + "\"tenant\":\"ocean-team\"}");
            context("ocean", ground.url(), CONTEXT_TOKEN, "--tenant", "ocean-team");

            for (String[] args : new String[][]{{"auth", "can-i", "delete", "pipelines"},
                    {"create", "token", "--role", "developer"},
                    {"create", "rolebinding", "--principal", "sa-1", "--role", "viewer"}}) {
                FakeServer.Result r = cli(env(), args);
                assertThat(r.status()).as(r.err()).isZero();
            }
            assertThat(ground.requests).extracting(FakeServer.Request::body)
                    .allSatisfy(body -> assertThat(body).contains("\"tenant\":\"ocean-team\""));

            ground.requests.clear();
            cli(env(), "auth", "can-i", "delete", "pipelines", "--tenant", "fire-team");
            cli(env(), "create", "token", "--role", "developer", "--tenant", "fire-team");
            assertThat(ground.requests).extracting(FakeServer.Request::body)
                    .allSatisfy(body -> assertThat(body).contains("\"tenant\":\"fire-team\"").doesNotContain("ocean-team"));

            // a fleet role is bound fleet-wide: the default tenant does not apply to it
            ground.requests.clear();
            cli(env(), "create", "token", "--role", "operator");
            cli(env(), "create", "rolebinding", "--principal", "sa-1", "--role", "platform-admin");
            assertThat(ground.requests).extracting(FakeServer.Request::body)
                    .allSatisfy(body -> assertThat(body).doesNotContain("tenant"));
        }
    }

    @Test
    void theContextsSatelliteIsWhereApplyDeleteAndEventGoAndTheFlagWins() throws Exception {
        try (FakeServer ground = FakeServer.ground()) {
            ground.on("DELETE /api/v1/satellites/sat-1/apps/hello", 200, "{\"generation\":2}")
                    .on("POST /api/v1/satellites/sat-1/events", 202, "{\"bundle\":\"event.sat-1.1\"}")
                    .on("POST /api/v1/satellites/sat-2/events", 202, "{\"bundle\":\"event.sat-2.1\"}");
            context("ocean", ground.url(), CONTEXT_TOKEN, "--satellite", "sat-1");

            assertThat(cli(env(), "delete", "workload", "hello").status()).isZero();
            assertThat(cli(env(), "event", "scene").status()).isZero();
            assertThat(cli(env(), "event", "scene", "--satellite", "sat-2").status()).isZero();

            assertThat(ground.requests).extracting(FakeServer.Request::path).containsExactly(
                    "/api/v1/satellites/sat-1/apps/hello", "/api/v1/satellites/sat-1/events", "/api/v1/satellites/sat-2/events");
        }
    }

    @Test
    void aFlagBeatsTheEnvironmentWhichBeatsTheContext() throws Exception {
        node.on("GET /api/v1/workloads", 200, NodeApiSamples.workloads("hello"));
        context("lab", node.url(), CONTEXT_TOKEN);

        cli(env(), "get", "workloads");
        cli(env("ORCHIDE_TOKEN", ENV_TOKEN), "get", "workloads");
        cli(env("ORCHIDE_TOKEN", ENV_TOKEN), "get", "workloads", "--token", FLAG_TOKEN);

        assertThat(node.requests).extracting(FakeServer.Request::authorization)
                .containsExactly("Bearer " + CONTEXT_TOKEN, "Bearer " + ENV_TOKEN, "Bearer " + FLAG_TOKEN);
    }

    @Test
    void theServerFromTheFlagBeatsTheEnvironmentWhichBeatsTheContext() throws Exception {
        try (FakeServer other = FakeServer.node(); FakeServer third = FakeServer.node()) {
            for (FakeServer s : List.of(node, other, third)) s.on("GET /api/v1/workloads", 200, NodeApiSamples.workloads("hello"));
            context("lab", node.url(), CONTEXT_TOKEN);

            cli(env(), "get", "workloads");
            cli(env("ORCHIDE_SERVER", other.url()), "get", "workloads");
            cli(env("ORCHIDE_SERVER", other.url()), "get", "workloads", "--server", third.url());

            assertThat(List.of(node.requests.size(), other.requests.size(), third.requests.size()))
                    .containsExactly(1, 1, 1);
            // the context's token belongs to the context's server: another server is not sent it
            assertThat(other.only().authorization()).isNull();
            assertThat(third.only().authorization()).isNull();
        }
    }

    @Test
    void contextsAreListedWithTheCurrentMarkedAndNoToken() {
        context("ocean", "http://127.0.0.1:7000", CONTEXT_TOKEN, "--tenant", "ocean-team", "--satellite", "sat-1");
        assertThat(cli(env(), "config", "set-context", "lab", "--server", "127.0.0.1:7100").status()).isZero();

        FakeServer.Result r = cli(env(), "config", "get-contexts");

        assertThat(rows(r.out())).containsExactly(
                List.of("CURRENT", "NAME", "SERVER", "TENANT", "SATELLITE", "TOKEN"),
                List.of("*", "ocean", "http://127.0.0.1:7000", "ocean-team", "sat-1", "set"),
                List.of("", "lab", "http://127.0.0.1:7100", "-", "-", "-"));
        assertThat(cli(env(), "config", "current-context").out()).isEqualTo("ocean\n");
        assertThat(r.out() + r.err()).doesNotContain(CONTEXT_TOKEN);
    }

    @Test
    void setContextChangesOnlyTheFieldsGivenAndWritesTheFileForItsOwnerOnly() throws IOException {
        context("ocean", "http://127.0.0.1:7000", CONTEXT_TOKEN, "--tenant", "ocean-team");

        assertThat(cli(env(), "config", "set-context", "ocean", "--satellite", "sat-2").status()).isZero();

        Path file = dir.resolve("config");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(rows(cli(env(), "config", "get-contexts").out()).get(1))
                .containsExactly("*", "ocean", "http://127.0.0.1:7000", "ocean-team", "sat-2", "set");
    }

    @Test
    void aMalformedFileIsRefusedNamingFileFieldAndValueAndSetContextChangesNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("config"),
                "apiVersion: orchide.io/v1\nkind: Config\ncontexts:\n- name: ocean\n  server: ftp://ground:7000\n");
        String before = Files.readString(file);

        FakeServer.Result set = cli(env(), "config", "set-context", "lab", "--server", "http://127.0.0.1:7100");
        FakeServer.Result get = cli(env(), "get", "workloads");

        for (FakeServer.Result r : List.of(set, get)) {
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: " + file + ": contexts[0].server: not http or https (got ftp://ground:7000)");
        }
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(node.requests).isEmpty();
    }

    @Test
    void badValuesForSetContextAreRefusedNamingTheFlagAndChangeNothing() {
        for (String[] bad : new String[][]{{"--server", "ftp://x:1"}, {"--tenant", "Ocean Team"},
                {"--satellite", "sat_1"}}) {
            FakeServer.Result r = cli(env(), "config", "set-context", "ocean", bad[0], bad[1]);

            assertThat(r.status()).as(bad[0]).isEqualTo(1);
            assertThat(r.err()).as(bad[0]).contains(bad[0] + ": ").contains(bad[1]).contains("nothing was changed");
        }
        assertThat(cli(env(), "config", "use-context", "ocean").err()).contains("no context named ocean");
        assertThat(dir.resolve("config")).doesNotExist();
    }

    @Test
    void theTokenIsInNothingTheCliPrints() throws Exception {
        node.on("GET /api/v1/workloads", 200, NodeApiSamples.workloads("hello"));
        node.on("GET /api/v1/workloads/hello", 401, "{\"code\":\"unauthenticated\",\"message\":\"unknown token\"}");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        List<FakeServer.Result> printed = new ArrayList<>();
        printed.add(cli(env(), "config", "set-context", "ocean", "--server", node.url(), "--token", CONTEXT_TOKEN));
        printed.add(cli(env(), "config", "use-context", "ocean"));
        printed.add(cli(env(), "config", "get-contexts"));
        printed.add(cli(env(), "config", "current-context"));
        printed.add(cli(env(), "get", "workloads"));
        printed.add(cli(env(), "get", "workloads", "-o", "json"));
        printed.add(cli(env(), "describe", "workload", "hello"));
        printed.add(cli(env(), "get", "workloads", "--server", "http://127.0.0.1:" + closed, "--token", CONTEXT_TOKEN));
        printed.add(cli(env(), "get", "workloads", "--server", "ftp://x:1", "--token", CONTEXT_TOKEN));
        printed.add(cli(env(), "get", "workloads", "--token", CONTEXT_TOKEN + " \r\nX-Injected: 1"));
        printed.add(cli(env(), "config", "set-context", "ocean", "--token", CONTEXT_TOKEN + " x"));
        Files.writeString(dir.resolve("config"), "contexts:\n- name: ocean\n  token: \"" + CONTEXT_TOKEN + "\t\"\n");
        printed.add(cli(env(), "get", "workloads"));
        Files.writeString(dir.resolve("config"), "contexts:\n- name: ocean\n  token: " + CONTEXT_TOKEN + ": x\n");
        printed.add(cli(env(), "config", "get-contexts"));

        assertThat(printed.stream().filter(r -> r.status() == 0)).hasSize(6);
        assertThat(printed).allSatisfy(r -> assertThat(r.out() + r.err()).doesNotContain(CONTEXT_TOKEN)
                .doesNotContain("4b1d9e0a77"));
        assertThat(printed.get(9).err()).contains("token: holds a space");
        assertThat(printed.get(11).err()).contains("contexts[0].token: holds a space");
    }
}
