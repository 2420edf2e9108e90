package io.orchide.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpApiTest {
    @TempDir
    Path dir;

    private HttpServer http;
    private HttpApi api;
    private final List<String> received = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/api/v1/images", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(body, StandardCharsets.UTF_8));
            reply(ex, 201, "{\"digest\":\"sha256:" + "a".repeat(64) + "\"}");
        });
        http.createContext("/api/v1/apply", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(ex, 400, "{\"code\":\"invalid\",\"message\":\"manifest rejected\",\"errors\":"
                    + "[{\"field\":\"spec.memoryMiB\",\"message\":\"must be at most 65536\",\"value\":\"1e999\"}]}");
        });
        http.start();
        api = new HttpApi(URI.create("http://127.0.0.1:" + http.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Test
    void anUploadSendsTheFilesBytesAndReturnsTheReply() throws Exception {
        Path f = Files.writeString(dir.resolve("hello.elf"), "kernel bytes");
        JsonNode r = api.upload("/api/v1/images", f, "push hello.elf");
        assertThat(received).containsExactly("POST application/octet-stream kernel bytes");
        assertThat(r.path("digest").asText()).isEqualTo("sha256:" + "a".repeat(64));
    }

    @Test
    void aGetReturnsTheReply() {
        assertThat(api.get("/api/v1/images").path("digest").asText()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(received).containsExactly("GET null ");
    }

    @Test
    void aRefusalCarriesTheStatusTheFieldAndTheValue() {
        assertThatThrownBy(() -> api.post("/api/v1/apply", "{\"kind\":\"App\"}"))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("/api/v1/apply: manifest rejected [invalid]; spec.memoryMiB: must be at most 65536 (got 1e999)");
        assertThat(received).containsExactly("{\"kind\":\"App\"}");
    }

    @Test
    void aServerThatIsNotThereIsSaidToBeUnreachable() {
        int port = http.getAddress().getPort();
        http.stop(0);
        assertThatThrownBy(() -> api.post("/api/v1/apply", "{}"))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.status()).isZero())
                .hasMessageStartingWith("cannot reach http://127.0.0.1:" + port);
    }

    @Test
    void anAddressThatIsNotHttpIsRefusedNamingIt() {
        assertThatThrownBy(() -> new HttpApi(URI.create("ftp://ground:21")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(got ftp://ground:21)");
    }
}
