package io.orchide.client.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bearer token on every kind of request, and nowhere a user could read it. */
class HttpApiAuthorizationTest {
    private static final String TOKEN = "ocean-7f3a9c1e5b";

    @TempDir
    Path dir;

    private HttpServer http;
    private URI base;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                    + ex.getRequestHeaders().getFirst("Authorization"));
            String path = ex.getRequestURI().getPath();
            int status = path.equals("/api/v1/denied") ? 401 : 200;
            byte[] b = (path.endsWith("/logs") ? "a log line\n"
                    : status == 401 ? "{\"code\":\"unauthenticated\",\"message\":\"unknown token\"}" : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        http.start();
        base = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void everyKindOfRequestCarriesTheTokenAsBearer() throws IOException {
        HttpApi api = new HttpApi(base, Transfers.NONE, TOKEN);
        Path file = Files.writeString(dir.resolve("kernel"), "kernel bytes");

        api.get("/api/v1/workloads");
        api.post("/api/v1/apply", "kind: App");
        api.delete("/api/v1/workloads/hello");
        try (InputStream in = api.stream("/api/v1/workloads/hello/logs")) {
            in.readAllBytes();
        }
        api.upload("/api/v1/images", file, "kernel");
        api.download("/api/v1/products/7/content", dir.resolve("scene"), "scene");

        assertThat(seen).hasSize(6).allSatisfy(s -> assertThat(s).endsWith(" Bearer " + TOKEN));
    }

    @Test
    void withoutATokenNoAuthorizationIsSent() {
        new HttpApi(base, Transfers.NONE, null).get("/api/v1/workloads");

        assertThat(seen).containsExactly("GET /api/v1/workloads null");
    }

    @Test
    void aRefusalAndAnUnreachableServerNeverShowTheToken() throws IOException {
        HttpApi api = new HttpApi(base, Transfers.NONE, TOKEN);
        assertThatThrownBy(() -> api.get("/api/v1/denied")).isInstanceOf(ServerException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        http.stop(0);
        assertThatThrownBy(() -> api.get("/api/v1/workloads")).isInstanceOf(ServerException.class)
                .satisfies(e -> assertThat(e.getMessage() + e.getCause()).doesNotContain(TOKEN));
        assertThat(api.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aTokenThatCannotBeAHeaderIsRefusedWithoutShowingIt() {
        String bad = "ocean 7f3a\r\nX-Injected: yes";
        assertThatThrownBy(() -> new HttpApi(base, Transfers.NONE, bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("token: holds a space")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("7f3a").doesNotContain("Injected"));
    }
}
