package io.orchide.twin.run;

import io.orchide.node.layout.NodeLayout;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.node.device.DatasetWriter;
import io.orchide.node.device.Frame;
import io.orchide.node.storage.Space;
import io.orchide.node.storage.StorageBudget;
import io.orchide.node.storage.StorageFullException;
import io.orchide.node.storage.Volume;
import io.orchide.twin.link.LinkCounters;
import io.orchide.twin.link.Radio;
import io.orchide.twin.link.LinkShape;
import io.orchide.orbit.GroundStation;
import io.orchide.twin.process.Launcher;
import io.orchide.twin.process.PowerCut;
import io.orchide.twin.process.ServiceProcess;
import io.orchide.twin.scenario.SatelliteSpec;
import io.orchide.twin.scenario.Scenario;
import io.orchide.twin.sensor.Capture;
import io.orchide.twin.sensor.SyntheticCamera;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One simulated satellite: its payload computer (a real {@code orchide node} process on a data directory of its
 * own), its radio (a {@link Radio} between the node and ground's replicas, open while a station is in view), and its
 * camera (scenes written into the node's camera dataset as real hardware would, and into the camera's feed, which the
 * node's broker serves to granted captures: {@link SatelliteHardware}). Driven by the twin's event thread;
 * a boot completes on a thread of its own, so the methods that touch the node's state are synchronized.
 */
final class SatelliteRig implements AutoCloseable {
    static final String NODE_NAME = "obc";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    /** The most frames the camera holds while the node's storage is full. */
    static final int MAX_HELD = 256;
    /** The file a {@code diskFull} fault fills the node's storage with, under its data directory. */
    static final String FILLER = "twin-disk-filler";

    /** A frame the camera holds, and its scene's place in the list of captures. */
    private record Held(int index, Frame frame) {
    }

    private final SatelliteSpec spec;
    private final Path dataDir;
    private final Path log;
    private final Radio radio;
    private final SyntheticCamera camera;
    private final DatasetWriter dataset;
    private final SatelliteHardware hardware;
    private final List<String> nodeArgs;
    private final Launcher launcher;
    private final Map<String, String> env;
    private final HttpJson http = new HttpJson(this::token);
    private volatile String token; // the node's API token, read once the node has made it at its first boot
    private final String api;
    private final List<CapturedScene> scenes = new ArrayList<>();
    private final Deque<Held> held = new ArrayDeque<>();
    private final Volume volume;
    private ServiceProcess node;
    private boolean booted;     // the node serves its API (set by awaitBoot, cleared by a power cut)
    private GroundStation inView;
    private boolean outage;
    private boolean corruptNext;
    private final ContactSwitch contact;
    private final Path groundKey;

    /**
     * {@code firstReplica}: the replica (from 1) the node dials first; it tries the others in turn after it, so that
     * satellites spread over ground's replicas.
     */
    SatelliteRig(Scenario scenario, SatelliteSpec spec, Path dataDir, Path log, Radio radio, int firstReplica,
                 int apiPort, Launcher launcher, Map<String, String> env, List<String> clockArgs, Path groundKey,
                 Path root) throws IOException {
        this.spec = spec;
        this.dataDir = dataDir;
        this.log = log;
        this.radio = radio;
        this.launcher = launcher;
        this.env = env;
        this.camera = new SyntheticCamera(spec.name(), scenario.seed(), spec.camera().width(), spec.camera().height());
        this.volume = new Volume(dataDir, StorageBudget.of(spec.node().storageBytes(), 0)); // as the node's own
        this.dataset = new DatasetWriter(NodeLayout.of(dataDir).dataset(spec.camera().dataset()), true, volume);
        // beside the data directory, as a payload computer's devices and their daemons are beside its agent
        this.hardware = SatelliteHardware.create(dataDir.resolveSibling(spec.name() + "-hardware"), spec.tle(),
                spec.node().accelerators());
        this.api = "http://127.0.0.1:" + apiPort;
        this.contact = new ContactSwitch(api + "/api/v1/link", http);
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + apiPort,
                "--satellite", spec.name(), "--ground", dialOrder(radio.addresses(), firstReplica), "--ground-key",
                groundKey.toString(), "--node-name", NODE_NAME));
        // the node's key, as `orchide node init` makes it on board; ground registers it (GroundRig.register)
        NodeLayout layout = NodeLayout.of(dataDir);
        if (!java.nio.file.Files.exists(layout.nodeKey())) {
            io.orchide.link.secure.KeyFiles.create(layout.nodeKey(), layout.nodePublicKey());
        }
        this.groundKey = groundKey;
        if (root != null && !Files.exists(layout.trustRoot())) {
            // pinned at install as `orchide node init --root` pins it: from then on the node boots only signed images
            Files.createDirectories(layout.root());
            Files.copy(root, layout.trustRoot());
        }
        args.addAll(clockArgs);
        if (spec.node().vcpus() != null) args.addAll(List.of("--vcpus", spec.node().vcpus().toString()));
        if (spec.node().memoryMiB() != null) args.addAll(List.of("--memory-mib", spec.node().memoryMiB().toString()));
        args.addAll(List.of("--storage-limit", Long.toString(spec.node().storageBytes())));
        args.addAll(hardware.nodeArgs());
        this.nodeArgs = List.copyOf(args);
    }

    private static String dialOrder(List<String> addresses, int first) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) order.add(addresses.get((first - 1 + i) % addresses.size()));
        return String.join(",", order);
    }

    String name() {
        return spec.name();
    }

    /** The node's public link key, registered on ground for this satellite. */
    Path nodeKey() {
        return NodeLayout.of(dataDir).nodePublicKey();
    }

    /** The node's API token, as {@code orchide node token} prints it; null before the node's first boot made it. */
    private String token() {
        String t = token;
        if (t == null) {
            try {
                token = t = io.orchide.node.api.NodeToken.read(NodeLayout.of(dataDir).token()).value();
            } catch (IOException e) {
                return null; // the call goes without and is refused: the node is not up yet
            }
        }
        return t;
    }

    /**
     * The ground replica (from 1) the node holds a session with now, 0 when it holds none (out of contact, failing
     * over, down), -1 when its API does not say.
     */
    int servingReplica() {
        JsonNode dial = dial();
        if (dial == null) return serving() ? -1 : 0;
        return dial.path("connected").asBoolean() ? radio.replicaAt(dial.path("current").asText()) : 0;
    }

    /**
     * The ground replica (from 1) the node holds a session with or, between sessions, dials next; -1 when its API does
     * not say.
     */
    int dialledReplica() {
        JsonNode dial = dial();
        return dial == null ? -1 : radio.replicaAt(dial.path("current").asText());
    }

    private JsonNode dial() {
        if (!serving()) return null;
        try {
            JsonNode dial = http.get(api + "/api/v1/link").path("dial");
            return dial.isMissingNode() ? null : dial;
        } catch (IOException e) {
            return null;
        }
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
    synchronized void corruptNextCapture() {
        corruptNext = true;
    }

    /**
     * The camera takes a picture; the scene lands in the node's camera dataset whether the node is up or not. While
     * the node's storage has no room above its reserve the camera holds its frames (at most {@link #MAX_HELD}, the
     * oldest given up beyond that) and writes them, oldest first, as soon as there is room again.
     */
    synchronized CapturedScene capture(Capture c) throws IOException {
        Frame f = camera.capture(c.position());
        boolean corrupt = corruptNext;
        if (corrupt) {
            f = SyntheticCamera.truncated(f);
            corruptNext = false;
        }
        flushHeld(c.time());
        hardware.place(f); // what a granted capture through the node's broker takes
        CapturedScene s = new CapturedScene(spec.name(), f.name(), c.time(), c.target(), f.size(),
                Digests.sha256(f.content()), corrupt, null);
        scenes.add(s);
        int index = scenes.size() - 1;
        if (held.isEmpty() && place(f)) {
            scenes.set(index, s.writtenAt(c.time()));
        } else {
            if (held.size() == MAX_HELD) held.removeFirst(); // given up: the summary counts it lost
            held.addLast(new Held(index, f));
        }
        return scenes.get(index);
    }

    /** Whether the camera still holds the frame named {@code scene}. */
    synchronized boolean holds(String scene) {
        return held.stream().anyMatch(h -> h.frame().name().equals(scene));
    }

    /** Writes the frames the camera holds, oldest first, while there is room; returns how many went. */
    synchronized int flushHeld(Instant now) throws IOException {
        int n = 0;
        while (!held.isEmpty() && place(held.peekFirst().frame())) {
            Held h = held.removeFirst();
            scenes.set(h.index(), scenes.get(h.index()).writtenAt(now));
            n++;
        }
        return n;
    }

    private boolean place(Frame f) throws IOException {
        try {
            dataset.write(f);
            return true;
        } catch (StorageFullException | io.orchide.node.dataset.QuotaExceededException e) {
            return false; // held until the node frees room (its storage keeper, the dataset's retention)
        }
    }

    /**
     * Something outside the pipelines fills the node's storage to within half of its reserve (a sparse file under
     * its data directory, so the host's disk is not filled). Returns the space left.
     */
    synchronized Space fillStorage() throws IOException {
        Space s = volume.measure();
        long fill = s.freeBytes() - volume.budget().reserveBytes() / 2;
        if (fill > 0) {
            try (RandomAccessFile f = new RandomAccessFile(dataDir.resolve(FILLER).toFile(), "rw")) {
                f.setLength(f.length() + fill);
            }
        }
        return volume.measure();
    }

    /** What filled the storage is gone; the camera writes what it held. Returns how many frames went. */
    synchronized int clearStorage(Instant now) throws IOException {
        Files.deleteIfExists(dataDir.resolve(FILLER));
        return flushHeld(now);
    }

    /** The node's storage as its API reports it; null while it is down. */
    JsonNode storage() {
        if (!serving()) return null;
        try {
            return http.get(api + "/api/v1/storage?refresh=true");
        } catch (IOException e) {
            return null;
        }
    }

    Volume volume() {
        return volume;
    }

    /** The level of the node's storage as the camera sees it ({@code ok}, {@code low}, {@code full}), or why not. */
    String storageLevel() {
        try {
            return volume.level().wire();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    synchronized List<CapturedScene> scenes() {
        return List.copyOf(scenes);
    }

    LinkCounters link() {
        return radio.counters();
    }

    /** The node's runs as its API lists them; empty while it is down. */
    List<JsonNode> runs() {
        return items(api + "/api/v1/runs?limit=100000"); // every run: the API lists 100 unless asked
    }

    /** The node's products (its outbox and what went down), as its API lists them; empty while it is down. */
    List<JsonNode> products() {
        return items(api + "/api/v1/products");
    }

    /** The models the node allows, as its API lists them (with whether each file is here and loaded); empty while it is down. */
    List<JsonNode> models() {
        return items(api + "/api/v1/models");
    }

    /** The node's audit as its API lists it, the most it keeps; empty while it is down. */
    List<JsonNode> audit() {
        return items(api + "/api/v1/audit?limit=" + io.orchide.node.audit.AuditTrail.MAX);
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

    /** Whether the node pins a root of trust (it then boots only images signed by a key the root delegates). */
    boolean rootPinned() {
        return Files.exists(NodeLayout.of(dataDir).trustRoot());
    }

    /** Whether the node is installed with ground's public key, the only one its link accepts. */
    boolean groundKeyPinned() {
        return groundKey != null && Files.exists(groundKey) && nodeArgs.contains(groundKey.toString());
    }

    /**
     * The content images (tenant and digest) of the pipelines and Apps the node holds, as its API shows them; -1 when
     * it does not answer. A node pinning a root took each of them only after verifying its signature.
     */
    int imagesHeld() {
        if (!serving()) return -1;
        try {
            java.util.Set<String> images = new java.util.HashSet<>();
            for (JsonNode p : http.get(api + "/api/v1/pipelines").path("items")) {
                JsonNode d = http.get(api + "/api/v1/pipelines/" + p.path("name").asText());
                String tenant = d.path("manifest").path("metadata").path("tenant").asText();
                for (JsonNode st : d.path("manifest").path("spec").path("steps")) {
                    addImages(images, tenant, st.path("template"));
                }
            }
            for (JsonNode w : http.get(api + "/api/v1/workloads").path("items")) {
                JsonNode d = http.get(api + "/api/v1/workloads/" + w.path("name").asText());
                addImages(images, w.path("tenant").asText(), d.path("spec"));
            }
            return images.size();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void addImages(java.util.Set<String> out, String tenant, JsonNode spec) {
        for (String f : new String[]{"image", "initrd"}) {
            String ref = spec.path(f).asText("");
            if (io.orchide.model.ContentRef.looksLikeOne(ref)) out.add(tenant + " " + ref);
        }
    }

    /** Whether the node runs (or ran) a workload named {@code name}; false while it is down. */
    boolean hasWorkload(String name) {
        if (!serving()) return false;
        try {
            http.get(api + "/api/v1/workloads/" + name);
            return true;
        } catch (IOException e) {
            return false; // 404: never taken
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
