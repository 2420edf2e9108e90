package io.orchide.node;

import io.orchide.node.api.NodeToken;
import io.orchide.node.layout.NodeLayout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A test's requests to its running node agent's HTTP API, with the token the agent wrote in its data directory. */
final class AgentCalls {
    private AgentCalls() {
    }

    static HttpResponse<String> call(NodeAgent agent, Path dir, String method, String path, HttpRequest.BodyPublisher body)
            throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + path))
                .header("Authorization", "Bearer " + NodeToken.read(NodeLayout.of(dir).token()).value())
                .method(method, body).build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** The same with a text body, or none when {@code body} is null. */
    static HttpResponse<String> call(NodeAgent agent, Path dir, String method, String path, String body) throws Exception {
        return call(agent, dir, method, path,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    /** Applies {@code manifest}, which must be created. */
    static void apply(NodeAgent agent, Path dir, String manifest) throws Exception {
        HttpResponse<String> r = call(agent, dir, "POST", "/api/v1/apply", manifest);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** Applies the App {@code name} of ocean-team with {@code spec} (indented as under spec:), never restarted. */
    static void applyApp(NodeAgent agent, Path dir, String name, String spec) throws Exception {
        apply(agent, dir, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: ocean-team}
                spec:
                %s  restart: {policy: Never}
                """.formatted(name, spec));
    }

    /** The workload's logs, once they contain {@code marker} (within 60 s). */
    static String logsOnceContaining(NodeAgent agent, Path dir, String workload, String marker) {
        String[] logs = new String[1];
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            logs[0] = call(agent, dir, "GET", "/api/v1/workloads/" + workload + "/logs", (String) null).body();
            assertThat(logs[0]).contains(marker);
        });
        return logs[0];
    }
}
