package io.orchide.ground.telemetry;

import java.util.Set;

/**
 * The class of an API path, as a metric's label: a fixed set of values whatever paths clients send. The first
 * segment after {@code /api/v1/} ({@code satellites}, {@code products}, {@code tokens}...), and for a satellite's
 * sub-resources the sub-resource too ({@code satellites/apply}, {@code satellites/workloads}); never a satellite's,
 * a product's or a token's name. Anything else is {@code other}.
 */
public final class RouteClass {
    private static final Set<String> TOP = Set.of("health", "ready", "openapi.json", "satellites", "products", "images",
            "link", "auth", "tenants", "tokens", "rolebindings", "audit", "trust");
    private static final Set<String> OF_SATELLITE = Set.of("apply", "desired", "apps", "pipelines", "datasets", "secrets", "devicegrants", "models", "workloads", "runs",
            "events", "logs", "images", "devices");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private RouteClass() {
    }

    public static String of(String path) {
        if (path.equals("/metrics")) return "metrics";
        if (!path.startsWith("/api/v1/")) return "other";
        String[] seg = path.substring("/api/v1/".length()).split("/", -1);
        if (!TOP.contains(seg[0])) return "other";
        if (seg[0].equals("satellites") && seg.length >= 3) return OF_SATELLITE.contains(seg[2]) ? "satellites/" + seg[2] : "other";
        return seg[0];
    }

    /** The request's method, or {@code other} for one HTTP does not define. */
    public static String method(String m) {
        return METHODS.contains(m) ? m : "other";
    }
}
