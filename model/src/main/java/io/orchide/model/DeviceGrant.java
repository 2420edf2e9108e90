package io.orchide.model;

/**
 * A manifest of {@code kind: DeviceGrant}: what the apps and pipelines of a tenant ({@code metadata.tenant}) may do
 * with one on-board device, when, and how much. Given by an operator; the node's broker decides every request by it.
 */
public record DeviceGrant(Metadata metadata, DeviceGrantSpec spec) implements Manifest {
    public static final String API_VERSION = App.API_VERSION;
    public static final String KIND = "DeviceGrant";

    @Override
    public String kind() {
        return KIND;
    }

    /** Whether this grant covers the {@code kind} ({@code app} or {@code pipeline}) {@code name} of {@code tenant}. */
    public boolean covers(String tenant, String kind, String name) {
        if (!metadata.tenant().equals(tenant)) return false;
        if (spec.apps().isEmpty() && spec.pipelines().isEmpty()) return true;
        return switch (kind) {
            case DatasetSpec.Principals.APP -> spec.apps().contains(name);
            case DatasetSpec.Principals.PIPELINE -> spec.pipelines().contains(name);
            default -> false;
        };
    }
}
