package io.orchide.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.testkit.Chromium;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The dashboard's fleet page with {@code bench.satellites} (1,000) satellites in Debian's headless Chromium, against a
 * ground on SQLite with tokens on: per load, from navigation start, the first contentful paint, the paint of the first
 * satellite rows (Element Timing on the first row: the first meaningful paint), the largest contentful paint, and the
 * time the whole fleet is in the table; medians and max of {@code bench.runs} (11) loads after 2 warm-up loads.
 */
public final class DashboardPaint {
    private static final int RUNS = Integer.getInteger("bench.runs", 11);
    private static final int WARMUP = 2;

    private DashboardPaint() {
    }

    public static void main(String[] args) throws Exception {
        Path binary = Chromium.find().orElse(null);
        if (binary == null) {
            System.out.println("not measured: Chromium is not installed (apt-get install -y chromium)");
            return;
        }
        Clock clock = Clock.systemUTC();
        Path dir = Files.createTempDirectory("dashboard-bench");
        GroundConfig cfg = GroundConfig.builder().dataDir(dir).listen(new InetSocketAddress("127.0.0.1", 0)).clock(clock).build()
                .withAuth(new io.orchide.ground.auth.AuthSettings(dir.resolve("admin.token"), false));
        try (GroundServer g = GroundServer.start(cfg, new GroundApiBench.NoLink())) {
            GroundApiBench.populate(g, clock.instant());
            String token = Files.readString(dir.resolve("admin.token")).strip();
            String base = "http://127.0.0.1:" + g.apiAddress().getPort();
            int satellites = Integer.getInteger("bench.satellites", 1000);
            System.out.printf("ground on SQLite with %,d satellites (1 node and 10 reported workloads each); Chromium %s, headless, 1280x900%n",
                    satellites, version(binary));
            try (Chromium browser = Chromium.start(binary, 1280, 900)) {
                browser.navigate(base + "/");
                waitFor(browser, "document.readyState === 'complete'");
                browser.eval("sessionStorage.setItem('orchide.token', " + quote(token) + "), true");
                List<double[]> rows = new ArrayList<>();
                for (int i = 0; i < WARMUP + RUNS; i++) {
                    browser.navigate("about:blank");
                    waitFor(browser, "location.href === 'about:blank'");
                    browser.navigate(base + "/#/fleet");
                    waitFor(browser, "document.body && document.body.dataset.fleetLoaded === '" + satellites + "'");
                    JsonNode m = browser.eval(MEASURE);
                    double[] r = {m.path("script").asDouble(), m.path("fcp").asDouble(), m.path("firstPageAsked").asDouble(),
                            m.path("firstPageIn").asDouble(), m.path("firstPageInDom").asDouble(), m.path("firstRows").asDouble(),
                            m.path("lcp").asDouble(), m.path("complete").asDouble()};
                    if (i >= WARMUP) rows.add(r);
                }
                String[] names = {"app.js received", "first contentful paint (header, empty table)",
                        "first page (50 satellites) asked of the API", "first page received", "first page's rows in the document",
                        "first satellite rows painted (first meaningful paint)",
                        "largest contentful paint", "whole fleet in the table (" + satellites + " rows, paged by 1000 after the first 50)"};
                System.out.printf("%-80s %8s %8s%n", "from navigation start, " + RUNS + " loads", "p50 ms", "max ms");
                for (int k = 0; k < names.length; k++) {
                    int col = k;
                    double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
                    System.out.printf("%-80s %8.0f %8.0f%n", names[k], v[v.length / 2], v[v.length - 1]);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The page's own timings, read once the fleet is loaded: paint timing, Element Timing, LCP and the page's marks. */
    private static final String MEASURE = """
            new Promise(done => {
              const r = {};
              new PerformanceObserver(l => { for (const e of l.getEntries()) if (e.identifier === 'fleet-first-row') r.firstRows = e.renderTime; })
                .observe({type: 'element', buffered: true});
              new PerformanceObserver(l => { for (const e of l.getEntries()) r.lcp = e.renderTime || e.startTime; })
                .observe({type: 'largest-contentful-paint', buffered: true});
              requestAnimationFrame(() => setTimeout(() => {
                const at = n => (performance.getEntriesByName(n)[0] || {}).startTime;
                r.fcp = at('first-contentful-paint');
                const res = n => performance.getEntriesByType('resource').find(e => e.name.includes(n)) || {};
                r.script = res('/ui/app.js').responseEnd;
                r.firstPageAsked = res('satellites?limit=').startTime;
                r.firstPageIn = res('satellites?limit=').responseEnd;
                r.firstPageInDom = at('fleet-first-page');
                r.complete = at('fleet-complete');
                done(r);
              }, 100));
            })""";

    private static void waitFor(Chromium b, String condition) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (!b.eval("(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()").asBoolean()) {
            if (System.nanoTime() > end) throw new IllegalStateException("not reached in 60 s: " + condition);
            Thread.sleep(20);
        }
    }

    private static String quote(String s) {
        return io.orchide.model.codec.Trees.toJson(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(s), false);
    }

    private static String version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Arrays.stream(out.split("\\s+")).filter(w -> w.matches("\\d+\\.\\d+.*")).findFirst().orElse(out);
        } catch (Exception e) {
            return "(version unknown)";
        }
    }
}
