package io.orchide.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate is asked before every handler: what it refuses never reaches one, and what it learns the handler reads. */
class GateTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger handled = new AtomicInteger();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(new InetSocketAddress("127.0.0.1", 0));
        server.route("GET", "/api/v1/who", (ex, m) -> {
            handled.incrementAndGet();
            Exchange.send(ex, 200, Exchange.JSON.objectNode().put("caller", (String) ex.getAttribute("caller")));
        });
        server.gate(ex -> {
            String h = ex.getRequestHeaders().getFirst("Authorization");
            if (h == null) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "unauthenticated", "no credential");
            }
            ex.setAttribute("caller", h.substring("Bearer ".length()));
        });
        server.start();
    }

    @AfterEach
    void stop() { server.close(); }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusalIsAnsweredWithItsHeadersAndNoHandlerRuns() throws Exception {
        HttpResponse<String> r = get("/api/v1/who", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"code\" : \"unauthenticated\"");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(handled).hasValue(0);
    }

    @Test
    void anAdmittedRequestReachesItsHandlerWithWhatTheGateLearned() throws Exception {
        HttpResponse<String> r = get("/api/v1/who", "Bearer alice");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("alice");
        assertThat(handled).hasValue(1);
    }
}
