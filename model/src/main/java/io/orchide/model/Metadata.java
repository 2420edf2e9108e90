package io.orchide.model;

import java.util.Map;

/** Identity of a manifest: its name, owning tenant and free-form labels. */
public record Metadata(String name, String tenant, Map<String, String> labels) {
    public static final String DEFAULT_TENANT = "default";

    public Metadata {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        tenant = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
    }
}
