package io.orchide.node.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.DeviceGrant;
import io.orchide.model.DeviceGrantSpec.Verb;
import io.orchide.model.Manifests;
import io.orchide.model.message.StatusReport;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.device.Position;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BrokerTest {
    private static final Instant NOON = Instant.parse("2026-06-21T12:00:00Z");
    private static final Caller SHIPS = new Caller("ocean-team", "pipeline", "ship-detect", 50);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOON);
    private final AtomicReference<Position> where = new AtomicReference<>(new Position(NOON, 48, 2, 500_000));
    private NodeDatabase db;
    private AuditTrail audit;
    private GrantStore grants;
    private Broker broker;

    @BeforeEach
    void setUp() throws Exception {
        db = NodeDatabase.open(NodeLayout.of(dir));
        audit = new AuditTrail(db.writer(), clock);
        grants = new GrantStore(db.writer(), clock);
        DeviceTwin twin = new DeviceTwin(DevicesFile.parse("""
                discover: false
                devices:
                  - {name: camera-1, class: camera, properties: {gain: "2"}}
                  - {name: gnss-1, class: gnss}
                """), List.of());
        broker = new Broker(twin, grants::forDevice, new Leases(clock, Duration.ofMinutes(5)), clock,
                t -> where.get(), Duration.ofMinutes(95), audit::record);
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    private void grant(String spec) throws Exception {
        DeviceGrant g = Manifests.parseDeviceGrant("""
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: ocean-camera, tenant: ocean-team}
                spec:
                """ + spec.indent(2));
        grants.apply(g);
    }

    @Test
    void withoutAGrantEveryRequestIsRefusedAndAudited() {
        Decision d = broker.decide(SHIPS, "camera-1", Verb.CAPTURE);
        assertThat(d.allowed()).isFalse();
        assertThat(d.code()).isEqualTo(Decision.NO_GRANT);
        StatusReport.Audit a = audit.recent(1).getFirst();
        assertThat(List.of(a.origin(), a.verb(), a.kind(), a.name(), a.tenant(), a.outcome()))
                .containsExactly("broker", "capture", "Device", "camera-1", "ocean-team", "refused");
        assertThat(a.reason()).contains("pipeline ship-detect").contains("no grant");
        assertThat(broker.decide(SHIPS, "radio-9", Verb.READ).code()).isEqualTo(Decision.NO_SUCH_DEVICE);
    }

    @Test
    void aGrantCoversOnlyItsTenantItsPipelinesAndItsVerbs() throws Exception {
        grant("{device: camera-1, pipelines: [ship-detect], verbs: [read]}");
        assertThat(broker.decide(SHIPS, "camera-1", Verb.READ).allowed()).isTrue();
        assertThat(broker.decide(SHIPS, "camera-1", Verb.CAPTURE).code()).isEqualTo(Decision.VERB_NOT_GRANTED);
        assertThat(broker.decide(new Caller("ocean-team", "pipeline", "other", 0), "camera-1", Verb.READ).code())
                .isEqualTo(Decision.NO_GRANT);
        assertThat(broker.decide(new Caller("fire-team", "pipeline", "ship-detect", 0), "camera-1", Verb.READ).code())
                .isEqualTo(Decision.NO_GRANT);
        assertThat(audit.recent(4)).extracting(StatusReport.Audit::outcome)
                .containsExactly("refused", "refused", "refused", "allowed");
    }

    @Test
    void aCaptureOutsideItsUtcWindowIsRefusedAndAudited() throws Exception {
        grant("{device: camera-1, verbs: [capture], windows: {utc: ['06:00-11:00', '13:00-14:00']}}");
        Decision d = broker.decide(SHIPS, "camera-1", Verb.CAPTURE);
        assertThat(d.code()).isEqualTo(Decision.OUTSIDE_WINDOW);
        assertThat(d.reason()).contains("06:00-11:00").contains("13:00-14:00");
        assertThat(audit.recent(1).getFirst().outcome()).isEqualTo("refused");
        clock.advance(Duration.ofHours(1));
        assertThat(broker.decide(SHIPS, "camera-1", Verb.CAPTURE).allowed()).isTrue();
    }

    @Test
    void aCaptureOutsideTheRegionOrInTheDarkIsRefused() throws Exception {
        grant("{device: camera-1, verbs: [capture], windows: {region: {minLat: 35, maxLat: 71, minLon: -25, maxLon: 45}, sunlight: true}}");
        assertThat(broker.decide(SHIPS, "camera-1", Verb.CAPTURE).allowed()).isTrue(); // over Paris at noon
        where.set(new Position(NOON, 10, 2, 500_000));
        assertThat(broker.decide(SHIPS, "camera-1", Verb.CAPTURE).reason()).contains("outside the region");
        where.set(new Position(NOON, 48, 2, 500_000));
        clock.set(Instant.parse("2026-06-21T23:30:00Z"));
        Decision night = broker.decide(SHIPS, "camera-1", Verb.CAPTURE);
        assertThat(night.code()).isEqualTo(Decision.OUTSIDE_WINDOW);
        assertThat(night.reason()).contains("not in sunlight");
    }

    @Test
    void aGrantByPositionOnANodeWithoutPositionRefuses() throws Exception {
        grant("{device: camera-1, verbs: [capture], windows: {sunlight: true}}");
        Broker blind = new Broker(broker.twin(), grants::forDevice, new Leases(clock, Duration.ofMinutes(5)), clock,
                null, Duration.ofMinutes(95), audit::record);
        assertThat(blind.decide(SHIPS, "camera-1", Verb.CAPTURE).code()).isEqualTo(Decision.NO_POSITION);
    }

    @Test
    void aGrantOverARegionFollowsTheGnssFixAndRefusesWhileTheReceiverHasNoRecentOne() throws Exception {
        grant("{device: camera-1, verbs: [capture], windows: {region: {minLat: 40, maxLat: 55, minLon: 0, maxLon: 20}}}");
        clock.set(Instant.parse("2026-06-21T12:35:20Z"));
        io.orchide.node.position.GnssPositionSource gnss =
                new io.orchide.node.position.GnssPositionSource("gnss-1", clock, Duration.ofSeconds(10), p -> { });
        Broker located = new Broker(broker.twin(), grants::forDevice, new Leases(clock, Duration.ofMinutes(5)), clock,
                gnss, Duration.ofMinutes(95), audit::record);
        Decision noFix = located.decide(SHIPS, "camera-1", Verb.CAPTURE);
        assertThat(noFix.code()).isEqualTo(Decision.NO_POSITION);
        assertThat(noFix.reason()).contains("no fix yet");

        gnss.accept("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47"); // over Munich
        assertThat(located.decide(SHIPS, "camera-1", Verb.CAPTURE).allowed()).isTrue();

        clock.advance(Duration.ofMinutes(1));
        Decision stale = located.decide(SHIPS, "camera-1", Verb.CAPTURE);
        assertThat(stale.code()).isEqualTo(Decision.NO_POSITION);
        assertThat(stale.reason()).contains("more than 10 s");
    }

    @Test
    void overItsQuotaPerOrbitACaptureIsRefusedUntilTheNextOrbit() throws Exception {
        grant("{device: camera-1, verbs: [capture], quota: {perOrbit: 2, perDay: 3}}");
        clock.set(Instant.ofEpochMilli(Duration.ofMinutes(95).toMillis() * 300_000L)); // the start of an orbit
        assertThat(broker.decide(SHIPS, "camera-1", Verb.CAPTURE).allowed()).isTrue();
        assertThat(broker.decide(SHIPS, "camera-1", Verb.CAPTURE).allowed()).isTrue();
        Decision over = broker.decide(SHIPS, "camera-1", Verb.CAPTURE);
        assertThat(over.code()).isEqualTo(Decision.QUOTA_EXCEEDED);
        assertThat(over.reason()).contains("2 per orbit").contains("used 2").contains("requested 1");
        assertThat(audit.recent(1).getFirst().reason()).contains("2 per orbit");

        clock.advance(Duration.ofMinutes(95));
        assertThat(broker.decide(SHIPS, "camera-1", Verb.CAPTURE).allowed()).isTrue();
        clock.advance(Duration.ofMinutes(95));
        assertThat(broker.decide(SHIPS, "camera-1", Verb.CAPTURE).reason()).contains("3 per day");
    }

    @Test
    void overItsRateARequestIsRefusedUntilTheRateAllowsAgain() throws Exception {
        grant("{device: gnss-1, verbs: [read], rateLimit: {requests: 2, per: 1m}}");
        assertThat(broker.decide(SHIPS, "gnss-1", Verb.READ).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(broker.decide(SHIPS, "gnss-1", Verb.READ).allowed()).isTrue();
        assertThat(broker.decide(SHIPS, "gnss-1", Verb.READ).code()).isEqualTo(Decision.RATE_LIMITED);
        clock.advance(Duration.ofSeconds(51));
        assertThat(broker.decide(SHIPS, "gnss-1", Verb.READ).allowed()).isTrue();
    }

    @Test
    void aConfigureWaitsForTheLeaseAHigherPriorityHolderHoldsThenRuns() throws Exception {
        grant("{device: camera-1, verbs: [configure, read]}");
        Leases.Lease held = broker.leases().acquire("camera-1", "ocean-team/pipeline/urgent", 90).join();
        ObjectNode args = TwinHandler.JSON.createObjectNode();
        args.putObject("properties").put("gain", "8");
        CompletableFuture<Broker.Outcome> low = CompletableFuture.supplyAsync(() -> {
            try {
                return broker.perform(new Caller("ocean-team", "pipeline", "survey", 10), "camera-1", Verb.CONFIGURE, args);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> !broker.leases().waiters("camera-1").isEmpty());
        assertThat(low).isNotDone();
        broker.leases().release(held);
        Broker.Outcome done = low.get();
        assertThat(done.decision().allowed()).isTrue();
        assertThat(done.result().path("desired").path("gain").asText()).isEqualTo("8");
        assertThat(done.result().path("pending").path("gain").asText()).isEqualTo("8");
        assertThat(broker.leases().holder("camera-1")).isEmpty();
    }

    @Test
    void grantsOutliveTheAgent() throws Exception {
        grant("{device: camera-1, verbs: [read]}");
        assertThat(new GrantStore(db.writer(), clock).list()).extracting(DeviceGrant::name).containsExactly("ocean-camera");
    }

    @Test
    void aRequestTheDeviceRefusesAfterTheGrantAllowedItIsAuditedAsRefused() throws Exception {
        grant("{device: camera-1, verbs: [capture]}");
        broker.handle("camera-1", (verb, device, caller, args) -> {
            throw new io.orchide.node.device.DeviceInputException("dataset", "archive",
                    caller.kind() + " " + caller.name() + " may not write this dataset");
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broker.perform(SHIPS, "camera-1", Verb.CAPTURE,
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"dataset\": \"archive\"}")))
                .isInstanceOf(io.orchide.model.FieldValueException.class);
        assertThat(audit.recent(2)).extracting(StatusReport.Audit::outcome).containsExactly("refused", "allowed");
        StatusReport.Audit refused = audit.recent(1).getFirst();
        assertThat(List.of(refused.origin(), refused.verb(), refused.name(), refused.tenant()))
                .containsExactly("broker", "capture", "camera-1", "ocean-team");
        assertThat(refused.reason()).contains("pipeline ship-detect: allowed under grant ocean-camera, then refused by "
                + "the device (dataset)").contains("may not write this dataset");
        assertThat(broker.leases().holder("camera-1")).as("the lease is given back").isEmpty();
    }

    @Test
    void aMalformedRequestIsRefusedNamingTheFieldAuditedAndItsRepeatsCoalescedByMinute() throws Exception {
        ObjectNode a = BrokerProtocol.answer(broker, SHIPS, "{\"id\": 7, \"verb\": \"steal\", \"device\": \"camera-1\"}");
        assertThat(a.path("ok").asBoolean()).isFalse();
        assertThat(a.path("code").asText()).isEqualTo("invalid");
        assertThat(a.path("field").asText()).isEqualTo("verb");
        StatusReport.Audit first = audit.recent(1).getFirst();
        assertThat(List.of(first.origin(), first.verb(), first.name(), first.tenant(), first.outcome()))
                .containsExactly("broker", "request", "ship-detect", "ocean-team", StatusReport.Audit.REFUSED);
        assertThat(first.reason()).contains("pipeline ship-detect: malformed request: verb: must be one of")
                .contains("(got steal)");

        for (String bad : List.of("not json", "[1]", "{\"verb\": \"capture\"}")) {
            assertThat(BrokerProtocol.answer(broker, SHIPS, bad).path("code").asText()).isEqualTo("invalid");
        }
        assertThat(audit.recent(10)).as("repeats within the minute are counted, not recorded").hasSize(1);

        clock.advance(Duration.ofSeconds(61));
        BrokerProtocol.answer(broker, SHIPS, "{\"verb\": \"capture\"}");
        List<StatusReport.Audit> records = audit.recent(10);
        assertThat(records).hasSize(2);
        assertThat(records.getFirst().reason()).contains("malformed request: device: is required")
                .contains("and 3 more malformed request(s)");
        assertThat(broker.tallies()).containsEntry(new Broker.Tally("request", "invalid"), 5L);
    }
}
