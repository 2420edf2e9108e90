package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.orchide.client.ContentReferences;
import io.orchide.client.ImagePusher;
import io.orchide.client.ManifestFiles;
import io.orchide.model.FieldError;
import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.runtime.image.RootfsArchive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code orchide apply -f FILE}: validates the manifests here (every error of every file at once), resolves their
 * paths relative to their file, and sends them in document order to the node, which validates again, fills in what
 * the manifest leaves to it (the architecture, from its own hardware) and accepts or refuses each. Reading and naming
 * images by content are the client module's ({@link ManifestFiles}, {@link ContentReferences}).
 */
@Command(name = "apply", description = "Create or update apps and pipelines from manifest files.")
final class ApplyCommand implements Runnable {
    @Option(names = {"-f", "--filename"}, required = true, description = "Manifest file (YAML or JSON); - for stdin")
    List<String> files;

    @Mixin
    ServerOption server;

    @Mixin
    SatelliteOption satellite;

    @Mixin
    OutputOption output;

    @Override
    public void run() {
        boolean json = output.json();
        ApiClient api = server.client();
        List<Manifest> manifests = new ArrayList<>();
        for (String f : files) manifests.addAll(read(f)); // every file checked before anything is sent
        if (satellite.present()) {
            applyThroughGround(api, manifests, json);
            return;
        }
        ArrayNode results = ApiClient.JSON.createArrayNode();
        for (Manifest m : manifests) { // in document order: a pipeline after the apps it names
            String kind = m.kind().toLowerCase(java.util.Locale.ROOT) + "/";
            JsonNode r = api.post("/api/v1/apply", Manifests.toJson(m));
            results.add(r);
            if (!json) System.out.println(kind + r.path("name").asText() + " " + r.path("result").asText());
        }
        if (json) Printer.json(System.out, results);
    }

    /**
     * Sends the manifests to ground as the satellite's desired state; an App whose image is a file here is pushed to
     * ground first and named by its content ({@code sha256:...}), so the satellite receives only the chunks it lacks.
     */
    private void applyThroughGround(ApiClient api, List<Manifest> manifests, boolean json) {
        ArrayNode results = throughGround(api, satellite.satellite, manifests);
        if (json) {
            Printer.json(System.out, results);
            return;
        }
        for (String line : lines(results, satellite.satellite)) System.out.println(line);
    }

    /**
     * Reads {@code file} as the CLI does and applies its manifests to {@code satelliteName} through ground; returns
     * one line per manifest saying what ground did (the digital twin applies its scenario's manifests so).
     */
    static List<String> applyFileThroughGround(String groundServer, String file, String satelliteName) {
        ApiClient api = new ApiClient(groundServer);
        return lines(throughGround(api, satelliteName, read(file)), satelliteName);
    }

    private static ArrayNode throughGround(ApiClient api, String satelliteName, List<Manifest> manifests) {
        String base = "/api/v1/satellites/" + Resources.name(satelliteName);
        ContentReferences refs = new ContentReferences(new GroundImages(api));
        ArrayNode results = ApiClient.JSON.createArrayNode();
        for (Manifest m : manifests) {
            JsonNode r = api.post(base + "/apply", Manifests.toJson(refs.byContent(m))).path("items").path(0);
            results.add(r);
        }
        return results;
    }

    private static List<String> lines(ArrayNode results, String satelliteName) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : results) {
            out.add(r.path("kind").asText().toLowerCase(java.util.Locale.ROOT) + "/" + r.path("name").asText() + " "
                    + r.path("result").asText() + " (generation " + r.path("generation").asText() + ", delivered to "
                    + satelliteName + " at its next contact)");
        }
        return out;
    }

    /** Ground's image store, as the client pushes to it: files as they are, root filesystems as their archive. */
    private record GroundImages(ApiClient api) implements ImagePusher {
        @Override
        public String pushFile(Path file) {
            return ImageCommand.push(api, file);
        }

        @Override
        public String pushTree(Path dir) {
            Path tar = null;
            try {
                tar = Files.createTempFile("orchide-rootfs-", ".tar");
                try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(tar))) {
                    RootfsArchive.write(dir, out);
                }
                return api.upload("/api/v1/images", tar, "push " + dir.getFileName() + " (root filesystem)")
                        .path("digest").asText();
            } catch (IOException e) {
                throw new CliException("cannot pack " + dir + " as a root filesystem image: " + e.getMessage());
            } finally {
                if (tar != null) {
                    try {
                        Files.deleteIfExists(tar);
                    } catch (IOException ignored) {
                        // a temporary file
                    }
                }
            }
        }
    }

    /** The Apps and Pipelines of one file (YAML documents separated by ---, or JSON), paths resolved against the file. */
    private static List<Manifest> read(String file) {
        String text;
        Path base;
        try {
            if (file.equals("-")) {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                base = Path.of("").toAbsolutePath();
            } else {
                Path p = Path.of(file).toAbsolutePath();
                text = Files.readString(p);
                base = p.getParent();
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        List<Manifest> manifests;
        try {
            manifests = ManifestFiles.read(text, base);
        } catch (ManifestException e) {
            throw new CliException(file + ": manifest rejected, " + e.errors().size() + " error(s), nothing applied",
                    e.errors().stream().map(FieldError::toString).toList());
        }
        if (manifests.isEmpty()) { // an empty file or one of comments only: applying it would silently do nothing
            throw new CliException((file.equals("-") ? "standard input" : file)
                    + ": nothing to apply (no manifest in it: expected a document with apiVersion, kind, metadata and spec)");
        }
        return manifests;
    }
}
