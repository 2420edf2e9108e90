package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Cursor;

import java.util.List;

/**
 * One change to a satellite's desired state: the manifest of an App, Pipeline, Dataset, sealed Secret, DeviceGrant or Model
 * ({@code kind}) named {@code name},
 * at {@code generation} (ground's counter for that object, so that a node applies a change at most once and
 * never an older one after a newer); {@code manifest} is the document's text, or null when the object is deleted;
 * {@code trust}, the signed documents (JSON text) a node with a pinned root needs to verify what the manifest names: the
 * root's versions, the delegation to the manifest's tenant and the signatures of its images. The link module's
 * {@code trust} package reads them; here they are opaque text.
 */
public record DesiredChange(String kind, String name, int generation, String manifest, java.util.List<String> trust) {
    public static final String APP = "App";
    public static final String PIPELINE = "Pipeline";
    public static final String DATASET = "Dataset";
    public static final String SECRET = "Secret";
    public static final String DEVICE_GRANT = "DeviceGrant";
    public static final String MODEL = "Model";

    public DesiredChange {
        trust = trust == null ? java.util.List.of() : java.util.List.copyOf(trust);
    }

    /** A change that carries no signed documents. */
    public DesiredChange(String kind, String name, int generation, String manifest) {
        this(kind, name, generation, manifest, null);
    }

    public boolean deleted() { return manifest == null; }

    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("kind", kind);
        o.put("name", name);
        o.put("generation", generation);
        Messages.putText(o, "manifest", manifest);
        if (!trust.isEmpty()) trust.forEach(o.putArray("trust")::add);
        return Messages.bytes(o);
    }

    public static DesiredChange decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.DESIRED.wire(), payload, c -> {
            c.allowOnly("kind", "name", "generation", "manifest", "trust");
            Cursor kind = c.field("kind");
            String k = kind.requiredString();
            if (k != null && !k.equals(APP) && !k.equals(PIPELINE) && !k.equals(DATASET) && !k.equals(SECRET)
                    && !k.equals(DEVICE_GRANT) && !k.equals(MODEL)) {
                kind.error("must be App, Pipeline, Dataset, Secret, DeviceGrant or Model");
            }
            String name = c.field("name").requiredString();
            Integer gen = c.field("generation").integer(1, Integer.MAX_VALUE);
            if (gen == null && !c.field("generation").present()) c.field("generation").missing();
            String manifest = c.field("manifest").nonEmptyString();
            List<String> trust = c.field("trust").present() ? c.field("trust").stringList() : List.of();
            return new DesiredChange(k, name, gen == null ? 0 : gen, manifest, trust);
        });
    }
}
