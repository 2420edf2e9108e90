package io.orchide.runtime.image;

import java.util.Map;

/** An OCI content descriptor: what a blob is, its digest ({@code sha256:<hex>}), size and annotations. */
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
