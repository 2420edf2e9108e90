package io.orchide.model;

/**
 * A manifest of {@code kind: Model}: an AI model an operator allows on board, named by the sha256 digest of its file
 * (an ONNX model), with the tenants whose workloads may use it and the accelerator classes it may run on. Nothing
 * that is not such a model, for the caller's tenant and class, reaches an accelerator or the broker's inference.
 */
public record Model(Metadata metadata, ModelSpec spec) implements Manifest {
    public static final String API_VERSION = App.API_VERSION;
    public static final String KIND = "Model";

    @Override
    public String kind() {
        return KIND;
    }

    /** Whether the workloads of {@code tenant} may use this model on an accelerator of class {@code accelerator}. */
    public boolean allows(String tenant, String accelerator) {
        return spec.tenantsOr(metadata.tenant()).contains(tenant) && spec.accelerators().contains(accelerator);
    }
}
