package io.orchide.twin.run;

import io.orchide.twin.link.Radio;
import io.orchide.orbit.Contact;
import io.orchide.orbit.GroundStation;
import io.orchide.twin.plan.Timeline;
import io.orchide.twin.plan.TwinEvent;
import io.orchide.twin.process.Launcher;
import io.orchide.twin.process.PostgresCluster;
import io.orchide.twin.scenario.Fault;
import io.orchide.twin.scenario.SatelliteSpec;
import io.orchide.twin.scenario.Scenario;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a scenario: a real ground (one or more replicas, on SQLite or on a PostgreSQL server of its own) and one real
 * node process per satellite, all on one simulated clock; the radio
 * between each node and ground opened and closed by the contact plan and shaped by the station's rates; scenes
 * captured into the nodes' camera datasets over the targets; faults injected; live progress printed; and at the end
 * a {@link Summary} of what became of every scene. It runs signed: a root of trust ({@link TrustRig}) pinned on every
 * node, a key delegated to each tenant, each image signed as it is pushed ({@link ImageSigner}).
 * {@link #close} stops everything it started.
 */
public final class Twin implements AutoCloseable {
    /** Real time given to the processes to start before simulated time reaches the scenario's start. */
    static final Duration LEAD = Duration.ofSeconds(3);
    /** Added to {@link #LEAD} for each tenant the twin creates with its token, and for each of their manifest files. */
    static final Duration TENANT_LEAD = Duration.ofSeconds(1), APPLY_LEAD = Duration.ofSeconds(2);

    /** Where the twin keeps its processes' data and logs, and how often it prints a status line (simulated time). */
    public record Options(Path workDir, Duration statusEvery) {
    }

    private final Scenario scenario;
    private final Launcher launcher;
    private final ManifestApplier applier;
    private final Consumer<String> out;
    private final Options options;
    private final List<SatelliteRig> rigs = new ArrayList<>();
    private final Map<String, List<Contact>> inView = new LinkedHashMap<>();
    private final Map<String, GroundStation> stations = new LinkedHashMap<>();
    private final FaultLog faults = new FaultLog();
    private final Map<String, Fault> corrupting = new LinkedHashMap<>(); // satellite -> its corruptScene fault pending
    private GroundRig ground;
    private GroundWatch watch; // null unless ground has several replicas or a database of its own
    private TwinClock clock;
    private List<TenantAccess.Member> tenants = List.of();
    private CrossTenantAttempt crossTenant; // null unless the scenario has two tenants or more
    private QuotaAttempt quotaAttempt; // null unless a tenant's pipelines fill its pipelines quota
    private TrustRig trust;
    private ImageSigner signer;
    private final Map<Fault, TamperedImage> tampered = new LinkedHashMap<>();

    public Twin(Scenario scenario, Launcher launcher, ManifestApplier applier, Consumer<String> out, Options options) {
        this.scenario = scenario;
        this.launcher = launcher;
        this.applier = applier;
        this.out = out;
        this.options = options;
        scenario.stations().forEach(s -> stations.put(s.name(), s));
    }

    /** Ground's API address once it runs (for {@code ORCHIDE_SERVER}). */
    public String groundApi() {
        return ground == null ? null : ground.api();
    }

    /** Runs the scenario to its end and returns what became of everything. */
    public Summary run() throws IOException, InterruptedException {
        long began = System.nanoTime();
        Timeline timeline = Timeline.of(scenario, options.statusEvery());
        int contacts = timeline.contacts().values().stream().mapToInt(List::size).sum();
        say(String.format(Locale.ROOT, "== scenario %s: %d satellite(s), %d ground station(s), %s to %s at %sx (seed %d)",
                scenario.name(), scenario.satellites().size(), scenario.stations().size(), TimeText.at(scenario.start()),
                TimeText.at(scenario.end()), plain(scenario.speed()), scenario.seed()));
        say("   planned: " + contacts + " contacts, " + timeline.captureCount() + " captures over "
                + String.join(", ", scenario.targets().stream().map(t -> t.name()).toList()) + ", "
                + scenario.faults().size() + " fault(s); work directory " + options.workDir());
        start();
        for (TwinEvent e : timeline.events()) {
            clock.sleepUntil(e.at());
            handle(e);
        }
        clock.sleepUntil(scenario.end());
        say(StatusLine.of(scenario.end(), rigs, ground, watch));
        Map<Fault, String> described = new LinkedHashMap<>();
        tampered.forEach((f, t) -> described.put(f, t.describe(t.outcome(ground.api(), ground.token(),
                rig(t.satellite()).hasWorkload(t.app())))));
        TrustSummary signed = TrustCollector.collect(ground.api(), ground.token(), rigs, signer.signed().size(),
                io.orchide.link.secure.KeyFiles.readPublic(GroundRig.publicKey(options.workDir())));
        List<HousekeepingSummary> housekeeping = new ArrayList<>();
        for (SatelliteRig r : rigs) {
            // from before the start: the nodes start (and measure) during the twin's lead
            HousekeepingSummary h = HousekeepingCollector.collect(ground.api(), ground.token(), r.name(),
                    scenario.start().minus(Duration.ofHours(2)), scenario.end());
            if (h != null) housekeeping.add(h);
        }
        InferenceSummary inference = InferenceCollector.collect(rigs, tenants, signer.signed());
        if (watch != null) {
            watch.look();
            watch.close(); // what ground does while it is stopped is no part of the scenario
        }
        return SummaryCollector.collect(scenario, timeline, rigs, ground, faults,
                watch == null ? List.of() : watch.events(), tenants, crossTenant, quotaAttempt, described, signed,
                housekeeping, inference, Duration.ofNanos(System.nanoTime() - began));
    }

    private void start() throws IOException, InterruptedException {
        Files.createDirectories(options.workDir());
        Path logs = options.workDir().resolve("logs");
        var db = GroundRig.database(scenario.ground(), options.workDir());
        // every JVM started at once shares the machine: more replicas, more time before the scenario's start; and each
        // tenant's set-up and applies come before the first pass too (on a loaded machine one apply with its images'
        // push takes seconds, and a pipeline that misses the first pass leaves its satellite a backlog of scenes)
        Duration lead = LEAD.plusSeconds(2L * (scenario.ground().replicas() - 1))
                .plus(TENANT_LEAD.multipliedBy(scenario.tenants().size()))
                .plus(APPLY_LEAD.multipliedBy(scenario.tenants().stream().mapToLong(t -> t.manifests().size()
                        + t.models().stream().mapToLong(m -> m.satellites().size()).sum()).sum()));
        clock = new TwinClock(scenario.start(), scenario.speed(), Instant.now().plus(lead));
        Map<String, String> env = Map.of("ORCHIDE_NO_BUILD", "1");
        // the operator's root and a key delegated to each tenant that applies something, before any node is installed
        List<String> signing = new ArrayList<>(scenario.tenants().stream().map(t -> t.name()).toList());
        if (!scenario.manifests().isEmpty()) signing.addFirst(io.orchide.model.Metadata.DEFAULT_TENANT);
        trust = TrustRig.make(options.workDir().resolve("trust"), signing);
        signer = new ImageSigner(trust);
        ground = GroundRig.start(scenario.ground(), db, launcher, options.workDir(), logs, Twin::freePort,
                clock.processArgs(), scenario.speed(), env);
        ground.database().ifPresent(pg -> say("   ground: " + scenario.ground().replicas() + " replica(s) on " + pg
                + ", role " + PostgresCluster.ROLE + ", password in " + pg.passwordFile()));
        int i = 0;
        for (SatelliteSpec sat : scenario.satellites()) {
            long seed = scenario.seed() * 31 + sat.name().hashCode();
            Radio radio = Radio.start(sat.name(), ground.linkAddresses(), clock.clock(), seed);
            // satellites spread over the replicas: each node dials its own first, then the others in turn
            SatelliteRig rig = new SatelliteRig(scenario, sat, options.workDir().resolve(sat.name()),
                    logs.resolve(sat.name() + ".log"), radio, 1 + i++ % scenario.ground().replicas(), freePort(), launcher,
                    env, clock.processArgs(), GroundRig.publicKey(options.workDir()), trust.rootFile());
            rigs.add(rig);
            rig.powerOn();
            inView.put(sat.name(), new ArrayList<>());
        }
        ground.awaitReady();
        for (SatelliteRig r : rigs) ground.register(r.name(), r.nodeKey());
        // the root names ground's key as its director: the nodes take desired state (and the link) from it alone
        trust.nameDirector(io.orchide.link.secure.KeyFiles.readPublic(GroundRig.publicKey(options.workDir())));
        trust.giveGround(ground.api(), ground.token());
        // ground plans with the stations and TLEs the twin flies: its passes are the twin's contacts
        PassFeed.feed(ground.api(), ground.token(), scenario.stations(), scenario.satellites());
        for (SatelliteRig r : rigs) r.awaitBoot();
        if (ground.watched()) {
            watch = new GroundWatch(ground, rigs, clock::now, (at, what) -> say("[" + TimeText.at(at) + "] " + what));
            for (GroundReplica r : ground.replicas()) {
                say("   ground replica " + r.index() + ": API " + r.api() + ", link " + r.linkAddress());
            }
        }
        say("   ground API " + ground.api() + " (export ORCHIDE_SERVER=" + ground.api() + " ORCHIDE_TOKEN=$(cat "
                + ground.tokenFile() + ")"
                + " and use ./orchide get satellites, get runs --satellite NAME, get products while it runs)");
        say("   dashboard " + ground.api() + "/ (log in with the token in " + ground.tokenFile() + ")");
        say("   signed: a root of trust of " + TrustRig.ROOT_KEYS + " keys, " + TrustRig.THRESHOLD + " needed to sign ("
                + trust.rootFile() + "), pinned on every node with ground's key; ground's key named by the root as its "
                + "director; image-signing keys delegated to "
                + String.join(", ", trust.tenants()) + "; each tenant's images signed as they are pushed");
        for (Path m : scenario.manifests()) applyEverywhere(m, ground.token(), io.orchide.model.Metadata.DEFAULT_TENANT, "");
        if (scenario.tenants().isEmpty()) return;
        tenants = TenantAccess.create(ground.api(), ground.token(), scenario.tenants());
        for (TenantAccess.Member t : tenants) {
            String quota = t.spec().quota().format();
            say("   tenant " + t.name() + " created" + (quota.isEmpty() ? " (no quota)" : " (quota " + quota + ")")
                    + "; its developer token is " + t.principal() + "'s");
        }
        // an operator allows the tenants' models first: ground sends each change in the order it took them, and a
        // pipeline declaring a model reaches a node after the Model it uses
        ModelAllowance.apply(ground.api(), ground.token(), tenants, signer, applier).forEach(l -> say("   " + l));
        for (TenantAccess.Member t : tenants) {
            for (Path m : t.spec().manifests()) applyEverywhere(m, t.token(), t.name(), " as " + t.name());
        }
        if (tenants.size() >= 2) crossTenantAttempt(tenants.get(tenants.size() - 1), tenants.get(0));
        quotaAttempt = QuotaAttempt.make(ground.api(), tenants, rigs.stream().map(SatelliteRig::name).toList());
        if (quotaAttempt != null) quotaAttempt.lines().forEach(l -> say("   " + l));
    }

    /**
     * Applies {@code manifest} to every satellite through ground as the bearer of {@code token}, a developer of
     * {@code tenant}, which first pushes the images it names and signs them with its delegated key.
     */
    private void applyEverywhere(Path manifest, String token, String tenant, String as) {
        List<io.orchide.model.Manifest> byContent = signer.byContent(ground.api(), token, tenant, manifest);
        for (SatelliteRig r : rigs) {
            for (String line : applier.apply(ground.api(), token, byContent, r.name()).split("\n")) {
                if (!line.isBlank()) say("   " + r.name() + ": " + line.strip() + as);
            }
        }
    }

    /** The last tenant's developer aims at the first tenant's pipeline: ground must refuse, and log it. */
    private void crossTenantAttempt(TenantAccess.Member intruder, TenantAccess.Member victim) {
        crossTenant = CrossTenantAttempt.make(ground.api(), ground.token(), intruder, victim, rigs.get(0).name());
        if (crossTenant == null) return;
        for (String line : CrossTenantText.lines(crossTenant)) say("   " + line);
    }

    private void handle(TwinEvent e) throws IOException, InterruptedException {
        switch (e) {
            case TwinEvent.ContactStart s -> contactStart(s);
            case TwinEvent.ContactEnd s -> contactEnd(s);
            case TwinEvent.CaptureDue c -> {
                CapturedScene s = rig(c.satellite()).capture(c.capture());
                if (s.corrupt()) faults.scene(corrupting.remove(c.satellite()), s.name());
                say(line(c.at(), c.satellite(), "captured " + s.name() + " over " + c.capture().target()
                        + (s.corrupt() ? " (CORRUPT)" : "") + (s.held() ? " (held by the camera: storage full)" : "")));
            }
            case TwinEvent.FaultStart f -> faultStart(f.at(), f.fault());
            case TwinEvent.FaultEnd f -> faultEnd(f.at(), f.fault());
            case TwinEvent.StatusDue s -> say(StatusLine.of(s.at(), rigs, ground, watch));
        }
    }

    private void contactStart(TwinEvent.ContactStart s) throws IOException {
        String sat = s.contact().satellite();
        inView.get(sat).add(s.contact());
        SatelliteRig r = rig(sat);
        r.inView(s.station(), scenario.link().delay(), scenario.link().loss());
        say(line(s.at(), sat, String.format(Locale.ROOT, "AOS %s: %s pass, max elevation %.0f deg, up %s, down %s%s",
                s.station().name(), TimeText.span(s.contact().duration()), s.contact().maxElevationDeg(),
                TimeText.rate(s.station().upRateBps()), TimeText.rate(s.station().downRateBps()),
                r.inOutage() ? " (link down: nothing passes)" : "")));
    }

    private void contactEnd(TwinEvent.ContactEnd s) throws IOException {
        String sat = s.contact().satellite();
        List<Contact> active = inView.get(sat);
        active.remove(s.contact());
        SatelliteRig r = rig(sat);
        var link = r.link();
        if (active.isEmpty()) r.outOfView();
        else r.inView(stations.get(active.get(active.size() - 1).station()), scenario.link().delay(), scenario.link().loss());
        say(line(s.at(), sat, "LOS " + s.station().name() + " (link so far: up " + TimeText.bytes(link.bytesUp())
                + ", down " + TimeText.bytes(link.bytesDown()) + ")"));
    }

    private void faultStart(Instant at, Fault f) throws InterruptedException {
        SatelliteRig r = f.kind().onGround() ? null : rig(f.satellite());
        switch (f.kind()) {
            case GROUND_REPLICA_CRASH -> crash(at, f);
            case DATABASE_RESTART -> {
                try {
                    ground.database().orElseThrow().stopServer();
                    faults.began(f, at, 0);
                    say(line(at, "ground", "FAULT PostgreSQL stopped (fast shutdown: every session cut) for "
                            + TimeText.span(f.duration())));
                } catch (IOException e) {
                    say(line(at, "ground", "could not stop PostgreSQL: " + e.getMessage()));
                }
            }
            case REBOOT -> {
                int killed = r.up() ? r.powerCut() : 0;
                faults.began(f, at, killed);
                say(line(at, f.satellite(), "FAULT power lost: the agent and " + Math.max(0, killed - 1)
                        + " other process(es) killed at once"));
            }
            case LINK_OUTAGE -> {
                faults.began(f, at, 0);
                r.outage(true, scenario.link().delay(), scenario.link().loss());
                say(line(at, f.satellite(), "FAULT link outage for " + TimeText.span(f.duration())));
            }
            case DISK_FULL -> {
                try {
                    var left = r.fillStorage();
                    faults.filled(f, at, left.freeBytes());
                    say(line(at, f.satellite(), "FAULT storage nearly full for " + TimeText.span(f.duration()) + ": "
                            + TimeText.bytes(left.freeBytes()) + " free of " + TimeText.bytes(left.capacityBytes())
                            + ", inside the node's reserve of " + TimeText.bytes(r.volume().budget().reserveBytes())));
                } catch (IOException e) {
                    say(line(at, f.satellite(), "could not fill the storage: " + e.getMessage()));
                }
            }
            case TAMPERED_IMAGE -> tamper(at, f);
            case CORRUPT_SCENE -> {
                faults.began(f, at, 0);
                corrupting.putIfAbsent(f.satellite(), f); // the camera corrupts one scene: the first fault's
                r.corruptNextCapture();
                say(line(at, f.satellite(), "FAULT the camera's next capture will be corrupt"));
            }
        }
    }

    private void faultEnd(Instant at, Fault f) throws IOException, InterruptedException {
        SatelliteRig r = f.kind().onGround() ? null : rig(f.satellite());
        switch (f.kind()) {
            case GROUND_REPLICA_CRASH -> restart(at, f);
            case DATABASE_RESTART -> {
                ground.database().orElseThrow().startServer();
                faults.ended(f, clock.now());
                say(line(clock.now(), "ground", "PostgreSQL started again"));
            }
            case REBOOT -> {
                say(line(at, f.satellite(), "power back: the payload computer boots"));
                r.powerOn();
                Thread.ofVirtual().name("boot-" + r.name()).start(() -> { // events go on while it boots
                    try {
                        r.awaitBoot();
                        faults.ended(f, clock.now());
                        say(line(clock.now(), f.satellite(), "agent up again"));
                    } catch (IOException | RuntimeException e) {
                        say(line(clock.now(), f.satellite(), "did not boot: " + e.getMessage()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            case LINK_OUTAGE -> {
                faults.ended(f, at);
                r.outage(false, scenario.link().delay(), scenario.link().loss());
                say(line(at, f.satellite(), "link repaired"));
            }
            case DISK_FULL -> {
                faults.ended(f, at);
                int written = r.clearStorage(at);
                say(line(at, f.satellite(), "storage cleared" + (written == 0 ? ""
                        : ": the camera wrote the " + written + " scene(s) it held")));
            }
            case CORRUPT_SCENE, TAMPERED_IMAGE -> { }
        }
    }

    /**
     * Someone with the developer token of the first tenant that signed a kernel flips a byte of it and applies an App
     * naming the result to the fault's satellite: its node must refuse to boot it.
     */
    private void tamper(Instant at, Fault f) {
        faults.began(f, at, 0);
        List<TenantAccess.Member> who = new ArrayList<>(tenants);
        if (!scenario.manifests().isEmpty()) {
            who.addFirst(new TenantAccess.Member(new io.orchide.twin.scenario.TenantSpec(
                    io.orchide.model.Metadata.DEFAULT_TENANT, io.orchide.model.tenant.Quota.NONE, scenario.manifests(),
                    List.of(), List.of()), ground.token(), "admin"));
        }
        for (TenantAccess.Member m : who) {
            try {
                var t = TamperedImage.inject(ground.api(), m.token(), m.name(), m.spec().manifests(), signer.signed(),
                        options.workDir(), f.satellite(), at);
                if (t.isEmpty()) continue;
                tampered.put(f, t.get());
                say(line(at, f.satellite(), "FAULT " + m.name() + "'s " + t.get().original().name() + " with byte "
                        + t.get().offset() + " flipped after signing (" + Digests.shortName(t.get().digest())
                        + ", unsigned) applied as App " + t.get().app() + " through ground"));
                return;
            } catch (IOException | RuntimeException e) {
                say(line(at, f.satellite(), "could not tamper with an image of " + m.name() + ": " + e.getMessage()));
                return;
            }
        }
        say(line(at, f.satellite(), "FAULT " + f.kind() + ": no tenant signed a kernel to tamper with; nothing applied"));
    }

    /**
     * kill -9 of the replica the fault names, or of the one serving its satellite now: the one its node holds a
     * session with or, between sessions, the one it dials next (it stays with the last that served it).
     */
    private void crash(Instant at, Fault f) throws InterruptedException {
        watch.look();
        int dialled = f.replica() != null ? 0 : rig(f.satellite()).dialledReplica();
        int target = f.replica() != null ? f.replica() : dialled > 0 ? dialled : watch.lastServed(f.satellite());
        if (target == 0) {
            faults.struck(f, at, 0, List.of(), false);
            say(line(at, "ground", "FAULT " + f.describe() + ": " + f.satellite()
                    + " has held no session with any replica yet; nothing struck"));
            return;
        }
        GroundReplica victim = ground.replica(target);
        List<String> served = rigs.stream().filter(r -> r.dialledReplica() == target).map(SatelliteRig::name).toList();
        if (!victim.alive()) {
            faults.struck(f, at, target, List.of(), false);
            say(line(at, "ground", "FAULT replica " + target + " is down already; nothing struck"));
            return;
        }
        victim.kill();
        faults.struck(f, clock.now(), target, served, true); // what the watch saw before is before the crash
        say(line(at, "ground", "FAULT replica " + target + " killed (kill -9)"
                + (served.isEmpty() ? "" : ", serving " + String.join(", ", served))
                + (f.duration() == null ? "; it stays down" : "; it starts again in " + TimeText.span(f.duration()))));
    }

    private void restart(Instant at, Fault f) throws IOException {
        FaultLog.Entry e = faults.get(f);
        if (e == null || e.replica() == 0) return;
        GroundReplica r = ground.replica(e.replica());
        if (r.alive()) return;
        say(line(at, "ground", "replica " + r.index() + " starts again"));
        r.startProcess();
        Thread.ofVirtual().name("restart-" + r.name()).start(() -> { // events go on while it starts
            try {
                r.awaitReady(Duration.ofSeconds(90)); // the watch says when it is ready
                faults.ended(f, clock.now());
            } catch (RuntimeException ex) {
                say(line(clock.now(), "ground", "replica " + r.index() + " did not start: " + ex.getMessage()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private SatelliteRig rig(String name) {
        return rigs.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static String line(Instant at, String who, String what) {
        return "[" + TimeText.at(at) + "] " + who + " " + what;
    }

    private synchronized void say(String s) {
        out.accept(s);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** Stops every process and emulator the twin started, and ground's database. */
    @Override
    public void close() throws InterruptedException {
        if (watch != null) watch.close();
        for (SatelliteRig r : rigs) {
            try {
                r.close();
            } catch (RuntimeException e) {
                out.accept("   could not stop " + r.name() + ": " + e.getMessage());
            }
        }
        if (ground != null) {
            try {
                ground.close();
            } catch (RuntimeException e) {
                out.accept("   could not stop ground: " + e.getMessage());
            }
        }
    }
}
