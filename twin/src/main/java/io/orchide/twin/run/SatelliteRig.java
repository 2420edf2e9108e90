package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.node.device.DatasetWriter;
import io.orchide.node.device.Frame;
import io.orchide.twin.link.LinkCounters;
import io.orchide.twin.link.LinkEmulator;
import io.orchide.twin.link.LinkShape;
import io.orchide.twin.orbit.GroundStation;
import io.orchide.twin.process.Launcher;
import io.orchide.twin.process.PowerCut;
import io.orchide.twin.process.ServiceProcess;
import io.orchide.twin.scenario.SatelliteSpec;
import io.orchide.twin.scenario.Scenario;
import io.orchide.twin.sensor.Capture;
import io.orchide.twin.sensor.SyntheticCamera;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One simulated satellite: its payload computer (a real {@code orchide node} process on a data directory of its
 * own), its radio (a {@link LinkEmulator} between the node and ground, open while a station is in view), and its
 * camera (scenes written into the node's camera dataset as real hardware would). Driven by the twin's event thread;
 * a boot completes on a thread of its own, so the methods that touch the node's state are synchronized.
 */
final class SatelliteRig implements AutoCloseable {
    static final String NODE_NAME = "obc";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

    private final SatelliteSpec spec;
    private final Path dataDir;
    private final Path log;
    private final LinkEmulator radio;
    private final SyntheticCamera camera;
    private final DatasetWriter dataset;
    private final List<String> nodeArgs;
    private final Launcher launcher;
    private final Map<String, String> env;
    private final HttpJson http = new HttpJson();
    private final String api;
    private final List<CapturedScene> scenes = new ArrayList<>();
    private ServiceProcess node;
    private boolean booted;     // the node serves its API (set by awaitBoot, cleared by a power cut)
    private GroundStation inView;
    private boolean outage;
    private boolean corruptNext;
    private final ContactSwitch contact;

    SatelliteRig(Scenario scenario, SatelliteSpec spec, Path dataDir, Path log, LinkEmulator radio, int apiPort,
                 Launcher launcher, Map<String, String> env, List<String> clockArgs) {
        this.spec = spec;
        this.dataDir = dataDir;
        this.log = log;
        this.radio = radio;
        this.launcher = launcher;
        this.env = env;
        this.camera = new SyntheticCamera(spec.name(), scenario.seed(), spec.camera().width(), spec.camera().height());
        this.dataset = new DatasetWriter(dataDir.resolve("datasets").resolve(spec.camera().dataset()), true);
        this.api = "http://127.0.0.1:" + apiPort;
        this.contact = new ContactSwitch(api + "/api/v1/link", http);
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + apiPort,
                "--satellite", spec.name(), "--ground", radio.address(), "--node-name", NODE_NAME));
        args.addAll(clockArgs);
        if (spec.node().vcpus() != null) args.addAll(List.of("--vcpus", spec.node().vcpus().toString()));
        if (spec.node().memoryMiB() != null) args.addAll(List.of("--memory-mib", spec.node().memoryMiB().toString()));
        this.nodeArgs = List.copyOf(args);
    }

    String name() {
        return spec.name();
    }

    String api() {
        return api;
    }

    Path dataDir() {
        return dataDir;
    }

    /** Starts the node's process; {@link #awaitBoot} waits until it serves. */
    synchronized void powerOn() throws IOException {
        node = ServiceProcess.start(spec.name(), launcher.command("node", nodeArgs), log, "listening on", env);
        booted = false;
    }

    /** Waits until the node serves, then sets its radio to what the contact plan says now. */
    void awaitBoot() throws InterruptedException, IOException {
        ServiceProcess booting;
        synchronized (this) {
            booting = node;
        }
        booting.awaitReady(BOOT_TIMEOUT);
        synchronized (this) {
            if (node != booting) return; // power lost again meanwhile
            booted = true;
            contact.set(inView != null, true);
        }
    }

    synchronized boolean up() {
        return node != null && node.alive();
    }

    /** Whether the node has booted and serves its API. */
    synchronized boolean serving() {
        return booted && up();
    }

    /** The power fails: the agent and everything it runs die at once. Returns how many processes died. */
    synchronized int powerCut() throws InterruptedException {
        int n = PowerCut.cut(node, dataDir);
        node = null;
        booted = false;
        return n;
    }

    /** A station comes into view (or another one takes over): the radio link opens with its rates. */
    synchronized void inView(GroundStation station, Duration delay, double loss) throws IOException {
        inView = station;
        if (!outage) radio.open(LinkShape.of(station, delay, loss));
        if (booted) contact.set(true, false); // while it boots, awaitBoot tells it once it serves
    }

    /** No station in view any more. */
    synchronized void outOfView() throws IOException {
        inView = null;
        radio.close("loss of signal");
        if (booted) contact.set(false, false);
    }

    synchronized GroundStation station() {
        return inView;
    }

    /**
     * The link fails (or is repaired): while it is down nothing passes even when a station is in view, though the
     * node, not knowing, keeps trying.
     */
    synchronized void outage(boolean down, Duration delay, double loss) {
        outage = down;
        if (down) radio.close("link outage");
        else if (inView != null) radio.open(LinkShape.of(inView, delay, loss));
    }

    synchronized boolean inOutage() {
        return outage;
    }

    /** The next capture comes out corrupt. */
    void corruptNextCapture() {
        corruptNext = true;
    }

    /** The camera takes a picture; the scene lands in the node's camera dataset whether the node is up or not. */
    CapturedScene capture(Capture c) throws IOException {
        Frame f = camera.capture(c.position());
        boolean corrupt = corruptNext;
        if (corrupt) {
            f = SyntheticCamera.truncated(f);
            corruptNext = false;
        }
        dataset.write(f);
        CapturedScene s = new CapturedScene(spec.name(), f.name(), c.time(), c.target(), f.size(),
                Digests.sha256(f.content()), corrupt);
        scenes.add(s);
        return s;
    }

    List<CapturedScene> scenes() {
        return List.copyOf(scenes);
    }

    LinkCounters link() {
        return radio.counters();
    }

    /** The node's runs as its API lists them; empty while it is down. */
    List<JsonNode> runs() {
        return items(api + "/api/v1/runs");
    }

    /** The node's products (its outbox and what went down), as its API lists them; empty while it is down. */
    List<JsonNode> products() {
        return items(api + "/api/v1/products");
    }

    JsonNode run(String name) {
        if (!serving()) return null;
        try {
            return http.get(api + "/api/v1/runs/" + name);
        } catch (IOException e) {
            return null;
        }
    }

    private List<JsonNode> items(String url) {
        if (!serving()) return List.of();
        try {
            List<JsonNode> out = new ArrayList<>();
            http.get(url).path("items").forEach(out::add);
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Stops the node as an operator would (SIGTERM); its workloads are stopped by the power-down after. */
    @Override
    public void close() throws InterruptedException {
        contact.close();
        radio.close();
        if (node != null) {
            node.stop(Duration.ofSeconds(10));
            PowerCut.cut(node, dataDir);
        }
    }
}
