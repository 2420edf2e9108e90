package io.orchide.ground.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.Fixtures;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.auth.AuthSettings;
import io.orchide.ground.fleet.Fleet;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.StatusReport;
import io.orchide.testkit.Chromium;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium}, driven over the DevTools protocol) against a
 * real ground on SQLite with tenancy on: a platform admin and a developer of tenant ocean log in with their tokens
 * and see what the API lets them see, and the screenshots of the charts are looked at.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    /** Ground's clock: near the epoch of the TLE below, so that its passes are real ones. */
    static final Instant T0 = Instant.parse("2008-09-20T12:00:00Z");
    static final String LINE1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927";
    static final String LINE2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537";
    static final String STATION = """
            {"apiVersion": "orchide.io/v1", "kind": "GroundStation", "metadata": {"name": "toulouse"},
             "spec": {"latitude": 43.6045, "longitude": 1.444, "altitude": 150, "minElevation": 10,
                      "uplinkRate": "256k", "downlinkRate": "10M"}}
            """;
    static final String SCRIPT_NAME = "<script>window.pwned=1</script>";
    static final String IMG_MESSAGE = "<img src=x onerror=\"window.pwned=2\">";
    /** Satellites made beside sat-1 and sat-2: more than the page's first page, so the fleet page pages. */
    static final int EXTRA = 450;

    Path tmp;
    GroundServer ground;
    Chromium browser;
    String base, admin, ocean;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        Path binary = Chromium.find().orElse(null);
        Assumptions.assumeTrue(binary != null, "Chromium is not installed (/usr/bin/chromium, Debian's chromium package, "
                + "which ./orchide test installs when run as root); set ORCHIDE_CHROMIUM to another binary");
        tmp = Files.createTempDirectory("dashboard-test");
        MutableClock clock = new MutableClock(T0);
        Path tokenFile = tmp.resolve("admin.token");
        ground = GroundServer.start(GroundConfig.builder().dataDir(tmp).listen(new InetSocketAddress("127.0.0.1", 0)).clock(clock)
                .build().withAuth(new AuthSettings(tokenFile, false)), new FakeUplink(clock));
        base = "http://127.0.0.1:" + ground.apiAddress().getPort();
        admin = Files.readString(tokenFile).strip();
        call("POST", "/api/v1/tenants", admin, "{\"name\": \"ocean\", \"quota\": \"apps=5\"}", 201);
        call("POST", "/api/v1/tenants", admin, "{\"name\": \"fire\"}", 201);
        ocean = call("POST", "/api/v1/tokens", admin, "{\"role\": \"developer\", \"tenant\": \"ocean\"}", 201).path("token").asText();
        String fire = call("POST", "/api/v1/tokens", admin, "{\"role\": \"developer\", \"tenant\": \"fire\"}", 201).path("token").asText();
        call("POST", "/api/v1/satellites/sat-1/apply", fire, app("fire-app") + "---\n" + pipeline("fire-scan", "fire-app"), 201);
        call("POST", "/api/v1/satellites/sat-1/apply", ocean, app("ocean-app"), 201);
        call("POST", "/api/v1/satellites/sat-2/apply", ocean, app("ocean-app"), 201);
        call("PUT", "/api/v1/stations/toulouse", admin, STATION, 201);
        call("PUT", "/api/v1/satellites/sat-1/tle", admin, "{\"tle\": \"" + LINE1 + "\\n" + LINE2 + "\"}", 200);

        // runs over the last 20 hours and events: what the activity chart draws
        List<StatusReport.Run> runs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            runs.add(new StatusReport.Run("fire-scan-" + String.format("%06d", i + 1), "fire-scan", "succeeded",
                    T0.minus(Duration.ofMinutes(30L * i)), null));
        }
        StatusReport report = new StatusReport(T0, "n1", List.of(
                new StatusReport.Workload("fire-app", "running", T0, 0, null),
                new StatusReport.Workload("ocean-app", "running", T0, 2, "restarted after " + IMG_MESSAGE),
                new StatusReport.Workload(SCRIPT_NAME, "exited", T0, 0, null)),
                runs,
                List.of(new StatusReport.Event(T0.minusSeconds(3600), "App/fire-app", "generation 1 applied"),
                        new StatusReport.Event(T0.minusSeconds(60), "App/ocean-app", IMG_MESSAGE)),
                List.of(), List.of(), null, null, new StatusReport.Position("gnss gnss-1, then tle ISS (epoch 08264.5)",
                        new StatusReport.Position.Fix("gnss gnss-1", T0.minusSeconds(90), 43.6045, -1.444, 412_300), null));
        byte[] b = report.encode();
        ground.intake().deliver(Fixtures.bundle("report.sat-1.1", "sat-1", BundleKind.REPORT.wire(), b, T0), b);
        ground.database().tx(c -> {
            for (int i = 0; i < EXTRA; i++) Fleet.ensure(c, String.format("fleet-%04d", i), T0);
            return null;
        });
        browser = Chromium.start(binary, 1280, 1600);
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) browser.close();
        if (ground != null) ground.close();
    }

    @BeforeEach
    void loggedOut() {
        if (browser == null) return;
        browser.navigate(base + "/");
        waitFor("document.readyState === 'complete'");
        // the page may stay loaded between tests: a fleet page an earlier test loaded must not count as this one's
        browser.eval("sessionStorage.clear(), delete document.body.dataset.fleetLoaded, location.hash = '#/login', true");
        waitFor("!!document.getElementById('token')");
    }

    @Test
    void aWrongTokenIsToldAndTheAdminLogsInToTheWholeFleet() throws Exception {
        logIn("og_not-a-token");
        waitFor("document.getElementById('login-status').textContent.includes('401')");
        assertThat(text("#login-status")).contains("not accepted");
        assertThat(browser.eval("sessionStorage.getItem('orchide.token')").isNull()).isTrue();

        logIn(admin);
        waitFor("document.body.dataset.fleetLoaded === '" + (EXTRA + 2) + "'");
        assertThat(browser.eval("document.querySelectorAll('#fleet-rows tr').length").asInt()).isEqualTo(EXTRA + 2);
        assertThat(browser.eval("[...document.querySelectorAll('#fleet-rows tr')].slice(0, 2).map(r => r.dataset.satellite)"))
                .extracting(JsonNode::asText).containsExactly("fleet-0000", "fleet-0001");
        String sat1 = rowText("sat-1");
        assertThat(sat1).contains("never contacted");           // only reported through the intake: no session yet
        assertThat(sat1).contains("toulouse 2008-09-20");        // the next pass, from its TLE over the station
        assertThat(rowText("sat-2")).doesNotContain("toulouse");  // no TLE: no pass
        // the delivery estimate: sat-1's uplink queue against its next pass's uplink capacity, sat-2 says why it has none
        JsonNode estimate = call("GET", "/api/v1/satellites/sat-1", admin, "", 200).path("delivery");
        assertThat(estimate.path("fits").asBoolean()).isTrue();
        assertThat(browser.eval("document.querySelector('#fleet-rows tr[data-satellite=\"sat-1\"] td[data-delivery]').textContent").asText())
                .startsWith("fits next pass: ").endsWith(" of " + bytesText(estimate.path("capacityBytes").asLong()));
        assertThat(rowText("sat-2")).contains("no pass (no TLE for sat-2)");
        assertThat(text("#fleet-count")).isEqualTo((EXTRA + 2) + " satellites");
        // the token is the one the CLI sends, kept for this tab only
        assertThat(browser.eval("sessionStorage.getItem('orchide.token')").asText()).isEqualTo(admin);
        waitFor("document.getElementById('who').textContent.includes('platform-admin')");
        assertThat(browser.eval("!document.getElementById('nav-audit').hidden").asBoolean()).isTrue();
        save("fleet");
    }

    @Test
    void aSatellitesPageShowsItsObjectsAndDrawsTheActivityChart() throws IOException {
        logIn(admin);
        waitFor("!!document.body.dataset.fleetLoaded");
        browser.eval("location.hash = '#/satellite/sat-1', true");
        waitFor("!!document.querySelector('#activity-chart rect[data-count]')");
        waitFor("document.getElementById('sat-telemetry').textContent.includes('No telemetry yet')");
        waitFor("document.getElementById('sat-passes').querySelectorAll('tbody tr').length >= 4");
        assertThat(text("#sat-passes")).contains("toulouse", "2008-09-20");
        assertThat(text("#sat-summary")).contains("Next pass", "toulouse", "Delivery", "fits next pass: ");
        waitFor("document.getElementById('sat-desired').querySelectorAll('tbody tr').length === 3");
        assertThat(text("#sat-desired")).contains("fire-app", "fire-scan", "ocean-app", "last run fire-scan-000001: succeeded");
        assertThat(text("#sat-workloads")).contains("fire-app", "ocean-app");
        assertThat(text("#sat-runs")).contains("fire-scan-000040");
        // where the node last said it was, and how old that fix is by ground's clock
        waitFor("!!document.querySelector('#sat-position tr.position-fix[data-node=\"n1\"]')");
        assertThat(text("#sat-position")).contains("43.6045° N", "1.4440° W", "412.3 km", "2008-09-20 11:58:30 UTC",
                "1 min", "gnss gnss-1, then tle ISS");
        // 40 runs half an hour apart: two an hour over the 20 hours before T0's hour
        assertThat(browser.eval("[...document.querySelectorAll('#activity-chart rect[data-count]')]"
                + ".filter(r => r.getAttribute('fill') === '#2b6cb0').reduce((n, r) => n + +r.dataset.count, 0)").asInt()).isEqualTo(40);

        BufferedImage chart = shot("#activity-chart");
        ImageIO.write(chart, "png", screenshots().resolve("activity-chart.png").toFile());
        int drawn = countPixels(chart, rgb -> rgb != 0xffffff);
        int bars = countPixels(chart, rgb -> near(rgb, 0x2b6cb0, 24));
        assertThat(drawn).as("pixels not background in the chart").isGreaterThan(chart.getWidth() * chart.getHeight() / 50);
        assertThat(bars).as("pixels of the runs' bars").isGreaterThan(300);
        save("satellite");
    }

    /**
     * Ground's series API stands in the browser (DevTools' Fetch domain answers it) until ground serves it: the page
     * asks for the satellite's metrics, then the chosen one's points, and draws them with their gap left empty.
     */
    @Test
    void aTelemetrySeriesIsDrawnWithItsGapLeftEmpty() throws IOException {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        browser.onEvent(e -> {
            if (!e.path("method").asText().equals("Fetch.requestPaused")) return;
            // answered off the socket's thread: a call waits for its answer on that thread
            Thread.ofVirtual().start(() -> {
                String url = e.path("params").path("request").path("url").asText();
                asked.add(url);
                String body = url.contains("/series/metrics") ? "{\"metrics\": [\"node_cpu_seconds\", \"node_memory_bytes\"]}" : series();
                var p = Chromium.params().put("requestId", e.path("params").path("requestId").asText()).put("responseCode", 200)
                        .put("body", java.util.Base64.getEncoder().encodeToString(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                p.putArray("responseHeaders").addObject().put("name", "Content-Type").put("value", "application/json");
                browser.call("Fetch.fulfillRequest", p);
            });
        });
        var patterns = Chromium.params();
        patterns.putArray("patterns").addObject().put("urlPattern", "*/api/v1/series*");
        browser.call("Fetch.enable", patterns);
        try {
            logIn(admin);
            waitFor("!!document.body.dataset.fleetLoaded");
            browser.eval("location.hash = '#/satellite/sat-1', true");
            waitFor("!!document.querySelector('#telemetry-chart polyline')");
            // the last 24 hours by ground's clock (T0), not the browser's
            assertThat(asked).anyMatch(u -> u.endsWith("/api/v1/series?satellite=sat-1&metric=node_cpu_seconds"
                    + "&from=2008-09-19T12:00:00.000Z&to=2008-09-20T12:00:00.000Z"));
            assertThat(browser.eval("[...document.querySelectorAll('#metric option')].map(o => o.value)"))
                    .extracting(JsonNode::asText).containsExactly("node_cpu_seconds", "node_memory_bytes");
            // one line each side of the gap, never drawn through it as zeros
            assertThat(browser.eval("document.querySelectorAll('#telemetry-chart polyline').length").asInt()).isEqualTo(2);
            assertThat(browser.eval("document.querySelectorAll('#telemetry-chart rect[data-gap]').length").asInt()).isEqualTo(1);
            BufferedImage chart = shot("#telemetry-chart");
            ImageIO.write(chart, "png", screenshots().resolve("telemetry-chart.png").toFile());
            assertThat(countPixels(chart, rgb -> near(rgb, 0x2b6cb0, 24))).as("pixels of the mean's line").isGreaterThan(300);
            assertThat(countPixels(chart, rgb -> near(rgb, 0xfed7d7, 8))).as("pixels of the gap").isGreaterThan(1000);
        } finally {
            browser.call("Fetch.disable", null);
            browser.onEvent(null);
        }
    }

    /** Twelve 10-minute summaries with two hours missing after the sixth, in the series API's shape. */
    static String series() {
        StringBuilder b = new StringBuilder("{\"satellite\": \"sat-1\", \"metric\": \"node_cpu_seconds\", \"points\": [");
        Instant t = T0.minus(Duration.ofHours(4));
        for (int i = 0; i < 12; i++) {
            if (i == 6) t = t.plus(Duration.ofHours(2));
            double mean = 10 + 5 * Math.sin(i);
            b.append(i == 0 ? "" : ", ").append("{\"t\": \"").append(t).append("\", \"min\": ").append(mean - 2)
                    .append(", \"max\": ").append(mean + 3).append(", \"mean\": ").append(mean).append(", \"last\": ").append(mean).append('}');
            t = t.plus(Duration.ofMinutes(10));
        }
        Instant gapFrom = T0.minus(Duration.ofHours(4)).plus(Duration.ofMinutes(60));
        return b.append("], \"gaps\": [{\"from\": \"").append(gapFrom).append("\", \"to\": \"")
                .append(gapFrom.plus(Duration.ofHours(2))).append("\"}]}").toString();
    }

    @Test
    void aTenantSeesOnlyItsOwnObjectsAndNoAudit() {
        logIn(ocean);
        waitFor("!!document.body.dataset.fleetLoaded");
        assertThat(rowText("sat-2")).contains("sat-2"); // every role reads the fleet: a tenant deploys to satellites by name
        waitFor("document.getElementById('who').textContent.includes('developer in ocean')");
        assertThat(browser.eval("document.getElementById('nav-audit').hidden").asBoolean()).isTrue();

        browser.eval("location.hash = '#/satellite/sat-1', true");
        waitFor("document.getElementById('sat-desired').querySelectorAll('tbody tr').length === 1");
        waitFor("document.getElementById('sat-workloads').querySelectorAll('tbody tr').length === 1");
        waitFor("document.getElementById('sat-events').querySelectorAll('tbody tr').length === 1");
        assertThat(text("#sat-desired")).contains("ocean-app").doesNotContain("fire");
        assertThat(text("#sat-workloads")).contains("ocean-app").doesNotContain("fire");
        assertThat(text("#sat-events")).doesNotContain("fire");
        waitFor("document.getElementById('sat-runs').textContent.includes('No run reported')");
        assertThat(text("#sat-products")).doesNotContain("fire");

        browser.eval("location.hash = '#/tenants', true");
        waitFor("document.querySelectorAll('[data-tenant]').length === 1");
        assertThat(browser.eval("document.querySelector('[data-tenant]').dataset.tenant").asText()).isEqualTo("ocean");
        assertThat(text("#view")).contains("apps", "no limit");

        browser.eval("location.hash = '#/audit', true");
        waitFor("document.getElementById('view').textContent.includes('403')");
        assertThat(text("#view")).contains("Not visible with your role");
        save("tenant-audit");
    }

    @Test
    void aTokenRevokedDuringTheSessionBringsBackTheLoginFormSayingWhy() throws Exception {
        JsonNode made = call("POST", "/api/v1/tokens", admin, "{\"role\": \"viewer\", \"tenant\": \"ocean\"}", 201);
        logIn(made.path("token").asText());
        waitFor("!!document.body.dataset.fleetLoaded");
        call("DELETE", "/api/v1/tokens/" + made.path("id").asText(), admin, "", 200);

        browser.eval("location.hash = '#/tenants', true");
        waitFor("location.hash === '#/login' && !!document.getElementById('token')");
        waitFor("document.getElementById('login-status').textContent.includes('401')");
        assertThat(text("#login-status")).contains("Log in again");
        assertThat(browser.eval("sessionStorage.getItem('orchide.token')").isNull()).isTrue();
        assertThat(browser.eval("document.getElementById('nav').hidden").asBoolean()).isTrue();
    }

    @Test
    void loggingOutForgetsTheToken() {
        logIn(admin);
        waitFor("!document.getElementById('logout').hidden");
        browser.eval("document.getElementById('logout').click(), true");
        waitFor("!!document.getElementById('token')");
        assertThat(browser.eval("sessionStorage.getItem('orchide.token')").isNull()).isTrue();
        // the fleet asked for now is not shown: the form is
        browser.eval("location.hash = '#/fleet', true");
        waitFor("location.hash === '#/login'");
        assertThat(browser.eval("document.getElementById('fleet')").isNull()).isTrue();
    }

    @Test
    void namesAndMessagesWithMarkupRenderAsText() {
        logIn(admin);
        waitFor("!!document.body.dataset.fleetLoaded");
        browser.eval("location.hash = '#/satellite/sat-1', true");
        waitFor("document.getElementById('sat-workloads').querySelectorAll('tbody tr').length === 3");
        waitFor("document.getElementById('sat-events').querySelectorAll('tbody tr').length === 2");
        assertThat(text("#sat-workloads")).contains(SCRIPT_NAME, "restarted after " + IMG_MESSAGE);
        assertThat(text("#sat-events")).contains(IMG_MESSAGE);
        assertThat(browser.eval("document.querySelectorAll('#view script, #view img').length").asInt()).isZero();
        assertThat(browser.eval("typeof window.pwned").asText()).isEqualTo("undefined");
    }

    // ---- helpers

    void logIn(String token) {
        waitFor("!!document.getElementById('token')");
        browser.eval("(() => { const i = document.getElementById('token'); i.value = " + js(token) + ";"
                + " document.getElementById('login-submit').click(); return true; })()");
    }

    void waitFor(String condition) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> browser.eval("(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()").asBoolean());
    }

    String text(String selector) {
        JsonNode v = browser.eval("(document.querySelector(" + js(selector) + ") || {textContent: ''}).textContent");
        return v.asText();
    }

    /** A number of bytes as the dashboard writes it. */
    static String bytesText(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return (i == 0 ? Long.toString(n) : String.format(java.util.Locale.ROOT, "%.1f", v)) + " " + units[i];
    }

    String rowText(String sat) {
        return browser.eval("document.querySelector('#fleet-rows tr[data-satellite=\"" + sat + "\"]').textContent").asText();
    }

    /** The element's rectangle of the document, as a PNG decoded. */
    BufferedImage shot(String selector) {
        JsonNode r = browser.eval("(() => { const e = document.querySelector(" + js(selector) + "); e.scrollIntoView();"
                + " const b = e.getBoundingClientRect(); return {x: b.left + scrollX, y: b.top + scrollY, w: b.width, h: b.height}; })()");
        return browser.screenshot(r.path("x").asDouble(), r.path("y").asDouble(), r.path("w").asDouble(), r.path("h").asDouble());
    }

    static int countPixels(BufferedImage img, java.util.function.IntPredicate rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if (rgb.test(img.getRGB(x, y) & 0xffffff)) n++;
        }
        return n;
    }

    static boolean near(int rgb, int want, int tolerance) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((want >> shift) & 0xff)) > tolerance) return false;
        }
        return true;
    }

    /** The whole page as a PNG beside the build's output, for a person to look at. */
    void save(String name) {
        try {
            Files.write(screenshots().resolve(name + ".png"), browser.screenshotPng());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path screenshots() throws IOException {
        return Files.createDirectories(Path.of("target", "dashboard-screenshots"));
    }

    static String js(String s) {
        return io.orchide.model.codec.Trees.toJson(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(s), false);
    }

    JsonNode call(String method, String path, String token, String body, int expect) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expect);
        return io.orchide.model.codec.Trees.readJson(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String app(String name) {
        return "apiVersion: orchide.io/v1\nkind: App\nmetadata: {name: " + name + "}\nspec:\n  image: /opt/" + name
                + ".elf\n  runtime: {family: multiboot, monitor: qemu, arch: x86_64}\n";
    }

    static String pipeline(String name, String stepApp) {
        return "apiVersion: orchide.io/v1\nkind: Pipeline\nmetadata: {name: " + name + "}\nspec:\n  steps:\n"
                + "    - name: only\n      app: " + stepApp + "\n";
    }
}
