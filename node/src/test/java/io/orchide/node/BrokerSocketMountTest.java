package io.orchide.node;

import io.orchide.node.api.NodeToken;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import io.orchide.model.Monitor;
import io.orchide.runtime.oci.OciDriver;
import io.orchide.runtime.process.BwrapDriver;
import io.orchide.testkit.BrokerClient;
import io.orchide.testkit.BusyboxRootfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real process workload (bubblewrap) or container (runc) whose app a grant names reaches the broker through
 * {@code $ORCHIDE_BROKER} alone, inside its sandbox; one whose app no grant names has no such variable, and neither has an app of another tenant that bears a
 * granted app's name.
 */
class BrokerSocketMountTest {
    /** Prints "broker: none" without the variable, else the broker's answer to one read. */
    private static final String CLIENT = BrokerClient.workloadProgram(
            "{\"id\": 7, \"verb\": \"read\", \"device\": \"camera-1\"}");

    @TempDir
    Path dir;

    private NodeAgent agent;
    private Path layoutRoot;

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + path))
                .header("Authorization", "Bearer " + NodeToken.read(NodeLayout.of(layoutRoot == null ? dir : layoutRoot).token()).value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String app(String name, String tenant) {
        return """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: %s}
                spec:
                  image: /usr/bin/python3
                  runtime: {family: process, monitor: bwrap}
                  args: [-c, %s]
                  restart: {policy: Never}
                """.formatted(name, tenant, com.fasterxml.jackson.databind.node.TextNode.valueOf(CLIENT).toString());
    }

    /** The same client in a runc container of busybox, the host's /usr lent read-only for python. */
    private static String container(String name, String tenant, Path rootfs) {
        return """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: %s}
                spec:
                  image: %s
                  runtime: {family: container, monitor: runc}
                  args: [/usr/bin/python3, -c, %s]
                  resources: {memoryMiB: 64}
                  inputs:
                    - {name: usr, path: /usr, mountPath: /usr}
                    - {name: lib, path: /usr/lib, mountPath: /lib}
                    - {name: lib64, path: /usr/lib64, mountPath: /lib64}
                  restart: {policy: Never}
                """.formatted(name, tenant, rootfs, com.fasterxml.jackson.databind.node.TextNode.valueOf(CLIENT).toString());
    }

    private void assertLogs(String name, String... expected) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(call("GET", "/api/v1/workloads/" + name + "/logs", null).body()).contains(expected));
    }

    private void apply(String manifest) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/apply", manifest);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @Test
    void aGrantedProcessAsksTheBrokerThroughItsVariableAndOthersHaveNone() throws Exception {
        DevicesFile devices = DevicesFile.parse("""
                discover: false
                devices: [{name: camera-1, class: camera, properties: {gain: "2"}}]
                """);
        agent = NodeAgent.start(new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512), null, null,
                64 * 1024, null, null, null, null, devices, null), rc -> List.of(new BwrapDriver(rc)));
        try {
            apply("""
                    apiVersion: orchide.io/v1
                    kind: DeviceGrant
                    metadata: {name: ocean-camera-read, tenant: ocean-team}
                    spec: {device: camera-1, apps: [reader], verbs: [read]}
                    """);
            apply(app("reader", "ocean-team"));
            apply(app("plain", "ocean-team"));

            assertLogs("reader", "broker: /run/orchide/broker.sock ", "\"id\":7", "\"ok\":true",
                    "\"grant\":\"ocean-camera-read\"", "\"desired\":{\"gain\":\"2\"}");
            assertLogs("plain", "broker: none");

            // the socket speaks for the grant's tenant: another tenant's app of the same name must not get it
            assertThat(call("DELETE", "/api/v1/workloads/reader", null).statusCode()).isBetween(200, 299);
            await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/api/v1/workloads/reader", null).statusCode() == 404);
            apply(app("reader", "fire-team"));
            assertLogs("reader", "broker: none");
        } finally {
            agent.close();
        }
    }

    @Test
    void aGrantedContainerAsksTheBrokerThroughItsVariable() throws Exception {
        Path rootfs = BusyboxRootfs.create(dir.resolve("rootfs"));
        DevicesFile devices = DevicesFile.parse("""
                discover: false
                devices: [{name: camera-1, class: camera, properties: {gain: "2"}}]
                """);
        agent = NodeAgent.start(new NodeConfig(dir.resolve("node"), new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512),
                null, null, 64 * 1024, null, null, null, null, devices, null), rc -> List.of(new OciDriver(rc, Monitor.RUNC)));
        layoutRoot = dir.resolve("node");
        try {
            apply("""
                    apiVersion: orchide.io/v1
                    kind: DeviceGrant
                    metadata: {name: ocean-camera-read, tenant: ocean-team}
                    spec: {device: camera-1, apps: [boxed], verbs: [read]}
                    """);
            apply(container("boxed", "ocean-team", rootfs));
            apply(container("unboxed", "ocean-team", rootfs));
            assertLogs("boxed", "broker: /run/orchide/broker.sock ", "\"ok\":true", "\"grant\":\"ocean-camera-read\"");
            assertLogs("unboxed", "broker: none");
        } finally {
            agent.close();
        }
    }
}
