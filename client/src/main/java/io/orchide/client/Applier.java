package io.orchide.client;

import io.orchide.model.Manifest;
import io.orchide.model.Manifests;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sends manifests to a server in document order (a pipeline after the apps it names): to a node as they are, or
 * through ground to a satellite with every image that is a file here pushed to ground first and named by its content
 * ({@link ContentReferences}), so the satellite receives only the chunks it lacks. It decides nothing the node or
 * ground decides: what the manifest leaves out (the architecture) stays out, for the node to fill in.
 */
public final class Applier {
    private static final java.util.regex.Pattern SATELLITE = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final Server server;

    public Applier(Server server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    /** Applies to the node {@code server} is; its replies in document order. */
    public List<Applied> toNode(List<Manifest> manifests) {
        List<Applied> out = new ArrayList<>();
        for (Manifest m : manifests) out.add(new Applied(server.post("/api/v1/apply", Manifests.toJson(m)), null));
        return out;
    }

    /** Applies to {@code satellite} through the ground {@code server} is; ground's replies in document order. */
    public List<Applied> toSatellite(String satellite, List<Manifest> manifests) {
        Objects.requireNonNull(satellite, "satellite");
        // a name goes into the path as it is: one that needs escaping names no satellite ground could know
        if (!SATELLITE.matcher(satellite).matches()) {
            throw new ApplyException("satellite: lower-case letters, digits and '-', at most 63 (got " + satellite + ")");
        }
        String path = "/api/v1/satellites/" + satellite + "/apply";
        ContentReferences refs = new ContentReferences(new ServerImages(server));
        List<Applied> out = new ArrayList<>();
        for (Manifest m : manifests) {
            com.fasterxml.jackson.databind.JsonNode reply = server.post(path, Manifests.toJson(refs.byContent(m)));
            out.add(new Applied(reply.path("items").path(0), satellite, reply.path("delivery")));
        }
        return out;
    }
}
