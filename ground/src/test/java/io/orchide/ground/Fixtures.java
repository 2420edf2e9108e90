package io.orchide.ground;

import io.orchide.link.Bundle;
import io.orchide.link.PeerContact;
import io.orchide.model.message.ProductPayload;
import io.orchide.model.message.StatusReport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Manifests, reports, products and contacts as a node would send them. */
public final class Fixtures {
    public static final String APP = """
            apiVersion: orchide.io/v1
            kind: App
            metadata: {name: hello}
            spec:
              image: /opt/hello.elf
              runtime: {family: multiboot, monitor: qemu, arch: x86_64}
              resources: {vcpus: 1, memoryMiB: 32}
            """;
    public static final String APP_CHANGED = APP.replace("memoryMiB: 32", "memoryMiB: 64");
    public static final String PIPELINE = """
            apiVersion: orchide.io/v1
            kind: Pipeline
            metadata: {name: scan}
            spec:
              priority: 70
              steps:
                - name: only
                  template:
                    image: /opt/k.elf
                    runtime: {family: multiboot, monitor: qemu, arch: x86_64}
            """;
    public static final String BAD_APP = APP.replace("memoryMiB: 32", "memoryMiB: -5");

    private Fixtures() {
    }

    public static String info(String node) {
        return "{\"node\": \"" + node + "\", \"arch\": \"x86_64\", \"cores\": 2, \"memoryMib\": 4096, "
                + "\"monitors\": [\"qemu\", \"runc\"], \"accelerators\": [], \"devices\": [\"camera\"], "
                + "\"version\": \"0.1.0\", \"extra\": 1}";
    }

    public static PeerContact contact(String sat, String node, Instant at) {
        return new PeerContact(sat, info(node), 3, 4096, at);
    }

    public static StatusReport report(String node, Instant at, int workloads) {
        List<StatusReport.Workload> ws = new java.util.ArrayList<>();
        for (int i = 0; i < workloads; i++) {
            ws.add(new StatusReport.Workload("app-" + i, i % 3 == 0 ? "failed" : "running", at.minusSeconds(60), i % 2,
                    i % 3 == 0 ? "exit 1" : null));
        }
        return new StatusReport(at, node, ws,
                List.of(new StatusReport.Run("scan-1", "scan", "succeeded", at.minusSeconds(5), null)),
                List.of(new StatusReport.Event(at.minusSeconds(2), "app-0", "restarted")),
                List.of(new StatusReport.LogExcerpt("app-0", at, List.of("line 1", "line 2"))));
    }

    public static ProductPayload product(long nodeId, String run, byte[] content, Instant created) {
        return new ProductPayload(new ProductPayload.Header(nodeId, run, "count", null, "count.json", content.length,
                ProductPayload.sha256(content), 80, created, created.plus(Duration.ofDays(7)),
                "{\"pipeline\": \"scan\", \"inputs\": [\"camera/scene-1.pgm\"]}"), content);
    }

    public static Bundle bundle(String id, String sat, String kind, byte[] payload, Instant at) {
        return new Bundle(id, sat, "ground", kind, 50, at, Duration.ofDays(1), payload.length,
                "sha256:" + ProductPayload.sha256(payload));
    }

    public static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
