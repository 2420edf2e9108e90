package io.orchide.cli.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Pipeline manifests and sensor files for the pipeline tests. */
final class PipelineFixtures {
    private PipelineFixtures() {
    }

    /** A binary PGM of {@code w}x{@code h} with {@code percent} % bright (cloudy) pixels. */
    static byte[] scene(int w, int h, int percent) {
        byte[] header = ("P5\n" + w + " " + h + "\n255\n").getBytes();
        byte[] px = new byte[w * h];
        int bright = w * h * percent / 100;
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i < bright ? 250 : 40);
        byte[] out = new byte[header.length + px.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(px, 0, out, header.length, px.length);
        return out;
    }

    /** Writes a file the way a sensor should: under a hidden name, then renamed into place. */
    static Path drop(Path dir, String name, byte[] content) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.write(tmp, content);
        return Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A pipeline of busybox container steps. {@code steps} is YAML for the step list, in which {@code ROOTFS}
     * stands for the busybox rootfs; {@code extra} goes into the spec (priority, triggers...).
     */
    static Path containerPipeline(Path dir, String name, String extra, String steps) throws Exception {
        String rootfs = Fixtures.busyboxRootfs().toString();
        String yaml = """
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata:
                  name: %s
                spec:
                %s
                  steps:
                %s
                """.formatted(name, indent(extra), indent(steps.replace("ROOTFS", rootfs)));
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** One container step running {@code script}. */
    static String step(String name, String script, String more) {
        return """
                - name: %s
                  template:
                    image: ROOTFS
                    runtime: {family: container, monitor: runc}
                    args: ["/bin/sh", "-c", "%s"]
                    resources: {vcpus: 1, memoryMiB: 16}
                %s
                """.formatted(name, script.replace("\"", "\\\""), indent(more));
    }

    private static String indent(String s) {
        StringBuilder b = new StringBuilder();
        for (String line : s.strip().split("\n")) b.append("  ").append(line).append('\n');
        return b.toString();
    }
}
