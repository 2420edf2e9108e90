package io.orchide.model;

/**
 * A manifest of one of the kinds Orchide knows. Code that handles every kind switches over this sealed interface,
 * so that a kind added here is a compile error everywhere it is not handled yet.
 */
public sealed interface Manifest permits App, Pipeline, Dataset, Secret, DeviceGrant, Model {
    Metadata metadata();

    /** The manifest's {@code kind}, as written in YAML ({@code App}, {@code Pipeline}, {@code Dataset}, {@code Secret}). */
    String kind();

    default String name() {
        return metadata().name();
    }
}
