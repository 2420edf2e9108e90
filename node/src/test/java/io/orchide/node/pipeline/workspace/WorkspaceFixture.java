package io.orchide.node.pipeline.workspace;

import io.orchide.model.Arch;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.model.Mount;
import io.orchide.model.Pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The three-step pipeline of the tests (cloud -> detect, forEach over tiles -> count) and file helpers. */
final class WorkspaceFixture {
    static final String YAML = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: ships}
            spec:
              steps:
                - name: cloud
                  app: cloud-check
                  inputs: [{name: scene, from: trigger}]
                  outputs:
                    - {name: cover, path: cover.txt}
                    - {name: tiles, path: tiles/}
                - name: detect
                  after: [cloud]
                  when: "steps.cloud.outputs.cover < 30"
                  app: detect
                  forEach: {items: steps.cloud.outputs.tiles, parallelism: 2}
                  inputs:
                    - {name: tile, from: item}
                    - {name: scene, from: trigger}
                  outputs:
                    - {name: boxes, path: boxes.json}
                - name: count
                  after: [detect]
                  app: ship-count
                  inputs: [{name: boxes, from: steps.detect.outputs.boxes}]
                  outputs:
                    - {name: count, path: count.json, product: {priority: 80, retention: 7d}}
                    - {name: thumbnail, path: out/thumb.png, product: {}}
            """;

    private WorkspaceFixture() {
    }

    static Pipeline pipeline() {
        try {
            return Manifests.parsePipeline(YAML, Arch.X86_64);
        } catch (ManifestException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Relative paths of the regular files under {@code dir}, sorted. */
    static List<String> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path host(Mount m) {
        return Path.of(m.path());
    }
}
