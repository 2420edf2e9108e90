package io.orchide.model;

/**
 * A manifest of {@code kind: Dataset}: a tenant's named collection of files on a node, with a quota, a retention and
 * who besides the tenant's own apps and pipelines may read and write it.
 */
public record Dataset(Metadata metadata, DatasetSpec spec) implements Manifest {
    public static final String API_VERSION = App.API_VERSION;
    public static final String KIND = "Dataset";

    @Override
    public String kind() {
        return KIND;
    }

    /** Whether a pipeline or app {@code name} of {@code tenant} may read this dataset's files. */
    public boolean readableBy(String tenant, String kind, String name) {
        return spec.access().read() == null ? tenant.equals(metadata.tenant())
                : spec.access().read().includes(tenant, kind, name);
    }

    /** Whether a pipeline or app {@code name} of {@code tenant} may write (add, replace, delete) files here. */
    public boolean writableBy(String tenant, String kind, String name) {
        return spec.access().write() == null ? tenant.equals(metadata.tenant())
                : spec.access().write().includes(tenant, kind, name);
    }
}
