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
    private final List<String> transfers = new ArrayList<>();

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
        http.createContext("/api/v1/products/7/content", ex -> {
            byte[] b = "scene bytes".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        // ground's answers: a node's path is no resource of its own, and it lists its satellites
        http.createContext("/api/v1/workloads", ex -> reply(ex, 404,
                "{\"code\":\"not_found\",\"message\":\"no such resource: /api/v1/workloads\"}"));
        http.createContext("/api/v1/satellites", ex -> reply(ex, 200, "{\"items\":[{\"name\":\"sat-1\"},{\"name\":\"sat-2\"}]}"));
        http.start();
        api = new HttpApi(URI.create("http://127.0.0.1:" + http.getAddress().getPort()), (label, total) -> {
            transfers.add("start " + label + " " + total);
            return new Transfers.Transfer() {
                @Override
                public void advance(long bytes) {
                    transfers.add("advance " + bytes);
                }

                @Override
                public void finish() {
                    transfers.add("finish");
                }
            };
        });
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
        assertThat(transfers).containsExactly("start push hello.elf 12", "advance 12", "finish");
    }

    @Test
    void aDownloadIsWrittenWholeThenRenamedAndItsProgressTold() throws Exception {
        Path out = dir.resolve("scene.pgm");
        assertThat(api.download("/api/v1/products/7/content", out, "get scene.pgm")).isEqualTo(11);
        assertThat(Files.readString(out)).isEqualTo("scene bytes");
        assertThat(dir.resolve("scene.pgm.part")).doesNotExist();
        assertThat(transfers).containsExactly("start get scene.pgm 11", "advance 11", "finish");
    }

    @Test
    void aNodesPathSentToGroundSaysItIsGroundAndNamesItsSatellites() {
        assertThatThrownBy(() -> api.get("/api/v1/workloads")).isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.reason()).isEqualTo(ServerException.Reason.GROUND_NOT_NODE);
            assertThat(e.satellites()).containsExactly("sat-1", "sat-2");
            assertThat(e.status()).isEqualTo(404);
        });
    }

    @Test
    void aQueryEncodesItsValuesAndLeavesOutTheMissingOnes() {
        assertThat(HttpApi.query("pipeline", "scan", "state", null, "step", "a b&c")).isEqualTo("?pipeline=scan&step=a+b%26c");
        assertThat(HttpApi.query("state", null)).isEmpty();
    }

    @Test
    void aGetReturnsTheReply() {
        assertThat(api.get("/api/v1/images").path("digest").asText()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(received).containsExactly("GET null ");
    }

    @Test
    void aRefusalCarriesTheStatusTheFieldAndTheValue() {
        assertThatThrownBy(() -> api.post("/api/v1/apply", "{\"kind\":\"App\"}"))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo(ServerException.Reason.REFUSED);
                    assertThat(e.fieldErrors()).containsExactly("spec.memoryMiB: must be at most 65536 (got 1e999)");
                })
                .hasMessage("/api/v1/apply: manifest rejected [invalid]; spec.memoryMiB: must be at most 65536 (got 1e999)");
        assertThat(received).containsExactly("{\"kind\":\"App\"}");
    }

    @Test
    void aServerThatIsNotThereIsSaidToBeUnreachable() {
        int port = http.getAddress().getPort();
        http.stop(0);
        assertThatThrownBy(() -> api.post("/api/v1/apply", "{}"))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.reason()).isEqualTo(ServerException.Reason.UNREACHABLE);
                    assertThat(e.why()).isEqualTo("connection refused");
                })
                .hasMessageStartingWith("cannot reach http://127.0.0.1:" + port);
    }

    @Test
    void anAddressThatIsNotHttpIsRefusedNamingIt() {
        assertThatThrownBy(() -> new HttpApi(URI.create("ftp://ground:21")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(got ftp://ground:21)");
    }
}
