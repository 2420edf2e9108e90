package io.orchide.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.Manifest;
import io.orchide.model.codec.Trees;
import io.orchide.runtime.image.RootfsArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApplierTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    /** A server that stores uploads by the SHA-256 of their bytes and answers an apply as a node or ground does. */
    private final class FakeServer implements Server {
        final List<String> calls = new ArrayList<>();
        final List<JsonNode> posted = new ArrayList<>();
        final List<Boolean> uploadsWereArchives = new ArrayList<>();
        final List<String> held = new ArrayList<>();

        @Override
        public JsonNode get(String path) {
            calls.add("GET " + path);
            var items = F.arrayNode();
            held.forEach(d -> items.add(F.objectNode().put("digest", d)));
            return F.objectNode().set("items", items);
        }

        @Override
        public JsonNode post(String path, String text) {
            calls.add("POST " + path);
            JsonNode m;
            try {
                m = Trees.readJson(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            posted.add(m);
            ObjectNode r = F.objectNode().put("kind", m.path("kind").asText())
                    .put("name", m.path("metadata").path("name").asText()).put("result", "created");
            if (!path.startsWith("/api/v1/satellites/")) return r;
            return F.objectNode().set("items", F.arrayNode().add(r.put("generation", 1)));
        }

        @Override
        public JsonNode upload(String path, Path file, String label) {
            calls.add("UPLOAD " + path + " " + label);
            try {
                uploadsWereArchives.add(RootfsArchive.isArchive(file));
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                String d = "sha256:" + HexFormat.of().formatHex(sha);
                held.add(d);
                return F.objectNode().put("digest", d);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final FakeServer server = new FakeServer();
    private final Applier applier = new Applier(server);

    private List<Manifest> manifests(String yaml) throws Exception {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        return ManifestFiles.read(f);
    }

    private static final String APP_AND_PIPELINE = """
            apiVersion: orchide.io/v1
            kind: App
            metadata: {name: hello}
            spec: {image: hello.elf, runtime: {family: unikraft, monitor: qemu}}
            ---
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: flow}
            spec:
              steps:
                - name: one
                  template: {image: hello.elf, runtime: {family: unikraft, monitor: qemu}}
            """;

    @Test
    void toANodeEachManifestIsSentInDocumentOrderWithoutPushingAnything() throws Exception {
        Files.writeString(dir.resolve("hello.elf"), "kernel");
        List<Applied> out = applier.toNode(manifests(APP_AND_PIPELINE));
        assertThat(server.calls).containsExactly("POST /api/v1/apply", "POST /api/v1/apply");
        assertThat(server.posted.getFirst().path("spec").path("image").asText())
                .as("the node reads the file at its own path").isEqualTo(dir.resolve("hello.elf").toString());
        assertThat(out).extracting(Applied::line).containsExactly("app/hello created", "pipeline/flow created");
    }

    @Test
    void throughGroundAnImageThatIsAFileHereIsPushedOnceItIsNamedAndSentByItsContent() throws Exception {
        Files.writeString(dir.resolve("hello.elf"), "kernel");
        List<Applied> out = applier.toSatellite("sat-1", manifests(APP_AND_PIPELINE));
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("kernel".getBytes()));
        assertThat(server.calls).as("the second use of the same file in one apply reuses the first push").containsExactly(
                "GET /api/v1/images", "UPLOAD /api/v1/images push hello.elf", "POST /api/v1/satellites/sat-1/apply",
                "POST /api/v1/satellites/sat-1/apply");
        assertThat(server.posted.get(0).path("spec").path("image").asText()).isEqualTo(digest);
        assertThat(server.posted.get(1).path("spec").path("steps").path(0).path("template").path("image").asText())
                .isEqualTo(digest);
        assertThat(server.posted.get(0).path("spec").path("runtime").has("arch"))
                .as("the node decides the architecture, not the client").isFalse();
        assertThat(out).extracting(Applied::line).containsExactly(
                "app/hello created (generation 1, delivered to sat-1 at its next contact)",
                "pipeline/flow created (generation 1, delivered to sat-1 at its next contact)");
    }

    @Test
    void throughGroundAContainersRootFilesystemTravelsAsItsArchive() throws Exception {
        Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.writeString(dir.resolve("rootfs/bin/hello"), "#!/bin/sh\necho hi\n");
        List<Manifest> m = manifests("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: box}
                spec: {image: rootfs, runtime: {family: container, monitor: runc}, args: [/bin/hello]}
                """);
        applier.toSatellite("sat-1", m);
        applier.toSatellite("sat-1", m);
        assertThat(server.calls).as("the same tree packs to the same bytes, which ground then holds").containsExactly(
                "GET /api/v1/images", "UPLOAD /api/v1/images push rootfs (root filesystem)",
                "POST /api/v1/satellites/sat-1/apply", "GET /api/v1/images", "POST /api/v1/satellites/sat-1/apply");
        assertThat(server.uploadsWereArchives).containsExactly(true);
        assertThat(server.posted.getFirst().path("spec").path("image").asText()).startsWith("sha256:");
        assertThat(server.posted.get(1).path("spec").path("image")).isEqualTo(server.posted.get(0).path("spec").path("image"));
    }

    @Test
    void aRootFilesystemThatTwoStepsRunIsPackedAndPushedOncePerApply() throws Exception {
        Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.writeString(dir.resolve("rootfs/bin/hello"), "#!/bin/sh\necho hi\n");
        List<Manifest> m = manifests("""
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: two}
                spec:
                  steps:
                    - name: first
                      template: {image: rootfs, runtime: {family: container, monitor: runc}, args: [/bin/hello]}
                    - name: second
                      after: [first]
                      template: {image: rootfs, runtime: {family: container, monitor: runc}, args: [/bin/hello]}
                """);
        applier.toSatellite("sat-1", m);
        assertThat(server.calls).containsExactly("GET /api/v1/images",
                "UPLOAD /api/v1/images push rootfs (root filesystem)", "POST /api/v1/satellites/sat-1/apply");
        JsonNode steps = server.posted.getFirst().path("spec").path("steps");
        assertThat(steps.path(0).path("template").path("image").asText()).startsWith("sha256:");
        assertThat(steps.path(1).path("template").path("image")).isEqualTo(steps.path(0).path("template").path("image"));

        applier.toSatellite("sat-1", m);
        assertThat(server.calls.subList(3, server.calls.size())).as("a later apply asks ground again, once")
                .containsExactly("GET /api/v1/images", "POST /api/v1/satellites/sat-1/apply");
    }

    @Test
    void aSatelliteNameThatNeedsEscapingIsRefusedBeforeAnythingIsSent() throws Exception {
        Files.writeString(dir.resolve("hello.elf"), "kernel");
        List<Manifest> m = manifests(APP_AND_PIPELINE);
        assertThatThrownBy(() -> applier.toSatellite("../nodes", m))
                .isInstanceOf(ApplyException.class).hasMessageContaining("satellite").hasMessageContaining("(got ../nodes)");
        assertThat(server.calls).isEmpty();
    }

    @Test
    void aFileWithNoManifestIsRefusedNamingTheFile() throws Exception {
        Path f = dir.resolve("empty.yaml");
        Files.writeString(f, "# nothing yet\n");
        assertThatThrownBy(() -> ManifestFiles.read(f)).isInstanceOf(ApplyException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("nothing to apply");
    }
}
