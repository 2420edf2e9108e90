package io.orchide.ground.quota;

import io.orchide.model.tenant.Quota;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a tenant uses of its ground quotas now: App and Pipeline objects (live ones, per satellite), bytes of the
 * images it pushed (each digest once), bytes sent to satellites for it since the start of the UTC day, bytes of its
 * products kept on ground.
 */
public record QuotaUse(long apps, long pipelines, long imageBytes, long uplinkBytesToday, long productBytes) {
    public static final String APPS = "apps";
    public static final String PIPELINES = "pipelines";
    public static final String IMAGES = "images";
    public static final String UPLINK = "uplink";
    public static final String PRODUCTS = "products";

    /** Whether {@code quota} counts objects rather than bytes. */
    static boolean counted(String quota) {
        return quota.equals(APPS) || quota.equals(PIPELINES);
    }

    /** Each ground quota's use, by the key {@link Quota#parse} reads. */
    public Map<String, Long> byKey() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(UPLINK, uplinkBytesToday);
        m.put(APPS, apps);
        m.put(PIPELINES, pipelines);
        m.put(IMAGES, imageBytes);
        m.put(PRODUCTS, productBytes);
        return m;
    }

    /** The limit {@code q} sets on the ground quota {@code key}, or null for none. */
    public static Long limit(Quota q, String key) {
        return switch (key) {
            case APPS -> q.apps();
            case PIPELINES -> q.pipelines();
            case IMAGES -> q.imageBytes();
            case UPLINK -> q.uplinkBytesPerDay();
            case PRODUCTS -> q.productBytes();
            default -> throw new IllegalArgumentException("not a ground quota: " + key);
        };
    }
}
