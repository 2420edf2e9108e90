package io.orchide.cli;

import io.orchide.model.codec.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** set telemetry-budget against ground: the budget as typed goes to ground, ground's refusal reaches the user. */
class TelemetryVerbsTest {
    @RegisterExtension
    final FakeServer ground = FakeServer.ground();

    @Test
    void setTelemetryBudgetSendsTheBudgetAndShowsGroundsRefusal() throws Exception {
        ground.on("PUT /api/v1/satellites/sat-1/telemetry-budget", 200, """
                {"satellite":"sat-1","bytesPerDay":2097152,"version":3,"setAt":"2026-12-07T10:00:00Z"}""");
        ground.on("PUT /api/v1/satellites/sat-1/telemetry-budget", 400, """
                {"code":"invalid","message":"invalid telemetry budget","field":"bytesPerDay",
                 "errors":[{"field":"bytesPerDay","value":"10/d","message":"a size a day such as 2Mi/d"}]}""");
        FakeServer.Result r = ground.run("set", "telemetry-budget", "sat-1", "2Mi/d");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("satellite/sat-1 telemetry budget set: 2097152 bytes a day (version 3)");
        assertThat(Trees.readJson(ground.only().body().getBytes(StandardCharsets.UTF_8)).path("bytesPerDay").asText())
                .isEqualTo("2Mi/d");

        FakeServer.Result bad = ground.run("set", "telemetry-budget", "sat-1", "10/d");
        assertThat(bad.status()).isNotZero();
        assertThat(bad.err()).contains("bytesPerDay").contains("10/d");
    }

    @Test
    void setHousekeepingIntervalSendsTheIntervalAndShowsGroundsRefusal() throws Exception {
        ground.on("PUT /api/v1/satellites/sat-1/housekeeping-interval", 200, """
                {"satellite":"sat-1","bytesPerDay":0,"version":4,"setAt":"2026-12-07T10:00:00Z","intervalSeconds":300}""");
        ground.on("PUT /api/v1/satellites/sat-1/housekeeping-interval", 400, """
                {"code":"invalid","message":"invalid housekeeping interval","field":"interval",
                 "errors":[{"field":"interval","value":"2d","message":"a duration of whole seconds from 1s to 1d"}]}""");
        FakeServer.Result r = ground.run("set", "housekeeping-interval", "sat-1", "5m");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("satellite/sat-1 housekeeping interval set: 5m (version 4), sent with the next pass");
        assertThat(Trees.readJson(ground.only().body().getBytes(StandardCharsets.UTF_8)).path("interval").asText())
                .isEqualTo("5m");

        FakeServer.Result bad = ground.run("set", "housekeeping-interval", "sat-1", "2d");
        assertThat(bad.status()).isNotZero();
        assertThat(bad.err()).contains("interval").contains("2d");
    }

    @Test
    void logsFullAsksGroundSaysWhichPassBringsItAndShowsItOnceArrived() {
        String path = "/api/v1/satellites/sat-1/logs/hello/full";
        ground.on("GET " + path, 404, """
                {"code":"not_found","message":"no whole log of hello requested from sat-1","field":"workload","errors":[]}""");
        ground.on("POST " + path, 202, """
                {"id":4,"satellite":"sat-1","workload":"hello","state":"requested","requestedAt":"2026-12-07T10:00:00Z",
                 "nextPass":{"station":"svalbard","aos":"2026-12-07T10:23:00Z","startsInSeconds":1380}}""");
        // the second time, ground has it
        ground.on("GET " + path, 200, """
                {"id":4,"satellite":"sat-1","workload":"hello","state":"arrived","requestedAt":"2026-12-07T10:00:00Z",
                 "arrivedAt":"2026-12-07T10:24:00Z","log":"line 1\\nERROR line 2\\n"}""");
        FakeServer.Result asked = ground.run("logs", "hello", "--satellite", "sat-1", "--full");
        assertThat(asked.status()).as(asked.err()).isZero();
        assertThat(asked.out()).contains("workload/hello: whole log requested from sat-1")
                .contains("next pass: svalbard 2026-12-07T10:23:00Z (in 23m");

        FakeServer.Result shown = ground.run("logs", "hello", "--satellite", "sat-1", "--full");
        assertThat(shown.status()).as(shown.err()).isZero();
        assertThat(shown.out()).isEqualTo("line 1\nERROR line 2\n");

        FakeServer.Result noFull = ground.run("logs", "hello", "--satellite", "sat-1");
        assertThat(noFull.status()).isNotZero();
        assertThat(noFull.err()).contains("add --full");
    }

    @Test
    void logsFullOfARunsStepAsksGroundForItUnderTheNameGroundGivesTheStep() {
        String path = "/api/v1/satellites/sat-1/logs/cloud-filter-000042-tile-3/full";
        ground.on("GET " + path, 404, """
                {"code":"not_found","message":"no whole log requested","field":"workload","errors":[]}""");
        ground.on("POST " + path, 202, """
                {"id":5,"satellite":"sat-1","workload":"cloud-filter-000042-tile-3","state":"requested",
                 "requestedAt":"2026-12-07T10:00:00Z"}""");
        FakeServer.Result asked = ground.run("logs", "run", "cloud-filter-000042", "--step", "tile", "--item", "3",
                "--satellite", "sat-1", "--full");
        assertThat(asked.status()).as(asked.err()).isZero();
        assertThat(asked.out()).contains("run/cloud-filter-000042/tile.3: whole log requested from sat-1");

        FakeServer.Result noStep = ground.run("logs", "run", "cloud-filter-000042", "--satellite", "sat-1", "--full");
        assertThat(noStep.status()).isNotZero();
        assertThat(noStep.err()).contains("--step");
    }
}
