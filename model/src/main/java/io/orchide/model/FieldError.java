package io.orchide.model;

/** One rejected field: its path in the document (e.g. {@code spec.resources.memoryMiB}), the value found, and why. */
public record FieldError(String path, String value, String message) {
    @Override public String toString() {
        return path + ": " + message + (value == null ? "" : " (got " + value + ")");
    }
}
