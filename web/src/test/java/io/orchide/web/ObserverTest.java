package io.orchide.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The observer (ground's request metrics) counts an answer before its client can read it. */
class ObserverTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void eachAnswerIsToldWithItsStatusBeforeTheClientHasIt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        server = new ApiServer(new InetSocketAddress("127.0.0.1", 0));
        server.route("GET", "/ok", (ex, m) -> Exchange.send(ex, 200, Exchange.JSON.objectNode().put("ok", true)));
        server.route("GET", "/bad", (ex, m) -> {
            throw new ApiException(422, "invalid", "no");
        });
        server.observe((ex, status) -> seen.add(ex.getRequestURI().getPath() + " " + status));
        server.start();
        for (int i = 0; i < 50; i++) {
            for (String path : List.of("/ok", "/bad")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.address().getPort() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                // read by the client: already told, never afterwards
                assertThat(seen).as("after answer %d of %s", i, path).hasSize(2 * i + (path.equals("/ok") ? 1 : 2));
                assertThat(seen.getLast()).isEqualTo(path + " " + r.statusCode());
            }
        }
    }
}
