package io.orchide.model;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Model} declares: the {@code digest} of its file ({@code sha256:} and 64 hex digits), its
 * {@code version} (free text, shown to people), the {@code tenants} allowed to use it (empty: only the manifest's own
 * tenant), the {@code accelerators} classes it may run on ({@code cpu}, {@code gpu}, {@code fpga}, ...; at least one)
 * and, optionally, the id of the key that must have signed it ({@code signer}, a key the root delegated to a tenant).
 */
public record ModelSpec(String digest, String version, List<String> tenants, List<String> accelerators, String signer) {
    /** The accelerator class of the broker's own inference on the host's processors. */
    public static final String CPU = "cpu";

    public ModelSpec {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(version, "version");
        tenants = List.copyOf(Objects.requireNonNullElse(tenants, List.of()));
        accelerators = List.copyOf(Objects.requireNonNullElse(accelerators, List.of()));
    }

    /** The tenants allowed: those listed, or {@code owner} alone when none is. */
    public List<String> tenantsOr(String owner) {
        return tenants.isEmpty() ? List.of(owner) : tenants;
    }
}
