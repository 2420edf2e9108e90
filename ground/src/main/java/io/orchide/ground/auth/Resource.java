package io.orchide.ground.auth;

import java.util.Arrays;
import java.util.List;

/**
 * What a permission is about. {@link #tenantScoped} resources belong to a tenant (a binding to that tenant, or a
 * fleet-wide one, is needed); the others are the fleet's and only a fleet-wide binding reaches them, except
 * {@link #SATELLITES} which every role may read (a tenant deploys to satellites by name).
 */
public enum Resource {
    SATELLITES("satellites", false),
    LINK("link", false),
    APPS("apps", true),
    PIPELINES("pipelines", true),
    DATASETS("datasets", true),
    /** Secrets: their names and key names only; their values never leave ground's apply. */
    SECRETS("secrets", true),
    WORKLOADS("workloads", true),
    RUNS("runs", true),
    EVENTS("events", true),
    LOGS("logs", true),
    PRODUCTS("products", true),
    IMAGES("images", true),
    TENANTS("tenants", true),
    TOKENS("tokens", true),
    ROLEBINDINGS("rolebindings", true),
    AUDIT("audit", true),
    /**
     * Device grants ({@code kind: DeviceGrant}) in a satellite's desired state: the tenant a grant names may read it,
     * only fleet-wide roles give, change or take one.
     */
    DEVICEGRANTS("devicegrants", true),
    /**
     * Models ({@code kind: Model}) allowed on a satellite's accelerators, in its desired state: the tenant a Model
     * belongs to may read it, only fleet-wide roles allow, change or withdraw one.
     */
    MODELS("models", true),
    /** Ground stations ({@code kind: GroundStation}), which passes are computed over. */
    STATIONS("stations", false),
    /** The operator's chain of trust: root metadata and delegations of image-signing keys to tenants. */
    TRUST("trust", false),
    /** The replica's own metrics ({@code GET /metrics}), read by Prometheus. */
    METRICS("metrics", false);

    private final String wire;
    private final boolean tenantScoped;

    Resource(String wire, boolean tenantScoped) {
        this.wire = wire;
        this.tenantScoped = tenantScoped;
    }

    public String wire() { return wire; }

    public boolean tenantScoped() { return tenantScoped; }

    /** The resource named {@code s} (its plural, as in the API's paths), or null. */
    public static Resource of(String s) {
        for (Resource r : values()) if (r.wire.equals(s)) return r;
        return null;
    }

    public static List<String> names() { return Arrays.stream(values()).map(Resource::wire).toList(); }
}
