package io.orchide.node.telemetry;

import io.orchide.model.DeviceGrantSpec.Verb;
import io.orchide.model.Manifests;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.broker.Broker;
import io.orchide.node.broker.Caller;
import io.orchide.node.broker.GrantStore;
import io.orchide.node.broker.Leases;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import io.orchide.testkit.MutableClock;
import io.orchide.web.telemetry.TextFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker's decisions and leases as an operator scrapes them from the node's /metrics. */
class BrokerMetricsTest {
    @TempDir
    Path dir;

    @Test
    void decisionsAreCountedByVerbAndOutcomeAndLeasesByDevice() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-21T12:00:00Z"));
        try (NodeDatabase db = NodeDatabase.open(NodeLayout.of(dir))) {
            GrantStore grants = new GrantStore(db.writer(), clock);
            grants.apply(Manifests.parseDeviceGrant("""
                    apiVersion: orchide.io/v1
                    kind: DeviceGrant
                    metadata: {name: ocean-camera, tenant: ocean-team}
                    spec:
                      device: camera-1
                      verbs: [read]
                      quota: {perDay: 1}
                    """));
            DeviceTwin twin = new DeviceTwin(DevicesFile.parse("""
                    discover: false
                    devices:
                      - {name: camera-1, class: camera}
                      - {name: gnss-1, class: gnss}
                    """), List.of());
            Broker broker = new Broker(twin, grants::forDevice, new Leases(clock, Duration.ofMinutes(5)), clock,
                    null, Duration.ofMinutes(95), new AuditTrail(db.writer(), clock)::record);
            Caller ships = new Caller("ocean-team", "pipeline", "ship-detect", 50);

            assertThat(TextFormat.write(BrokerMetrics.of(broker)))
                    .contains("# TYPE orchide_broker_decisions_total counter\n")
                    .doesNotContain("orchide_broker_decisions_total{")
                    .contains("orchide_device_leased{device=\"camera-1\"} 0\n")
                    .contains("orchide_device_lease_waiters{device=\"gnss-1\"} 0\n");

            broker.decide(ships, "camera-1", Verb.READ);      // allowed
            broker.decide(ships, "camera-1", Verb.READ);      // over the day's quota of 1
            broker.decide(ships, "camera-1", Verb.CAPTURE);   // not granted
            broker.decide(ships, "gnss-1", Verb.READ);        // no grant for that device
            Leases.Lease held = broker.leases().acquire("camera-1", "ocean-team/pipeline/urgent", 90).join();
            CompletableFuture<Leases.Lease> waiting = broker.leases().acquire("camera-1", "ocean-team/pipeline/survey", 10);

            assertThat(TextFormat.write(BrokerMetrics.of(broker)))
                    .contains("orchide_broker_decisions_total{verb=\"read\",outcome=\"allowed\"} 1\n")
                    .contains("orchide_broker_decisions_total{verb=\"read\",outcome=\"quota_exceeded\"} 1\n")
                    .contains("orchide_broker_decisions_total{verb=\"capture\",outcome=\"verb_not_granted\"} 1\n")
                    .contains("orchide_broker_decisions_total{verb=\"read\",outcome=\"no_grant\"} 1\n")
                    .contains("orchide_device_leased{device=\"camera-1\"} 1\n")
                    .contains("orchide_device_lease_waiters{device=\"camera-1\"} 1\n")
                    .contains("orchide_device_leased{device=\"gnss-1\"} 0\n");

            broker.leases().release(held);
            assertThat(waiting).isCompleted();
            assertThat(TextFormat.write(BrokerMetrics.of(broker)))
                    .contains("orchide_device_lease_waiters{device=\"camera-1\"} 0\n");
        }
    }
}
