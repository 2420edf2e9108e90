package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.orchide.client.Applied;
import io.orchide.client.ApplyException;
import io.orchide.client.Applier;
import io.orchide.client.ManifestFiles;
import io.orchide.model.FieldError;
import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.codec.TreeParser;
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
 * the manifest leaves to it (the architecture, from its own hardware) and accepts or refuses each. With
 * {@code --satellite} they go through ground, images that are files here pushed first. The apply flow is the client
 * module's ({@link Applier}); this verb reads the files, hands them over with the server to talk to and prints.
 */
@Command(name = "apply", description = "Create or update apps and pipelines from manifest files; on ground, also "
        + "ground stations (kind: GroundStation, operators).")
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
        List<Manifest> manifests = new ArrayList<>();
        List<JsonNode> stations = new ArrayList<>();
        for (String f : files) { // every file checked before anything is sent
            String text = text(f);
            List<JsonNode> found = stations(f, text);
            if (found.isEmpty()) manifests.addAll(read(f, text));
            else stations.addAll(found);
        }
        if (!stations.isEmpty()) {
            if (satellite.present()) throw new CliException("ground stations are ground's, not a satellite's: no --satellite");
            applyStations(stations);
            if (manifests.isEmpty()) return;
        }
        satellite.defaultFrom(server);
        Flow.apply(manifests, server.client(), satellite.present() ? Resources.name(satellite.satellite) : null,
                output.json());
    }

    /**
     * The {@code kind: GroundStation} documents of a file (empty when it has none). Ground validates them (and is the
     * only one to keep them); a file holds stations alone, so that an App beside one is never half-applied.
     */
    private static List<JsonNode> stations(String file, String text) {
        List<JsonNode> docs;
        try {
            docs = TreeParser.documents(text);
        } catch (ManifestException e) {
            return List.of(); // read() reports the file's errors
        }
        List<JsonNode> stations = docs.stream().filter(d -> d != null && "GroundStation".equals(d.path("kind").asText())).toList();
        if (!stations.isEmpty() && stations.size() != docs.size()) {
            throw new CliException(file + ": GroundStation manifests go in a file of their own (nothing applied)");
        }
        return stations;
    }

    private void applyStations(List<JsonNode> stations) {
        ApiClient api = server.client();
        ArrayNode replies = ApiClient.JSON.createArrayNode();
        for (JsonNode st : stations) {
            String name = st.path("metadata").path("name").asText("");
            if (name.isEmpty()) throw new CliException("GroundStation: metadata.name is required");
            JsonNode r = api.put("/api/v1/stations/" + Resources.name(name), st);
            replies.add(r);
            if (!output.json()) System.out.println("station/" + name + " " + r.path("result").asText());
        }
        if (output.json()) Printer.json(System.out, replies);
    }

    /**
     * The apply flow, in its own class so that loading this verb (picocli loads every verb to read its options)
     * loads none of the apply flow's classes (Applier, ContentReferences, the image pushing) for the verbs that never
     * apply; every verb loads the client module's HTTP transport, which is all they share.
     */
    private static final class Flow {
        static void apply(List<Manifest> manifests, ApiClient api, String satellite, boolean json) {
            Applier applier = new Applier(api); // its error texts and its progress bars on uploads
            List<Applied> results;
            try {
                results = satellite != null ? applier.toSatellite(satellite, manifests) : applier.toNode(manifests);
            } catch (ApplyException e) {
                throw new CliException(e.getMessage());
            }
            if (json) {
                ArrayNode a = ApiClient.JSON.createArrayNode();
                for (Applied r : results) {
                    if (r.delivery().isObject()) a.add(((com.fasterxml.jackson.databind.node.ObjectNode) r.reply().deepCopy())
                            .set("delivery", r.delivery()));
                    else a.add(r.reply());
                }
                Printer.json(System.out, a);
                return;
            }
            for (Applied r : results) System.out.println(r.line());
            // the last change's answer counts everything queued before it: one line for the whole apply
            if (!results.isEmpty() && results.getLast().delivery().isObject()) {
                System.out.println(GroundTables.delivery(results.getLast().delivery()));
            }
        }
    }

    /** The Apps and Pipelines of one file (YAML documents separated by ---, or JSON), paths resolved against the file. */
    private static String text(String file) {
        try {
            return file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static List<Manifest> read(String file, String text) {
        Path base = file.equals("-") ? Path.of("").toAbsolutePath() : Path.of(file).toAbsolutePath().getParent();
        List<Manifest> manifests;
        try {
            manifests = ManifestFiles.read(text, base);
        } catch (ManifestException e) {
            throw new CliException(file + ": manifest rejected, " + e.errors().size() + " error(s), nothing applied",
                    e.errors().stream().map(FieldError::toString).toList());
        }
        if (manifests.isEmpty()) { // an empty file or one of comments only: applying it would silently do nothing
            throw new CliException(ManifestFiles.nothingToApply(file.equals("-") ? "standard input" : file));
        }
        return manifests;
    }
}
