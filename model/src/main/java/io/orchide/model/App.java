package io.orchide.model;

/** A manifest of {@code kind: App}. */
public record App(Metadata metadata, AppSpec spec) {
    public static final String API_VERSION = "orchide.io/v1";
    public static final String KIND = "App";

    public String name() { return metadata.name(); }
}
