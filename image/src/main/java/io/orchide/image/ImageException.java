package io.orchide.image;

import java.io.IOException;

/**
 * An image, chunk or chunk pack was refused: names where ({@code path}, e.g. {@code chunks[3].digest}), the offending
 * value and why, in the style of {@link io.orchide.model.FieldError}. Whatever threw it changed nothing.
 */
public class ImageException extends IOException {
    private final String path;
    private final String value;

    public ImageException(String path, String value, String message) {
        super(path + ": " + message + (value == null ? "" : " (got " + value + ")"));
        this.path = path;
        this.value = value;
    }

    public String path() {
        return path;
    }

    public String value() {
        return value;
    }
}
