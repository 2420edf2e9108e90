package io.orchide.model.message;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessagesTest {
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void desiredChangesRoundTripAndBadOnesAreRefusedByField() throws Exception {
        DesiredChange app = new DesiredChange(DesiredChange.APP, "hello", 3, "kind: App\n");
        assertThat(DesiredChange.decode(app.encode())).isEqualTo(app);
        DesiredChange gone = new DesiredChange(DesiredChange.PIPELINE, "scan", 4, null);
        assertThat(DesiredChange.decode(gone.encode()).deleted()).isTrue();
        DesiredChange dataset = new DesiredChange(DesiredChange.DATASET, "archive", 1, "kind: Dataset\n");
        assertThat(DesiredChange.decode(dataset.encode())).isEqualTo(dataset);
        assertThatThrownBy(() -> DesiredChange.decode(json("{\"kind\":\"Job\",\"name\":\"x\",\"generation\":0}")))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errors())
                        .extracting(f -> f.path()).containsExactlyInAnyOrder("kind", "generation"));
        assertThatThrownBy(() -> DesiredChange.decode(json("{\"kind\":\"App\",\"name\":\"x\"}")))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errors().getFirst().path()).isEqualTo("generation"));
        assertThatThrownBy(() -> DesiredChange.decode(json("[1]"))).isInstanceOf(MessageException.class);
        assertThatThrownBy(() -> DesiredChange.decode(new byte[0])).isInstanceOf(MessageException.class);
        assertThatThrownBy(() -> DesiredChange.decode(json("{\"kind\":\"App\"} trailing"))).isInstanceOf(MessageException.class);
    }

    @Test
    void statusReportsRoundTripWithLogsBounded() throws Exception {
        List<String> many = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "line " + i).toList();
        StatusReport r = new StatusReport(AT, "n1",
                List.of(new StatusReport.Workload("hello", "Running", AT, 2, null)),
                List.of(new StatusReport.Run("scan-000001", "scan", "succeeded", AT, null)),
                List.of(new StatusReport.Event(AT, "App/hello", "generation 1 created")),
                List.of(new StatusReport.LogExcerpt("crashy", AT, many)));
        assertThat(r.logs().getFirst().lines()).hasSize(StatusReport.MAX_LOG_LINES).endsWith("line 49");
        assertThat(StatusReport.decode(r.encode())).isEqualTo(r);
        assertThatThrownBy(() -> StatusReport.decode(json("{\"at\":\"yesterday\",\"node\":\"n1\",\"workloads\":[{\"name\":\"a\"}]}")))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errors()).extracting(f -> f.path())
                        .contains("at", "workloads[0].state"));
    }

    @Test
    void aReportCarriesTheNodesAuditRecordsAndAnOlderReportWithoutThemStillReads() throws Exception {
        StatusReport r = new StatusReport(AT, "n1", List.of(), List.of(), List.of(), List.of(), List.of(
                new StatusReport.Audit(7, AT, "ground", "apply", "App", "hello", "ocean", 3, "applied", "created"),
                new StatusReport.Audit(8, AT, "local", "delete", "Pipeline", "scan", null, null, "refused", null)), "e1");
        assertThat(StatusReport.decode(r.encode())).isEqualTo(r);
        assertThat(StatusReport.decode(json("{\"at\":\"" + AT + "\",\"node\":\"n1\"}")).audit()).isEmpty();
        assertThatThrownBy(() -> StatusReport.decode(json("{\"at\":\"" + AT + "\",\"node\":\"n1\",\"audit\":"
                + "[{\"seq\":0,\"at\":\"" + AT + "\",\"origin\":\"local\",\"verb\":\"apply\",\"kind\":\"App\","
                + "\"name\":\"x\",\"outcome\":\"maybe\"}]}")))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errors()).extracting(f -> f.path())
                        .containsExactlyInAnyOrder("audit[0].seq", "audit[0].outcome", "auditEpoch"));
    }

    @Test
    void aTenantsQuotaRoundTripsWithUnsetLimitsAndABadOneIsRefusedByField() throws Exception {
        TenantQuota q = new TenantQuota("ocean", 2, 1500L, 1L << 30, null);
        assertThat(TenantQuota.decode(q.encode())).isEqualTo(q);
        assertThat(new TenantQuota("fire", 1, null, null, null).unlimited()).isTrue();
        assertThatThrownBy(() -> TenantQuota.decode(json("{\"tenant\":\"ocean\",\"cpuMillis\":-1,\"disk\":1}")))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errors()).extracting(f -> f.path())
                        .containsExactlyInAnyOrder("version", "cpuMillis", "disk"));
    }

    @Test
    void productPayloadsCarryTheirContentAndRefuseTamperedOnes() throws Exception {
        byte[] content = "a product".getBytes(StandardCharsets.UTF_8);
        ProductPayload p = new ProductPayload(new ProductPayload.Header(7, "scan-000001", "shoot", null, "frame.txt",
                content.length, ProductPayload.sha256(content), 70, AT, AT.plusSeconds(60), "{\"pipeline\":\"scan\"}"), content);
        ProductPayload back = ProductPayload.decode(p.encode());
        assertThat(back.header()).isEqualTo(p.header());
        assertThat(back.content()).isEqualTo(content);

        byte[] tampered = p.encode();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> ProductPayload.decode(tampered))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errors().getFirst().path()).isEqualTo("sha256"));
        byte[] truncated = java.util.Arrays.copyOf(p.encode(), 10);
        assertThatThrownBy(() -> ProductPayload.decode(truncated))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errors().getFirst().path()).isEqualTo("headerLength"));
        assertThatThrownBy(() -> ProductPayload.decode(new byte[]{0, 0}))
                .isInstanceOf(MessageException.class);
    }

    @Test
    void aReportCarriesTheNodesPositionOrWhyItHasNoneAndAnOlderReportWithoutOneStillReads() throws Exception {
        StatusReport.Position fix = new StatusReport.Position("gnss gnss-1, then tle SAT-1 (epoch 26330.5)",
                new StatusReport.Position.Fix("gnss gnss-1", AT.minusSeconds(3), 48.85, -2.35, 512_000.5), null);
        StatusReport r = new StatusReport(AT, "n1", List.of(), List.of(), List.of(), List.of(), List.of(), null, null, fix);
        assertThat(StatusReport.decode(r.encode())).isEqualTo(r);
        StatusReport.Position none = new StatusReport.Position("none", null, "this node has no position source");
        StatusReport without = new StatusReport(AT, "n1", List.of(), List.of(), List.of(), List.of(), List.of(), null,
                null, none);
        assertThat(StatusReport.decode(without.encode()).position()).isEqualTo(none);
        // a node from before positions were reported: its report reads, with no position
        assertThat(StatusReport.decode(json("{\"at\":\"" + AT + "\",\"node\":\"n1\",\"workloads\":[],"
                + "\"devices\":[]}")).position()).isNull();
    }

    @Test
    void aBadPositionIsRefusedNamingEachField() {
        assertThatThrownBy(() -> StatusReport.decode(json("{\"at\":\"" + AT + "\",\"node\":\"n1\",\"position\":"
                + "{\"fix\":{\"time\":\"noon\",\"latitudeDeg\":91,\"longitudeDeg\":\"east\"},\"reason\":\"x\"}}")))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errors()).extracting(f -> f.path())
                        .containsExactlyInAnyOrder("position.source", "position.fix.time", "position.fix.latitudeDeg",
                                "position.fix.longitudeDeg", "position.fix.altitudeM", "position.reason"));
        assertThatThrownBy(() -> StatusReport.decode(json("{\"at\":\"" + AT + "\",\"node\":\"n1\",\"position\":"
                + "{\"source\":\"none\"}}")))
                .isInstanceOfSatisfying(MessageException.class, e -> assertThat(e.errors()).extracting(f -> f.path())
                        .containsExactly("position.reason"));
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
