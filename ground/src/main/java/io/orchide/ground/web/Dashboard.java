package io.orchide.ground.web;

import com.sun.net.httpserver.HttpExchange;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The dashboard: static HTML, CSS and JavaScript from this package's resources, served at {@code /} and under
 * {@code /ui/}. They hold no data and no secret: the page asks ground's JSON API for everything with the token the
 * user gives it, so these paths are answered without a token ({@code Access.dashboard}) and the API stays behind the gate.
 */
public final class Dashboard {
    /**
     * Scripts and styles only from ground itself, nothing inline and nothing from elsewhere: a value that slipped
     * past the page's escaping still could not run. Charts are SVG built in the DOM, so no image source is needed.
     */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private record Asset(String type, byte[] body, String etag) {
    }

    /** Every file served, by its path: a fixed list, so a request can never name another resource of the jar. */
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/ui/app.js", "app.js",
            "/ui/app.css", "app.css",
            "/ui/favicon.svg", "favicon.svg");

    private final Map<String, Asset> assets;

    public Dashboard() {
        Map<String, Asset> m = new java.util.HashMap<>();
        FILES.forEach((path, file) -> m.put(path, load(file)));
        this.assets = Map.copyOf(m);
    }

    public void register(ApiServer s) {
        s.route("GET", "/|/ui/[^/]+", (ex, m) -> serve(ex, ex.getRequestURI().getPath()));
    }

    private void serve(HttpExchange ex, String path) throws IOException {
        Asset a = assets.get(path);
        if (a == null) throw new ApiException(404, "not_found", "no such resource: " + path);
        var h = ex.getResponseHeaders();
        h.set("Content-Type", a.type());
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        // no versioned file names (no build step): the browser keeps a copy but asks each time whether it changed
        h.set("Cache-Control", "no-cache");
        h.set("ETag", a.etag());
        String match = ex.getRequestHeaders().getFirst("If-None-Match");
        if (a.etag().equals(match)) {
            ex.sendResponseHeaders(304, -1);
            return;
        }
        ex.sendResponseHeaders(200, a.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(a.body());
        }
    }

    private static Asset load(String file) {
        byte[] b;
        try (InputStream in = Dashboard.class.getResourceAsStream(file)) {
            if (in == null) throw new IllegalStateException("dashboard file " + file + " missing from the build");
            b = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Asset(type(file), b, "\"" + sha256(b).substring(0, 32) + "\"");
    }

    static String type(String file) {
        if (file.endsWith(".html")) return "text/html; charset=utf-8";
        if (file.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (file.endsWith(".css")) return "text/css; charset=utf-8";
        if (file.endsWith(".svg")) return "image/svg+xml";
        throw new IllegalArgumentException("no content type known for " + file);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
