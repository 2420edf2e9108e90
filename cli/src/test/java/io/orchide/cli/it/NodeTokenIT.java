package io.orchide.cli.it;

import io.orchide.testkit.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The node's local API is closed to whoever lacks the node's token, through the real distribution. */
class NodeTokenIT {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    /** {@code orchide node token ARGS} as a separate process, as a user on the node runs it: exit status and output. */
    private static String[] nodeToken(String... args) throws Exception {
        List<String> cmd = ServiceProcess.orchide(List.of(), java.util.stream.Stream.concat(
                java.util.stream.Stream.of("node", "token"), java.util.stream.Stream.of(args)).toList());
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String[]{Integer.toString(p.exitValue()), out, err};
    }

    private HttpResponse<String> get(Agent agent, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(agent.server() + path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyTheHolderOfTheTokenThatNodeTokenPrintsMayUseTheApiAcrossRestarts() throws Exception {
        Path data = tmp.resolve("node");
        int port = Fixtures.freePort();
        String[] missing = nodeToken("--data-dir", data.toString());
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[2]).contains("no node token at " + data.resolve("node.token"));

        Agent agent = new Agent(data, port).start();
        try {
            String[] printed = nodeToken("--data-dir", data.toString());
            assertThat(printed[0]).as(printed[2]).isEqualTo("0");
            String token = printed[1].strip();
            assertThat(token).startsWith("ont_").isEqualTo(agent.token());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("node.token"))))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(agent.log())).contains("every API call needs the node's token ("
                    + data.resolve("node.token") + "): export ORCHIDE_TOKEN=$(orchide node token --data-dir " + data + ")");

            HttpResponse<String> none = get(agent, "/api/v1/workloads", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
            assertThat(none.body()).contains("unauthenticated");
            for (int i = 0; i < 30; i++) assertThat(get(agent, "/api/v1/node", "ont_wrong" + i).statusCode()).isEqualTo(401);
            assertThat(get(agent, "/api/v1/health", null).statusCode()).isEqualTo(200);
            assertThat(get(agent, "/api/v1/workloads", token).statusCode()).isEqualTo(200);

            Cli.Result refused = new Cli(agent.server()).run("get", "workloads");
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.err()).contains("[unauthenticated]")
                    .contains("export ORCHIDE_TOKEN=$(orchide node token --data-dir DIR)");
            assertThat(agent.cli().ok("get", "workloads")).contains("NAME");

            // a scan of 31 refused calls from one address is one line in the agent's log, not 31
            String log = Files.readString(agent.log());
            assertThat(log.lines().filter(l -> l.contains("API call refused from 127.0.0.1"))).hasSize(1);
            assertThat(log).doesNotContain(token);

            agent.close();
            agent = new Agent(data, port).start();
            assertThat(agent.token()).isEqualTo(token);
            assertThat(new Cli(agent.server(), token).ok("get", "workloads")).contains("NAME");
        } finally {
            agent.close();
        }
    }

    @Test
    void anAgentRefusesATokenFileOthersMayReadAndSaysWhenItListensBeyondLoopback() throws Exception {
        Path data = tmp.resolve("open");
        int port = Fixtures.freePort();
        try (Agent agent = new Agent(data, port, "--listen", "0.0.0.0:" + port).start()) {
            assertThat(Files.readString(agent.log())).contains("warning: the API listens on")
                    .contains("every address");
        }
        Files.setPosixFilePermissions(data.resolve("node.token"), PosixFilePermissions.fromString("rw-r--r--"));

        Agent refused = new Agent(data, port);
        try {
            refused.start();
            throw new AssertionError("the agent started with a token file others may read");
        } catch (IllegalStateException e) {
            assertThat(e.getMessage()).contains("permissions 0644 for " + data.resolve("node.token") + " are too open");
        } finally {
            refused.close();
        }
    }
}
