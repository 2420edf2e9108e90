package io.orchide.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A request body over the API's limit is answered 413 with the limit, not with a reset connection. */
class BodyLimitTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger handled = new AtomicInteger();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer(new InetSocketAddress("127.0.0.1", 0));
        server.route("POST", "/api/v1/apply", (ex, m) -> {
            String body = Exchange.body(ex);
            handled.incrementAndGet();
            Exchange.send(ex, 200, Exchange.JSON.objectNode().put("length", body.length()));
        });
        server.start();
    }

    @AfterEach
    void stop() { server.close(); }

    @Test
    void aBodyWithALengthOverTheLimitIsAnswered413NamingTheLimit() throws Exception {
        HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(new byte[8 << 20]));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("too_large").contains(Integer.toString(Exchange.MAX_BODY)).contains("1 MiB")
                .contains(Integer.toString(8 << 20));
        assertThat(handled).hasValue(0);
    }

    @Test
    void aChunkedBodyOverTheLimitIsAnswered413Too() throws Exception {
        byte[] big = new byte[3 << 20];
        HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains(Integer.toString(Exchange.MAX_BODY));
        assertThat(handled).hasValue(0);
    }

    @Test
    void aBodyAtTheLimitIsRead() throws Exception {
        HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(new byte[Exchange.MAX_BODY]));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains(Integer.toString(Exchange.MAX_BODY));
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                + "/api/v1/apply")).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }
}
