package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchide get audit}: the filters as ground's query, the table, the pages, and refusals before any request. */
class AuditVerbTest {
    @RegisterExtension
    final FakeServer ground = FakeServer.ground();

    static final String DENIED = """
            {"seq":7,"time":"2026-12-07T10:00:02Z","actor":"dev-fire","tenant":"ocean-team","verb":"delete",
             "resource":"satellites/sat-1/pipelines/scan","outcome":"denied","source":"192.0.2.7",
             "detail":"developer of fire-team may not delete pipelines of ocean-team","hash":"%s"}""".formatted("a".repeat(64));
    static final String FLEET = """
            {"seq":6,"time":"2026-12-07T10:00:01Z","actor":"admin","tenant":null,"verb":"create",
             "resource":"tenants/ocean-team","outcome":"allowed","source":null,"detail":null,"hash":"%s"}""".formatted("b".repeat(64));

    @Test
    void listsTheFilteredEntriesAsATable() {
        ground.on("GET /api/v1/audit", 200, "{\"items\":[" + DENIED + "," + FLEET + "],\"next\":null}");
        FakeServer.Result r = ground.run("get", "audit", "--since", "1h", "--tenant", "ocean-team", "--actor", "dev-fire",
                "--outcome", "denied");
        assertThat(r.status()).isZero();
        assertThat(ground.only().toString())
                .isEqualTo("GET /api/v1/audit?since=1h&tenant=ocean-team&actor=dev-fire&outcome=denied&limit=100");
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("TIME +ACTOR +TENANT +VERB +RESOURCE +OUTCOME +SOURCE");
        assertThat(lines[1]).matches("2026-12-07T10:00:02Z +dev-fire +ocean-team +delete +satellites/sat-1/pipelines/scan +denied +192\\.0\\.2\\.7");
        assertThat(lines[2]).matches("2026-12-07T10:00:01Z +admin +- +create +tenants/ocean-team +allowed +-");
    }

    @Test
    void followsThePagesUpToTheLimitAndPrintsJson() {
        ground.on("GET /api/v1/audit", 200, "{\"items\":[" + DENIED + "],\"next\":7}");
        ground.on("GET /api/v1/audit", 200, "{\"items\":[" + FLEET + "],\"next\":6}");
        FakeServer.Result r = ground.run("get", "audit", "--limit", "2", "-o", "json");
        assertThat(r.status()).isZero();
        assertThat(ground.requests).extracting(FakeServer.Request::toString).containsExactly(
                "GET /api/v1/audit?limit=2", "GET /api/v1/audit?limit=1&before=7");
        assertThat(r.out()).contains("\"seq\" : 7").contains("\"seq\" : 6");
    }

    @Test
    void badFiltersAreRefusedBeforeAnyRequest() {
        assertThat(ground.run("get", "audit", "--outcome", "maybe").err())
                .contains("--outcome: unknown outcome maybe (known: allowed, denied, failed)");
        assertThat(ground.run("get", "audit", "--since", "an hour").err()).contains("--since").contains("an hour");
        assertThat(ground.run("get", "audit", "--tenant", "Ocean").err()).contains("invalid name Ocean");
        assertThat(ground.run("get", "workloads", "--since", "1h").err()).contains("--since applies to audit only");
        assertThat(ground.run("get", "audit", "--satellite", "sat-1").err()).contains("drop --satellite");
        assertThat(ground.requests).isEmpty();
    }

    @Test
    void groundsRefusalIsShownWithTheParameter() {
        ground.on("GET /api/v1/audit", 400, """
                {"code":"invalid","message":"since: must be a duration back from now, such as 30m, 1h or 7d",
                 "errors":[{"field":"since","value":"99999999999999d","message":"must be a duration back from now, such as 30m, 1h or 7d"}]}""");
        FakeServer.Result r = ground.run("get", "audit", "--since", "999999999999d");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("since: must be a duration back from now");
    }
}
