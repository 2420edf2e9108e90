package io.orchide.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.web.ApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The contact switch of a node whose link to ground is still starting (it probes its monitors first). */
class LinkApiTest {
    private final AtomicReference<Boolean> wanted = new AtomicReference<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(new InetSocketAddress("127.0.0.1", 0));
        new LinkApi(() -> null, wanted).register(server);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aContactSetWhileTheLinkStartsIsAcceptedAndRememberedForWhenItIsUp() throws Exception {
        HttpResponse<String> r = post("{\"open\": true}");
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.path("contact").asText()).isEqualTo("open");
        assertThat(body.path("state").asText()).isEqualTo("starting");
        assertThat(wanted.get()).isTrue();

        assertThat(post("{\"open\": false}").statusCode()).isEqualTo(202);
        assertThat(wanted.get()).isFalse(); // the last word counts

        HttpResponse<String> view = http.send(HttpRequest.newBuilder(uri()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(view.statusCode()).isEqualTo(503);
        assertThat(view.body()).contains("starting");
    }

    @Test
    void aBadSwitchIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
        post("{\"open\": true}");
        HttpResponse<String> r = post("{\"open\": \"yes\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("open").contains("must be true or false").contains("yes");
        assertThat(post("{}").statusCode()).isEqualTo(400);
        assertThat(wanted.get()).isTrue();
    }

    private HttpResponse<String> post(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/v1/link");
    }
}
