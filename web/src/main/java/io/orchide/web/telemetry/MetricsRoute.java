package io.orchide.web.telemetry;

import io.orchide.web.ApiServer;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the registry in the Prometheus text format, behind the server's gate like every route. */
public final class MetricsRoute {
    public static final String PATH = "/metrics";

    private MetricsRoute() {
    }

    public static void register(ApiServer s, Registry registry) {
        s.route("GET", PATH, (ex, m) -> {
            byte[] b = registry.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", TextFormat.CONTENT_TYPE);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
    }
}
