package io.orchide.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image named by its content, {@code sha256:<64 hex digits>}, instead of a host path: the node resolves it to
 * the image in its own content-addressed store, verified against the digest before use.
 */
public final class ContentRef {
    public static final String PREFIX = "sha256:";
    private static final Pattern REF = Pattern.compile("sha256:[0-9a-f]{64}");

    private ContentRef() {
    }

    /** True when {@code image} is written as a content reference (well formed or not). */
    public static boolean looksLikeOne(String image) {
        return image != null && image.startsWith(PREFIX);
    }

    /** The 64 hex digits of a well-formed reference. */
    public static Optional<String> hex(String image) {
        return image != null && REF.matcher(image).matches() ? Optional.of(image.substring(PREFIX.length())) : Optional.empty();
    }
}
