package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.ContentRef;
import io.orchide.model.Arch;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.model.Pipeline;
import io.orchide.model.PipelineSpec;
import io.orchide.model.Step;
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
 * paths relative to their file, and sends them in document order to the node, which validates again and accepts or
 * refuses each.
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
        Arch arch = Arch.fromWire((satellite.present() ? satelliteArch(api) : api.get("/api/v1/node").path("arch"))
                .asText(Arch.host().wire()));
        List<Object> manifests = new ArrayList<>();
        for (String f : files) manifests.addAll(read(f, arch)); // every file checked before anything is sent
        if (satellite.present()) {
            applyThroughGround(api, manifests, json);
            return;
        }
        ArrayNode results = ApiClient.JSON.createArrayNode();
        for (Object m : manifests) { // in document order: a pipeline after the apps it names
            String kind = m instanceof Pipeline ? "pipeline/" : "app/";
            JsonNode r = api.post("/api/v1/apply",
                    m instanceof Pipeline p ? Manifests.toJson(p) : Manifests.toJson((App) m));
            results.add(r);
            if (!json) System.out.println(kind + r.path("name").asText() + " " + r.path("result").asText());
        }
        if (json) Printer.json(System.out, results);
    }

    /** The architecture of the satellite's first node as ground knows it (missing before its first contact). */
    private JsonNode satelliteArch(ApiClient api) {
        try {
            return api.get(satellite.base()).path("nodes").path(0).path("arch");
        } catch (CliException e) {
            return ApiClient.JSON.missingNode(); // not registered yet: desired state may wait for its first contact
        }
    }

    /**
     * Sends the manifests to ground as the satellite's desired state; an App whose image is a file here is pushed to
     * ground first and named by its content ({@code sha256:...}), so the satellite receives only the chunks it lacks.
     */
    private void applyThroughGround(ApiClient api, List<Object> manifests, boolean json) {
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
        return lines(throughGround(api, satelliteName, read(file, Arch.host())), satelliteName);
    }

    private static ArrayNode throughGround(ApiClient api, String satelliteName, List<Object> manifests) {
        String base = "/api/v1/satellites/" + Resources.name(satelliteName);
        ArrayNode results = ApiClient.JSON.createArrayNode();
        for (Object m : manifests) {
            Object doc = m instanceof App a ? withContentImages(api, a) : withContentImages(api, (Pipeline) m);
            JsonNode r = api.post(base + "/apply",
                    doc instanceof Pipeline p ? Manifests.toJson(p) : Manifests.toJson((App) doc)).path("items").path(0);
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

    /**
     * The App with its image and initrd files pushed to ground's image store and named by content, so that the
     * satellite receives them by the link (only the chunks it lacks) and verifies them before use.
     */
    private static App withContentImages(ApiClient api, App app) {
        AppSpec s = withContentImages(api, app.spec());
        return s == app.spec() ? app : new App(app.metadata(), s);
    }

    /** The Pipeline with the image files of its inline step templates pushed and named by content, as an App's. */
    private static Pipeline withContentImages(ApiClient api, Pipeline p) {
        List<Step> steps = new ArrayList<>();
        boolean changed = false;
        for (Step st : p.spec().steps()) {
            AppSpec t = st.template() == null ? null : withContentImages(api, st.template());
            changed |= t != st.template();
            steps.add(t == st.template() ? st : new Step(st.name(), st.app(), t, st.after(), st.when(), st.forEach(),
                    st.inputs(), st.outputs(), st.timeout(), st.retries()));
        }
        if (!changed) return p;
        PipelineSpec s = p.spec();
        return new Pipeline(p.metadata(), new PipelineSpec(s.priority(), s.deadline(), s.preemptible(), s.concurrency(),
                s.triggers(), steps));
    }

    private static AppSpec withContentImages(ApiClient api, AppSpec s) {
        String image = s.runsOnHost() && s.image() != null && !ContentRef.looksLikeOne(s.image())
                && Files.isDirectory(Path.of(s.image())) ? pushedTree(api, Path.of(s.image())) : pushed(api, s.image());
        String initrd = pushed(api, s.initrd());
        if (java.util.Objects.equals(image, s.image()) && java.util.Objects.equals(initrd, s.initrd())) return s;
        return new AppSpec(image, initrd, s.runtime(), s.args(), s.env(), s.resources(), s.restart(), s.inputs(),
                s.outputs());
    }

    /** A container's root filesystem directory, pushed as its archive ({@link RootfsArchive}). */
    private static String pushedTree(ApiClient api, Path dir) {
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

    private static String pushed(ApiClient api, String path) {
        if (path == null || ContentRef.looksLikeOne(path) || !Files.isRegularFile(Path.of(path))) return path;
        return ImageCommand.push(api, Path.of(path));
    }

    /** The Apps and Pipelines of one file (YAML documents separated by ---, or JSON), paths resolved against the file. */
    private static List<Object> read(String file, Arch arch) {
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
        List<Object> manifests;
        try {
            manifests = Manifests.parseAll(text, arch);
        } catch (ManifestException e) {
            throw new CliException(file + ": manifest rejected, " + e.errors().size() + " error(s), nothing applied",
                    Manifests.withoutSoleDocumentIndex(e.errors()).stream().map(FieldError::toString).toList());
        }
        if (manifests.isEmpty()) { // an empty file or one of comments only: applying it would silently do nothing
            throw new CliException((file.equals("-") ? "standard input" : file)
                    + ": nothing to apply (no manifest in it: expected a document with apiVersion, kind, metadata and spec)");
        }
        List<Object> resolved = new ArrayList<>();
        for (Object m : manifests) {
            resolved.add(m instanceof Pipeline p ? Manifests.resolvePaths(p, base) : Manifests.resolvePaths((App) m, base));
        }
        return resolved;
    }
}
