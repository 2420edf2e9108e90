package io.orchide.model;

/** A manifest of {@code kind: App}. */
public record App(Metadata metadata, AppSpec spec) implements Manifest {
    public static final String API_VERSION = "orchide.io/v1";
    public static final String KIND = "App";

    @Override
    public String kind() { return KIND; }

    /** A copy with {@code spec} in place of this App's. */
    public App withSpec(AppSpec spec) { return new App(metadata, spec); }
}
