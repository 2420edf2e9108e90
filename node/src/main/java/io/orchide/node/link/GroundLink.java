package io.orchide.node.link;

import io.orchide.model.message.BundleKind;
import io.orchide.node.housekeeping.ConsoleSummaries;
import io.orchide.node.dataset.DatasetCommandLog;
import io.orchide.node.dataset.DatasetCommands;
import io.orchide.model.message.StatusReport;
import java.util.function.Supplier;
import io.orchide.node.dataset.DatasetFiles;
import io.orchide.node.housekeeping.FullLogs;
import io.orchide.node.housekeeping.Housekeeper;
import io.orchide.node.housekeeping.HousekeepingStore;
import io.orchide.node.housekeeping.LogSummaries;
import io.orchide.node.housekeeping.StepConsoles;
import io.orchide.node.housekeeping.StepLogOffsets;
import io.orchide.node.housekeeping.StepLogSummaries;
import io.orchide.node.pipeline.run.RunEngine;

import java.util.concurrent.ExecutorService;
import io.orchide.web.telemetry.Registry;
import java.time.Duration;

import io.orchide.link.LinkAddresses;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.store.LinkStore;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.LinkIdentity;
import io.orchide.link.secure.PinnedKeyTrust;
import io.orchide.link.secure.TlsConvergenceLayer;
import io.orchide.link.transport.ConvergenceLayer;
import io.orchide.link.transport.TcpConvergenceLayer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashSet;
import java.util.Set;
import io.orchide.node.NodeConfig;
import io.orchide.node.apply.Applier;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.trust.DirectorCheck;
import io.orchide.node.trust.OnBoardTrust;
import io.orchide.node.tenant.TenantQuotas;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.pipeline.PipelineNode;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.store.NodeDatabase;
import io.orchide.node.store.NodeStore;
import io.orchide.node.workload.Reconciler;
import io.orchide.node.workload.WorkloadView;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import io.orchide.link.trust.DirectorKeys;

/**
 * The node's end of the link to ground: its own store ({@code link.db}), dialling ground whenever the contact is
 * open, taking desired state, events and images from it, and sending status reports and products down. Nothing here
 * waits for ground: with no contact the node goes on, and what it has to say stays queued on disk.
 */
public final class GroundLink implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.orchide.node.link");
    /** The largest bundle the node takes from ground. */
    static final long MAX_INCOMING = 8L * 1024 * 1024;

    private final LinkStore store;
    private final LinkEndpoint endpoint;
    private final ToGround toGround;
    private final ChangeLoop downlink;
    private final NodeConfig.GroundSettings settings;
    private final NodeEvents events;
    private final LinkTraffic traffic;
    private final LogSummaries logs = new LogSummaries();
    private volatile Housekeeper housekeeper;
    private volatile ConsoleSummaries consoleSummaries;
    private volatile ExecutorService stepLogReader;
    private final Reconciler reconciler;
    private final RunEngine engine;

    private GroundLink(LinkStore store, LinkEndpoint endpoint, ToGround toGround, ChangeLoop downlink,
                       NodeConfig.GroundSettings settings, NodeEvents events, LinkTraffic traffic, Reconciler reconciler,
                       RunEngine engine) {
        this.toGround = toGround;
        this.reconciler = reconciler;
        this.engine = engine;
        this.events = events;
        this.traffic = traffic;
        this.store = store;
        this.endpoint = endpoint;
        this.downlink = downlink;
        this.settings = settings;
    }

    /**
     * The parts of the node the link works with: the data directory's {@code layout} (where {@code link.db} lives),
     * {@code nodeDb} (the ledger of desired changes applied), the {@code reconciler} and {@code workloads} store whose
     * changes are reported, the {@code pipelines} whose changes are reported, the readers' store of runs and
     * {@code products} whose products go down, the node's one apply path ({@code manifests}) that ground's desired
     * state takes, the {@code images} store that images from ground land in, the tenants' {@code quotas} that ground's
     * quota bundles update, the node's {@code audit} of desired state, which the reports carry to ground, and its
     * {@code datasets}, on which ground's dataset operations are done, its {@code devices} as the status reports
     * carry them, and its {@code position} (null: the reports carry none), which each report carries.
     */
    public record Parts(NodeLayout layout, NodeDatabase nodeDb, Reconciler reconciler, NodeStore workloads,
                        PipelineNode pipelines, PipelineStore products, Applier manifests, ContentImages images,
                        TenantQuotas quotas, AuditTrail audit, DatasetFiles datasets,
                        Supplier<List<StatusReport.Device>> devices,
                        io.orchide.node.position.NodePosition position) {

        /** Parts whose reports say nothing of the node's position. */
        public Parts(NodeLayout layout, NodeDatabase nodeDb, Reconciler reconciler, NodeStore workloads,
                     PipelineNode pipelines, PipelineStore products, Applier manifests, ContentImages images,
                     TenantQuotas quotas, AuditTrail audit, DatasetFiles datasets,
                     Supplier<List<StatusReport.Device>> devices) {
            this(layout, nodeDb, reconciler, workloads, pipelines, products, manifests, images, quotas, audit, datasets,
                    devices, null);
        }
    }

    /**
     * Opens the link's store and endpoint, wires the intake and the downlink, and starts dialling ground at the
     * addresses of {@code s} (tried in turn, see {@link LinkEndpoint#dial}).
     *
     * @param facts the node's hello (see {@link NodeFacts})
     */
    public static GroundLink start(NodeConfig.GroundSettings s, Parts p, String facts, Clock clock)
            throws SQLException {
        LinkAddresses.parse(s.address()); // a bad address is refused before anything is opened
        ImageIntake images = new StoredImages(p.images());
        LinkStore store = LinkStore.sqlite(p.layout().linkDatabase());
        NodeEvents events = new NodeEvents(clock);
        OnBoardTrust trust = trust(p);
        DesiredApplier applier = new DesiredApplier(p.manifests(), p.reconciler(), p.pipelines().pipelines(),
                new DesiredLedger(p.nodeDb().writer()), events, p.audit(), clock, trust);
        ToGround toGround = new ToGround();
        RunEngine engine = p.pipelines().engine();
        FullLogs fullLogs = new FullLogs(new StepConsoles(p.reconciler()::console, engine::console), clock);
        DatasetCommands datasetCommands = p.datasets() == null ? null : new DatasetCommands(p.datasets(), s.nodeName(),
                clock, new DatasetCommandLog(p.nodeDb().writer(), clock), ref -> p.images().store().path(ref),
                new DatasetFileDownlink(s.satellite(), s.nodeName(), toGround, LinkConfig.DEFAULT_MAX_BUNDLE - 64 * 1024));
        UplinkIntake intake = new UplinkIntake(applier, p.pipelines().pipelines(), images, events, p.quotas(), p.audit(),
                director(s, trust), new HousekeepingStore(p.nodeDb().writer()), fullLogs, datasetCommands, toGround);
        // what the node accepts is bounded by its small heap: ground sends images as 1 MiB packs of chunks
        LinkConfig cfg = new LinkConfig(s.satellite(), facts, s.rateBytesPerSecond(), 0, MAX_INCOMING, null, null, null,
                clock, s.keepalive(), s.idleTimeout());
        LinkTraffic traffic = new LinkTraffic();
        LinkOutcomes outcomes = new LinkOutcomes(s.satellite(), s.nodeName(), p.products(), events);
        LinkEndpoint endpoint = LinkEndpoint.open(cfg, store, transport(s, p.layout(), trust::directors), traffic.counting(intake),
                traffic.counting(outcomes), outcomes);
        toGround.open(endpoint);
        traffic.watch(endpoint);
        fullLogs.sendTo(bytes -> toGround.send(BundleKind.FULL_LOG, bytes));
        ProductDownlink downlink = new ProductDownlink(s.satellite(), s.nodeName(), endpoint, p.products(),
                LinkConfig.DEFAULT_MAX_BUNDLE - 64 * 1024, clock);
        StatusReporter reporter = new StatusReporter(s.nodeName(), endpoint, p.reconciler(), p.workloads(),
                p.products(), events, p.audit(), clock, p.devices());
        if (p.position() != null) reporter.withPosition(p.position()::report);
        ChangeLoop loop = new ChangeLoop(List.of(downlink::sweep, reporter::reportAll), s.reportDelay());
        if (p.position() != null) p.position().onChange(loop::changed);
        outcomes.onContact(() -> {
            reporter.contactOpened();
            loop.changed();
        });
        events.onAdded(loop::changed);
        p.audit().onAdded(loop::changed);
        p.workloads().onChange(loop::changed);
        p.pipelines().onChange(loop::changed);
        applier.retryPending(); // changes that waited for an image before a reboot: the image may be here now
        if (datasetCommands != null) { // puts whose content completed just before a crash
            datasetCommands.contentArrived().forEach(r -> toGround.send(BundleKind.DATASET_RESULT, r.encode()));
        }
        loop.start();
        endpoint.dial(s.address());
        return new GroundLink(store, endpoint, toGround, loop, s, events, traffic, p.reconciler(), engine);
    }

    /**
     * Ground's keys sign its desired state for this satellite, required whenever the node pins one: the director keys
     * the node's root named, once it named some, else the pinned ones.
     */
    private static DirectorCheck director(NodeConfig.GroundSettings s, OnBoardTrust trust) {
        List<PublicKey> keys = new java.util.ArrayList<>();
        try {
            for (Path f : s.groundKeys()) keys.add(KeyFiles.readPublic(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ground's pinned key: " + e.getMessage(), e);
        }
        return new DirectorCheck(s.satellite(), keys, trust::directors);
    }

    /** The chain of trust over the node's database and the root pinned in its data directory (if any). */
    private static OnBoardTrust trust(Parts p) {
        try {
            return OnBoardTrust.open(p.nodeDb().writer(), p.layout().trustRoot());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pinned root " + p.layout().trustRoot() + ": " + e.getMessage(), e);
        } catch (io.orchide.link.trust.TrustException e) {
            throw new IllegalStateException("the pinned root does not verify: " + e.getMessage(), e);
        }
    }

    /**
     * Mutual TLS with the node's key, pinning ground's, when the settings pin one (always from the command line); a
     * plain link otherwise (tests of the node alone). Ground's key files and the node's own are read here, so that a
     * node without its key says so at its start, not at its first contact.
     */
    static ConvergenceLayer transport(NodeConfig.GroundSettings s, NodeLayout layout) {
        return transport(s, layout, Optional::empty);
    }

    /**
     * As above, the ground's key judged at each handshake: once the node's root named director keys, those are
     * ground's keys (a ground moved to a newly named key is reached without pinning it anew, a revoked one is
     * refused); until then the pinned ones.
     */
    static ConvergenceLayer transport(NodeConfig.GroundSettings s, NodeLayout layout,
                                      Supplier<Optional<DirectorKeys>> rootDirectors) {
        TcpConvergenceLayer tcp = new TcpConvergenceLayer();
        if (!s.secure()) return tcp;
        if (!Files.exists(layout.nodeKey()))
            throw new IllegalStateException("the node has no key for the link: " + layout.nodeKey() + " is missing; make it "
                    + "with `orchide node init --data-dir " + layout.root() + "` and have an operator register "
                    + layout.nodePublicKey() + " (orchide create satellite " + s.satellite() + " --node-key ...)");
        Set<PublicKey> pinned = new LinkedHashSet<>();
        try {
            for (Path f : s.groundKeys()) pinned.add(KeyFiles.readPublic(f));
            LinkIdentity id = LinkIdentity.load(layout.nodeKey(), layout.nodePublicKey(), s.satellite());
            Set<String> pinnedIds = Set.copyOf(pinned.stream().map(KeyFiles::fingerprint).toList());
            PinnedKeyTrust groundKeys = PinnedKeyTrust.following(
                    () -> rootDirectors.get().map(d -> d.keys().keySet()).orElse(pinnedIds),
                    () -> rootDirectors.get().map(d -> "a director key of the root (version " + d.version() + ")")
                            .orElse("ground's pinned key"));
            return new TlsConvergenceLayer(tcp, id, groundKeys,
                    c -> LOG.log(System.Logger.Level.DEBUG, "link: TLS handshake with {0}: {1} bytes, {2} ms",
                            c.remote(), c.bytes(), c.time().toMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the link's keys: " + e.getMessage(), e);
        }
    }

    public LinkEndpoint endpoint() { return endpoint; }

    public NodeConfig.GroundSettings settings() { return settings; }

    /** The link's metrics: bundles and bytes by direction and priority, backlog, contact. */
    public LinkTraffic traffic() { return traffic; }

    /**
     * Starts the node's housekeeping over {@code metrics}: summaries every {@code interval}, queued for ground as
     * housekeeping bundles within the satellite's budget; closed with the link.
     */
    public Housekeeper housekeeping(Registry metrics, NodeDatabase nodeDb, Duration interval, Clock clock) {
        Housekeeper h = new Housekeeper(settings.nodeName(), metrics, new HousekeepingStore(nodeDb.writer()), logs,
                bytes -> toGround.send(BundleKind.HOUSEKEEPING, bytes),
                clock, interval);
        ConsoleSummaries consoles = new ConsoleSummaries(
                () -> reconciler.list().stream().map(WorkloadView::name).collect(Collectors.toSet()),
                reconciler::console, logs);
        consoleSummaries = consoles;
        consoles.sync();
        ExecutorService reader = StepLogSummaries.daemonReader();
        stepLogReader = reader;
        engine.observe(new StepLogSummaries(engine::console, logs, reader,
                new StepLogOffsets(nodeDb.writer(), StepLogSummaries.MAX_CONSOLES)));
        h.beforeClose(consoles::sync);
        h.start();
        housekeeper = h;
        return h;
    }

    /** The log summaries housekeeping sends: consoles and steps' logs feed it. */
    public LogSummaries logSummaries() {
        return logs;
    }

    /** Replaces the node's hello for the sessions that start from now on (its facts became known after the start). */
    public void introduce(String facts) {
        endpoint.introduce(facts);
    }

    /** An event of the node's own (its storage running low, say), for ground with the next status report. */
    public void report(String subject, String message) {
        events.add(subject, message);
    }

    @Override
    public void close() throws Exception {
        Housekeeper h = housekeeper;
        if (h != null) h.close();
        ConsoleSummaries cs = consoleSummaries;
        if (cs != null) cs.close();
        ExecutorService r = stepLogReader;
        if (r != null) r.shutdownNow();
        downlink.close();
        endpoint.close();
        store.close();
    }
}
