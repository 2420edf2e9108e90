package io.orchide.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * A node's or ground's API as the apply flow uses it. An error reply is the implementation's to turn into an
 * exception that says what the server said; these methods return only replies that succeeded.
 */
public interface Server {
    /** GETs {@code path}; returns the reply. */
    JsonNode get(String path);

    /** POSTs a manifest ({@code text}: JSON, which is YAML too) to {@code path}; returns the reply. */
    JsonNode post(String path, String text);

    /** Streams {@code file} up as the body of a POST to {@code path}; {@code label} names it to whoever watches. */
    JsonNode upload(String path, Path file, String label);
}
