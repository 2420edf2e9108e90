package io.orchide.ground.series;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.auth.AuthSettings;
import io.orchide.ground.intake.RefusedBundle;
import io.orchide.link.Bundle;
import io.orchide.model.codec.Trees;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.Housekeeping;
import io.orchide.model.message.ProductPayload;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ground keeps satellites' housekeeping, serves it to whoever may read the satellite, and deletes it after retention. */
class SeriesTest {
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
    private static final String RUNNING = "orchide_workloads{state=\"running\"}";
    private static final String BYTES = "orchide_link_bytes_total{direction=\"down\"}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** What Debian's {@code promtool check metrics} says of {@code text}: {@code exit 0} when it finds no problem. */
    String promtool(String text) throws Exception {
        Path in = Files.writeString(tmp.resolve("scrape.txt"), text);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectInput(in.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return "exit " + p.exitValue() + (out.isBlank() ? "" : ": " + out.strip());
    }

    @TempDir
    Path tmp;
    GroundServer ground;
    final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(1)));
    int port;
    int bundles;

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    record Reply(int status, JsonNode json, String body) {
    }

    Reply call(String method, String token, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                ? Trees.readJson(r.body().getBytes(StandardCharsets.UTF_8)) : null;
        return new Reply(r.statusCode(), json, r.body());
    }

    String token(String admin, String tenant) throws Exception {
        Reply r = call("POST", admin, "/api/v1/tokens", "{\"role\": \"developer\", \"tenant\": \"" + tenant + "\", \"ttl\": \"1d\"}");
        assertThat(r.status()).isEqualTo(201);
        return r.json().path("token").asText();
    }

    void deliver(String sat, Housekeeping h) throws Exception {
        byte[] p = h.encode();
        ground.intake().deliver(new Bundle("housekeeping." + sat + "." + (++bundles), sat, "ground",
                BundleKind.HOUSEKEEPING.wire(), BundleKind.HOUSEKEEPING.priority(), clock.instant(), Duration.ofDays(1),
                p.length, "sha256:" + ProductPayload.sha256(p)), p);
    }

    static List<Housekeeping.Interval> minutes(Instant from, int n) {
        List<Housekeeping.Interval> out = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            out.add(new Housekeeping.Interval(from.plusSeconds(60L * m), 1,
                    Map.of(0, new Housekeeping.Cell(1, 3, 2, 3), 1, Housekeeping.Cell.flat(1000 + m))));
        }
        return out;
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anOperatorsBudgetGoesUpWithANewVersionAndABadOneChangesNothing(String backend) throws Exception {
        Path tokenFile = tmp.resolve("admin.token");
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        FakeUplink uplink = new FakeUplink(clock);
        ground = GroundServer.start(GroundConfig.builder().dataDir(url == null ? tmp : null).dbUrl(url).clock(clock)
                .listen(new InetSocketAddress("127.0.0.1", 0)).build().withAuth(new AuthSettings(tokenFile, false)), uplink);
        port = ground.apiAddress().getPort();
        String admin = Files.readString(tokenFile).strip();
        call("POST", admin, "/api/v1/tenants", "{\"name\": \"fire\"}");
        String fire = token(admin, "fire");
        String path = "/api/v1/satellites/sat-1/telemetry-budget";

        assertThat(call("GET", admin, path, null).status()).isEqualTo(404);
        Reply set = call("PUT", admin, path, "{\"bytesPerDay\": \"2Mi/d\"}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().path("bytesPerDay").asLong()).isEqualTo(2L << 20);
        assertThat(call("PUT", admin, path, "{\"bytesPerDay\": \"500k/d\"}").json().path("version").asInt()).isEqualTo(2);
        assertThat(io.orchide.model.message.TelemetryBudget.decode(uplink.queued.get("telemetry-budget.sat-1.2").payload()))
                .isEqualTo(new io.orchide.model.message.TelemetryBudget(500_000, 2));

        Reply bad = call("PUT", admin, path, "{\"bytesPerDay\": \"10/d\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("bytesPerDay").contains("10/d");
        assertThat(call("PUT", fire, path, "{\"bytesPerDay\": \"8Mi/d\"}").status()).isEqualTo(403);
        assertThat(call("GET", admin, path, null).json().path("bytesPerDay").asLong()).isEqualTo(500_000);

        // the interval goes up with the budget as it stands, in the next version; a bad one changes nothing
        String interval = "/api/v1/satellites/sat-1/housekeeping-interval";
        Reply five = call("PUT", admin, interval, "{\"interval\": \"5m\"}");
        assertThat(five.status()).isEqualTo(200);
        assertThat(five.json().path("intervalSeconds").asLong()).isEqualTo(300);
        assertThat(io.orchide.model.message.TelemetryBudget.decode(uplink.queued.get("telemetry-budget.sat-1.3").payload()))
                .isEqualTo(new io.orchide.model.message.TelemetryBudget(500_000, 3, 300));
        for (String v : new String[]{"0s", "2d", "1500ms", "often"}) {
            Reply refused = call("PUT", admin, interval, "{\"interval\": \"" + v + "\"}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).isEqualTo("interval");
            assertThat(refused.body()).contains(v);
        }
        assertThat(call("PUT", fire, interval, "{\"interval\": \"1m\"}").status()).isEqualTo(403);
        assertThat(call("PUT", admin, path, "{\"bytesPerDay\": \"1Mi/d\"}").json().path("intervalSeconds").asLong())
                .isEqualTo(300);
        assertThat(call("GET", admin, path, null).json().path("version").asInt()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anOutageShowsAsAGapTenantsSeeOnlyTheirSatellitesAndOldSamplesGo(String backend) throws Exception {
        Path tokenFile = tmp.resolve("admin.token");
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        ground = GroundServer.start(GroundConfig.builder().dataDir(url == null ? tmp : null).dbUrl(url).clock(clock)
                .listen(new InetSocketAddress("127.0.0.1", 0)).build().withAuth(new AuthSettings(tokenFile, false)),
                new FakeUplink(clock));
        port = ground.apiAddress().getPort();
        String admin = Files.readString(tokenFile).strip();
        call("POST", admin, "/api/v1/tenants", "{\"name\": \"ocean\"}");
        call("POST", admin, "/api/v1/tenants", "{\"name\": \"fire\"}");
        String fire = token(admin, "fire"), ocean = token(admin, "ocean");
        assertThat(call("POST", fire, "/api/v1/satellites/sat-1/apply", """
                apiVersion: orchide.io/v1
                kind: Dataset
                metadata: {name: archive}
                spec:
                  quota: {bytes: 1Gi}
                """).status()).isEqualTo(201);

        Instant down = T0.plusSeconds(30 * 60), up = down.plus(Duration.ofHours(8));
        List<Housekeeping.Series> series = List.of(new Housekeeping.Series(0, RUNNING, Housekeeping.Kind.GAUGE),
                new Housekeeping.Series(1, BYTES, Housekeeping.Kind.COUNTER));
        deliver("sat-1", new Housekeeping("n1", "e1", Duration.ofMinutes(1), series, minutes(T0, 30), List.of(), List.of()));
        // the dictionary came with the first bundle: the second refers to it by index
        deliver("sat-1", new Housekeeping("n1", "e1", Duration.ofMinutes(1), List.of(), minutes(up, 30),
                List.of(new Housekeeping.Gap(down, up)),
                List.of(new Housekeeping.LogSummary("workload/hello", 10, 1, List.of("ERROR x"), "a", "b"))));

        Reply names = call("GET", admin, "/api/v1/series/metrics?satellite=sat-1", null);
        assertThat(names.status()).isEqualTo(200);
        assertThat(names.json().path("metrics")).extracting(JsonNode::asText).containsExactly(BYTES, RUNNING);

        String query = "/api/v1/series?satellite=sat-1&metric=" + q(RUNNING) + "&from=" + T0 + "&to=" + up.plus(Duration.ofHours(1));
        Reply s = call("GET", admin, query, null);
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.json().path("satellite").asText()).isEqualTo("sat-1");
        assertThat(s.json().path("metric").asText()).isEqualTo(RUNNING);
        assertThat(s.json().path("points")).hasSize(60);
        JsonNode first = s.json().path("points").get(0);
        assertThat(first.path("t").asText()).isEqualTo(T0.toString());
        assertThat(List.of(first.path("min").asDouble(), first.path("max").asDouble(), first.path("mean").asDouble(),
                first.path("last").asDouble())).containsExactly(1.0, 3.0, 2.0, 3.0);
        assertThat(s.json().path("points")).noneMatch(p -> {
            Instant t = Instant.parse(p.path("t").asText());
            return !t.isBefore(down) && t.isBefore(up);
        });
        assertThat(s.json().path("gaps")).hasSize(1);
        assertThat(s.json().path("gaps").get(0).path("from").asText()).isEqualTo(down.toString());
        assertThat(s.json().path("gaps").get(0).path("to").asText()).isEqualTo(up.toString());

        assertThat(call("GET", fire, query, null).json().path("points")).hasSize(60);
        assertThat(call("GET", ocean, query, null).status()).isEqualTo(404);
        assertThat(call("GET", ocean, "/api/v1/series/metrics?satellite=sat-1", null).status()).isEqualTo(404);
        Reply bad = call("GET", admin, "/api/v1/series?satellite=sat-1&metric=x&from=yesterday", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("from").contains("yesterday");

        String metrics = call("GET", admin, "/metrics", null).body();
        long lastEnd = up.plusSeconds(30 * 60).toEpochMilli();
        assertThat(metrics).contains("orchide_satellite_workloads{satellite=\"sat-1\",node=\"n1\",state=\"running\"} 3 " + lastEnd)
                .contains("orchide_satellite_link_bytes_increase{satellite=\"sat-1\",node=\"n1\",direction=\"down\"} 1029 " + lastEnd);
        if (Files.isExecutable(PROMTOOL)) assertThat(promtool(metrics)).isEqualTo("exit 0");

        // a month later, a bundle's arrival deletes what is past the retention
        clock.set(up.plus(SeriesStore.DEFAULT_RETENTION).plus(Duration.ofDays(1)));
        deliver("sat-1", new Housekeeping("n1", "e1", Duration.ofMinutes(1), List.of(), minutes(clock.instant().minusSeconds(600), 5),
                List.of(), List.of()));
        Reply after = call("GET", admin, "/api/v1/series?satellite=sat-1&metric=" + q(RUNNING) + "&from="
                + clock.instant().minus(Duration.ofDays(31)) + "&to=" + clock.instant(), null);
        assertThat(after.json().path("points")).hasSize(5);
        assertThat(after.json().path("gaps")).isEmpty();

        assertThatThrownBy(() -> deliver("sat-1", new Housekeeping("n1", "e2", Duration.ofMinutes(1), List.of(),
                minutes(clock.instant(), 1), List.of(), List.of())))
                .isInstanceOf(RefusedBundle.class).hasMessageContaining("epoch e2");
    }

    @Test
    void logSummariesAreListedNewestFirstAndTheRetentionGroundWasStartedWithDeletesOlderHousekeeping() throws Exception {
        Path tokenFile = tmp.resolve("admin.token");
        ground = GroundServer.start(GroundConfig.builder().dataDir(tmp).clock(clock).seriesRetention(Duration.ofDays(7))
                .listen(new InetSocketAddress("127.0.0.1", 0)).build().withAuth(new AuthSettings(tokenFile, false)),
                new FakeUplink(clock));
        port = ground.apiAddress().getPort();
        String admin = Files.readString(tokenFile).strip();
        call("POST", admin, "/api/v1/tenants", "{\"name\": \"ocean\"}");
        String ocean = token(admin, "ocean");
        List<Housekeeping.Series> series = List.of(new Housekeeping.Series(0, RUNNING, Housekeeping.Kind.GAUGE),
                new Housekeeping.Series(1, BYTES, Housekeeping.Kind.COUNTER));
        deliver("sat-1", new Housekeeping("n1", "e1", Duration.ofMinutes(1), series, minutes(T0, 3), List.of(),
                List.of(new Housekeeping.LogSummary("workload/hello", 10, 1, List.of("ERROR: disk full"), "starting", "bye"))));
        clock.advance(Duration.ofMinutes(5));
        deliver("sat-1", new Housekeeping("n1", "e1", Duration.ofMinutes(1), List.of(), List.of(), List.of(),
                List.of(new Housekeeping.LogSummary("run/snap-000001/shoot", 2, 0, List.of(), "shot", "done"))));

        Reply logs = call("GET", admin, "/api/v1/satellites/sat-1/log-summaries", null);
        assertThat(logs.status()).isEqualTo(200);
        assertThat(logs.json().path("items")).extracting(i -> i.path("subject").asText())
                .containsExactly("run/snap-000001/shoot", "workload/hello");
        JsonNode hello = logs.json().path("items").get(1);
        assertThat(hello.path("node").asText()).isEqualTo("n1");
        assertThat(hello.path("lines").asLong()).isEqualTo(10);
        assertThat(hello.path("errorLines").asLong()).isEqualTo(1);
        assertThat(hello.path("errors")).extracting(JsonNode::asText).containsExactly("ERROR: disk full");
        assertThat(hello.path("first").asText()).isEqualTo("starting");
        assertThat(call("GET", admin, "/api/v1/satellites/sat-1/log-summaries?limit=1", null).json().path("items")).hasSize(1);
        assertThat(call("GET", ocean, "/api/v1/satellites/sat-1/log-summaries", null).json().path("items"))
                .as("a tenant with no object on the satellite sees none of its logs").isEmpty();
        assertThat(call("POST", ocean, "/api/v1/satellites/sat-1/apply", """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec:
                  image: /opt/hello.elf
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                """).status()).isEqualTo(201);
        assertThat(call("GET", ocean, "/api/v1/satellites/sat-1/log-summaries", null).json().path("items"))
                .as("the tenant's app's summary, not the run of a pipeline it does not own")
                .extracting(i -> i.path("subject").asText()).containsExactly("workload/hello");
        Reply bad = call("GET", admin, "/api/v1/satellites/sat-1/log-summaries?limit=0", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("limit");

        // eight days later (past the 7 days ground keeps), a bundle's arrival deletes the older housekeeping
        clock.advance(Duration.ofDays(8));
        deliver("sat-1", new Housekeeping("n1", "e1", Duration.ofMinutes(1), List.of(), minutes(clock.instant(), 1),
                List.of(), List.of()));
        assertThat(call("GET", admin, "/api/v1/satellites/sat-1/log-summaries", null).json().path("items")).isEmpty();
        assertThat(call("GET", admin, "/api/v1/series?satellite=sat-1&metric=" + q(RUNNING) + "&from="
                + T0.minus(Duration.ofDays(1)) + "&to=" + T0.plus(Duration.ofDays(20)), null).json().path("points")).hasSize(1);
    }
}
