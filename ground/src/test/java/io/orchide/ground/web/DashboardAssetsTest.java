package io.orchide.ground.web;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.auth.AuthSettings;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's files over real HTTP with tenancy on: served without a token, typed, cached and locked down. */
class DashboardAssetsTest {
    @TempDir
    Path tmp;
    GroundServer ground;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        ground = GroundServer.start(GroundConfig.builder().dataDir(tmp).listen(new InetSocketAddress("127.0.0.1", 0)).clock(clock)
                .build().withAuth(new AuthSettings(tmp.resolve("admin.token"), false)), new FakeUplink(clock));
    }

    @AfterEach
    void stop() {
        ground.close();
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ground.apiAddress().getPort() + path));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsFilesAreServedWithoutATokenWithTheirTypesAndAStrictPolicy() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/ui/app.js\" defer></script>").doesNotContain("http://", "https://");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");

        assertThat(get("/ui/app.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/ui/app.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/ui/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        // nothing loaded from elsewhere: the machine a dashboard runs on may reach nothing else
        // (the SVG namespace is a name, never fetched)
        assertThat(get("/ui/app.js").body().replace("http://www.w3.org/2000/svg", ""))
                .doesNotContain("http://", "https://", "innerHTML", "insertAdjacentHTML", "document.write", "eval(");
    }

    @Test
    void anUnchangedFileIsNotSentAgain() throws Exception {
        HttpResponse<String> first = get("/ui/app.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/ui/app.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/ui/app.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyTheDashboardsFilesAreOpenAndTheApiStaysBehindTheToken() throws Exception {
        assertThat(get("/ui/openapi.json").statusCode()).isEqualTo(404);
        assertThat(get("/ui/../api/v1/satellites").statusCode()).isIn(401, 404);
        assertThat(get("/index.html").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/satellites").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/auth/whoami").statusCode()).isEqualTo(401);
    }
}
