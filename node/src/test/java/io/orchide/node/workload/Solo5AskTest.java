package io.orchide.node.workload;

import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.Monitor;
import io.orchide.node.broker.Broker;
import io.orchide.node.broker.BrokerMailbox;
import io.orchide.node.broker.BrokerSockets;
import io.orchide.node.broker.Caller;
import io.orchide.node.broker.ProbeGnssBroker;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.solo5.Solo5Driver;
import io.orchide.testkit.Examples;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The solo5ask example guest, built against a Solo5 build tree ({@code SOLO5_BUILD}), asks the broker through the
 * mailbox the launcher attaches, under the real {@code solo5-spt}: the command the Solo5 driver prepares is run as is.
 */
class Solo5AskTest {
    @TempDir
    Path tmp;

    private final List<String> audit = new CopyOnWriteArrayList<>();
    private Path tree;
    private Path examples;

    @BeforeEach
    void findTree() throws Exception {
        tree = Solo5Tree.required();
        examples = Examples.make("examples/unikernels/solo5ask");
    }

    private Broker broker() throws Exception {
        return ProbeGnssBroker.create(new MutableClock(Instant.parse("2026-06-21T12:00:00Z")), audit);
    }

    /** Prepares the guest as the node does, runs its tender, and gives its exit status and console. */
    private Map.Entry<Integer, String> ask(WorkloadLauncher launcher, Monitor monitor, String request, String run) throws Exception {
        Path image = examples.resolve("build/solo5ask." + (monitor == Monitor.SOLO5_HVT ? "hvt" : "spt"));
        App app = Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: probe, tenant: ocean-team}
                spec:
                  image: %s
                  runtime: {family: mirage, monitor: %s}
                  args: ['%s']
                  resources: {vcpus: 1, memoryMiB: 16}
                """.formatted(image, monitor.wire(), request), Arch.host());
        List<String> cmd = launcher.prepare(app, tmp.resolve(run)).launch().command();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return Map.entry(p.exitValue(), out);
    }

    @Test
    void underSpt() throws Exception {
        theGuestAsksThroughItsMailboxAndPrintsTheBrokersAnswer(Monitor.SOLO5_SPT);
    }

    @Test
    void underHvt() throws Exception {
        Path kvm = Path.of("/dev/kvm");
        assumeTrue(Files.isReadable(kvm) && Files.isWritable(kvm), "no usable /dev/kvm");
        assumeTrue(Files.isExecutable(tree.resolve("tenders/hvt/solo5-hvt")), "the Solo5 tree has no solo5-hvt");
        theGuestAsksThroughItsMailboxAndPrintsTheBrokersAnswer(Monitor.SOLO5_HVT);
    }

    private void theGuestAsksThroughItsMailboxAndPrintsTheBrokersAnswer(Monitor monitor) throws Exception {
        Path tender = tree.resolve("tenders/" + (monitor == Monitor.SOLO5_HVT ? "hvt" : "spt") + "/" + monitor.wire());
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        Path socket = layout.brokerSocket("app", "probe");
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, ""); // stands for the bound socket: the launcher needs it to exist
        RuntimeConfig rc = new RuntimeConfig(null, Map.of(monitor, tender), Accel.AUTO, 0, tmp.resolve("state"));
        WorkloadLauncher launcher = new WorkloadLauncher(new Drivers(List.of(new Solo5Driver(rc))), null, new ImageResolver(),
                new ContentImages(layout.images()), layout, WorkloadLauncher.SecretValues.NONE, (app, owner) -> Optional.of(socket));
        Caller probe = new Caller("ocean-team", "app", "probe", 0);
        try (BrokerMailbox m = BrokerMailbox.open(BrokerSockets.mailboxesOf(socket), () -> probe, broker())) {
            var read = ask(launcher, monitor, "{\"id\": 7, \"verb\": \"read\", \"device\": \"gnss-1\"}", "run-1");
            assertThat(read.getValue()).contains("solo5ask: answer: {\"id\":7,\"ok\":true,\"grant\":\"probe-gnss\"", "\"rate\":\"1Hz\"");
            assertThat(read.getKey()).as(read.getValue()).isZero();

            var configure = ask(launcher, monitor, "{\"id\": 8, \"verb\": \"configure\", \"device\": \"gnss-1\"}", "run-2");
            assertThat(configure.getValue()).contains("\"id\":8", "\"ok\":false", "\"code\":\"verb_not_granted\"");
            assertThat(configure.getKey()).isEqualTo(1);
        }
        assertThat(audit).containsExactly("read allowed", "configure refused");
    }
}
