package io.orchide.node;

import io.orchide.node.api.NodeToken;
import io.orchide.node.layout.NodeLayout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

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
}
