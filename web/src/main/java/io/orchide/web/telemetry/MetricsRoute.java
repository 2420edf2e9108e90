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
        register(s, registry, ex -> { });
    }

    /**
     * With {@code authorize} asked first (after the gate): it throws an {@link io.orchide.web.ApiException} (403) for a
     * caller who may not read the metrics.
     */
    public static void register(ApiServer s, Registry registry, java.util.function.Consumer<com.sun.net.httpserver.HttpExchange> authorize) {
        s.route("GET", PATH, (ex, m) -> {
            authorize.accept(ex);
            byte[] b = registry.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", TextFormat.CONTENT_TYPE);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
    }
}
