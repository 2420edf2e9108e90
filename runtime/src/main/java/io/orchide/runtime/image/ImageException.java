package io.orchide.runtime.image;

import java.io.IOException;

/** An image is malformed or tampered with; {@code value} is the offending digest, path or field. */
public class ImageException extends IOException {
    private final String value;

    public ImageException(String message, String value) {
        super(message + (value == null ? "" : " (" + value + ")"));
        this.value = value;
    }

    public String value() { return value; }
}
