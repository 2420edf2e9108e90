package io.orchide.node;

import io.orchide.model.Arch;
import io.orchide.model.Monitor;
import io.orchide.node.api.LinkApi;
import io.orchide.node.api.NodeApi;
import io.orchide.node.api.NodeToken;
import io.orchide.node.api.PipelineApi;
import io.orchide.node.api.RefusalLog;
import io.orchide.node.api.DatasetApi;
import io.orchide.node.api.DeviceApi;
import io.orchide.node.accel.Accelerator;
import io.orchide.node.accel.AcceleratorPool;
import io.orchide.node.broker.Broker;
import io.orchide.node.broker.BrokerSockets;
import io.orchide.node.broker.Caller;
import io.orchide.node.inference.InferenceHandler;
import io.orchide.node.inference.ModelMounts;
import io.orchide.node.inference.ModelRegistry;
import io.orchide.node.inference.ModelSessions;
import io.orchide.node.inference.OnnxRunner;
import io.orchide.node.api.ModelApi;
import io.orchide.model.App;
import io.orchide.model.Model;
import io.orchide.model.ModelSpec;
import io.orchide.model.ModelUse;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.node.broker.GrantStore;
import io.orchide.node.broker.Leases;
import io.orchide.node.broker.CameraHandler;
import io.orchide.node.broker.TwinHandler;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.FeedCamera;
import io.orchide.node.position.NodePosition;
import io.orchide.node.api.StorageApi;
import io.orchide.node.api.TokenGate;
import io.orchide.node.apply.Applier;
import io.orchide.model.DeviceGrant;
import io.orchide.node.workload.ApplyResult;
import io.orchide.node.image.ContentImages;
import io.orchide.node.dataset.DatasetFiles;
import io.orchide.node.dataset.DatasetLineage;
import io.orchide.node.dataset.DatasetOutputs;
import io.orchide.node.dataset.DatasetRegistry;
import io.orchide.node.dataset.DatasetRetention;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.secret.NodeSecrets;
import io.orchide.node.link.DeliveredProducts;
import io.orchide.node.link.GroundLink;
import io.orchide.node.link.NodeFacts;
import io.orchide.node.pipeline.PipelineNode;
import io.orchide.node.pipeline.run.AppliedPipelines;
import io.orchide.node.pipeline.run.FinishedRunFiles;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.storage.StorageKeeper;
import io.orchide.node.storage.StorageLevel;
import io.orchide.node.storage.Volume;
import io.orchide.node.store.NodeDatabase;
import io.orchide.node.store.NodeStore;
import io.orchide.node.telemetry.NodeMetrics;
import io.orchide.node.workload.Drivers;
import io.orchide.node.workload.MonitorProbes;
import io.orchide.node.workload.Reconciler;
import io.orchide.node.workload.Reservations;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.tenant.TenantQuotas;
import io.orchide.node.storage.TenantStorage;
import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.workload.WorkloadLauncher;
import io.orchide.runtime.Driver;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.oci.OciDriver;
import io.orchide.runtime.process.BwrapDriver;
import io.orchide.runtime.qemu.QemuDriver;
import io.orchide.runtime.solo5.Solo5Driver;
import io.orchide.runtime.supervise.ShimBinary;
import io.orchide.runtime.supervise.ShimSupervisor;
import io.orchide.web.ApiServer;
import io.orchide.web.telemetry.MetricsRoute;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The on-board agent: one per payload computer, and the one place its parts are put together. Each part is built
 * after what it needs and is given that through its constructor; listeners are registered once their targets exist.
 * Holds an exclusive lock on its data directory so two agents never manage the same workloads. Opens its store,
 * restores and re-adopts workloads and runs, starts its link to ground when it has one, then serves the local API
 * to the holders of the node's token ({@link NodeToken}, made at the first start); nothing of this waits for the
 * monitor probes ({@link MonitorProbes}).
 */
public final class NodeAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeAgent.class.getName());

    public static final String VERSION = "0.1.0";
    /** How long a device lease is held at most before it ends by itself (a holder that died never keeps a device). */
    static final java.time.Duration LEASE_MAX_HOLD = java.time.Duration.ofMinutes(5);

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final NodeDatabase db;
    private final ShimSupervisor supervisor;
    private final Reconciler reconciler;
    private final PipelineNode pipelines;
    private final GroundLink ground; // null for a node on its own
    private final StorageKeeper storage;
    private final ApiServer api;
    private final RefusalLog refusals;
    private final BrokerSockets brokerSockets;
    private final Broker broker;
    private final NodePosition position;
    private final ModelSessions modelSessions;

    private NodeAgent(FileChannel lockChannel, FileLock lock, NodeDatabase db, ShimSupervisor supervisor,
                      Reconciler reconciler, PipelineNode pipelines, GroundLink ground, StorageKeeper storage,
                      ApiServer api, RefusalLog refusals, BrokerSockets brokerSockets, Broker broker,
                      NodePosition position, ModelSessions modelSessions) {
        this.position = position;
        this.brokerSockets = brokerSockets;
        this.broker = broker;
        this.modelSessions = modelSessions;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.db = db;
        this.supervisor = supervisor;
        this.reconciler = reconciler;
        this.pipelines = pipelines;
        this.ground = ground;
        this.storage = storage;
        this.api = api;
        this.refusals = refusals;
    }

    public static NodeAgent start(NodeConfig cfg) throws IOException, SQLException {
        return start(cfg, rc -> List.of(new QemuDriver(rc), new Solo5Driver(rc), new OciDriver(rc, Monitor.RUNC),
                new OciDriver(rc, Monitor.CRUN), new BwrapDriver(rc)));
    }

    /** With the runtime drivers {@code drivers} makes (a test's fakes). */
    static NodeAgent start(NodeConfig cfg, Function<RuntimeConfig, List<Driver>> drivers)
            throws IOException, SQLException {
        NodeLayout layout = NodeLayout.of(cfg.dataDir());
        Files.createDirectories(layout.root());
        FileChannel lockChannel = FileChannel.open(layout.agentLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another agent already uses " + layout.root() + " (agent.lock is held)");
        }
        NodeToken token;
        try { // before anything starts: a token file open to others stops the agent, as ssh stops at such a key
            token = NodeToken.loadOrCreate(layout.token(), new java.security.SecureRandom());
            NodeSecrets.checkOwnerOnly(layout.nodeKey(), layout.secrets());
        } catch (IOException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
        Clock clock = cfg.clock();
        NodeDatabase db = NodeDatabase.open(layout);
        NodeStore workloads = new NodeStore(db.writer());
        PipelineStore products = new PipelineStore(db.products());

        RuntimeConfig rc = new RuntimeConfig(ShimBinary.install(layout.bin()), cfg.binaries(), cfg.accel(),
                cfg.logMaxBytes(), layout.runtimeState());
        Files.createDirectories(rc.stateDir());
        ExitRoutes exits = new ExitRoutes();
        ShimSupervisor supervisor = new ShimSupervisor(rc, exits);
        Drivers runtimes = new Drivers(drivers.apply(rc));
        MonitorProbes probes = new MonitorProbes(runtimes::probe);
        ContentImages images = new ContentImages(layout.images());
        NodeSecrets secrets = new NodeSecrets(layout.secrets(), layout.nodeKey(), layout.nodePublicKey());
        GrantStore grants = new GrantStore(db.writer(), clock);
        DeviceTwin devices = new DeviceTwin(cfg.devices(), cfg.discovery().discover());
        AcceleratorPool accelerators = AcceleratorPool.open(Accelerator.of(devices), layout.accelerators());
        ModelRegistry models = new ModelRegistry(db.writer(), clock);
        // a Model's file is signed as an image is, where a root is pinned: checked against the signatures held
        io.orchide.node.trust.OnBoardTrust modelTrust = onBoardTrust(db, layout);
        // the first inference loads ONNX Runtime's native library: an agent that runs no model never does
        ModelSessions modelSessions = new ModelSessions(images.store()::path, OnnxRunner.FACTORY);
        // the broker's allowed requests (their audit records and quota counts) are written ahead of node.db
        AuditTrail audit = new AuditTrail(db.writer(), clock, db.journal());
        io.orchide.node.broker.GrantUses grantUses = new io.orchide.node.broker.GrantUses(db.writer(), db.journal());
        db.journal().start(); // what a killed agent journalled goes into node.db before anything reads it
        DatasetRegistry datasets = new DatasetRegistry(db.writer(), layout, clock);
        NodePosition position = NodePosition.of(cfg.devices().position(), devices, clock);
        LOG.log(System.Logger.Level.INFO, "position source: " + position.source());
        Broker broker = new Broker(devices, grants::forDevice, new Leases(clock, LEASE_MAX_HOLD), clock, position,
                cfg.devices().orbitPeriod(), audit::recordDecision, grantUses);
        cameras(broker, position, clock, layout, datasets);
        // a pipeline's priority for its device leases is read where the pipeline side keeps the applied ones: made
        // here, filled when the pipeline side starts, so the channels exist before the launcher that hands them out
        AppliedPipelines applied = new AppliedPipelines();
        BrokerSockets brokerSockets = new BrokerSockets(broker, layout::brokerSocket,
                (kind, name) -> kind.equals(io.orchide.model.DatasetSpec.Principals.PIPELINE) ? applied.priority(name) : 0);
        // who a workload is comes from the launch (an App's name, a step's pipeline), never from labels its author wrote
        WorkloadLauncher launcher = new WorkloadLauncher(runtimes, supervisor, new ImageResolver(), images, layout,
                secrets, (app, owner) -> brokerChannel(grants, brokerSockets, layout, app, owner),
                accelerators, new ModelMounts(models::get, images.store()));

        Reservations reservations = new Reservations();
        TenantQuotas quotas = new TenantQuotas(db.writer(), clock);
        Reconciler reconciler = new Reconciler(workloads, launcher, supervisor, cfg.capacity(), reservations, quotas,
                clock);
        FinishedRunFiles finishedRuns = new FinishedRunFiles(products, layout.workspaces(), layout.pipelineRuns(), clock);
        TenantStorage tenantStorage = new TenantStorage(List.of(layout.workspaces(), layout.pipelineRuns(), layout.outbox()),
                run -> tenantOfRun(products, run), quotas,
                (tenant, bytes) -> finishedRuns.reclaim(run -> tenant.equals(tenantOfRun(products, run).orElse(null)), bytes).bytes());
        PipelineNode pipelines = PipelineNode.open(layout, db, launcher, supervisor, reconciler, reservations,
                tenantStorage, new DatasetOutputs(layout, datasets), applied, clock, cfg.agingStep());
        broker.handleVerb(InferenceHandler.VERB, new InferenceHandler(models::get,
                (caller, model) -> declares(reconciler, pipelines, caller, model), modelSessions, ModelSpec.CPU,
                audit::recordDecision));
        // a deleted App or Pipeline keeps no channel (unless a grant still names it): asked once its workload is gone
        reconciler.onDeleted(name -> brokerSockets.forget(io.orchide.model.DatasetSpec.Principals.APP, name));
        pipelines.pipelines().onDeleted(name -> brokerSockets.forget(io.orchide.model.DatasetSpec.Principals.PIPELINE, name));
        brokerSockets.refresh(grants.list());
        Applier applier = Applier.of(reconciler, pipelines.pipelines(), datasets, images::has, secrets)
                .withGrants(new Applier.GrantSide() {
                    @Override
                    public ApplyResult apply(DeviceGrant grant) {
                        ApplyResult r = grants.apply(grant);
                        brokerSockets.refresh(grants.list());
                        return r;
                    }

                    @Override
                    public java.util.Optional<DeviceGrant> applied(String name) {
                        return grants.get(name);
                    }

                    @Override
                    public boolean delete(String name) {
                        boolean had = grants.delete(name);
                        brokerSockets.refresh(grants.list());
                        return had;
                    }
                })
                .withModels(new Applier.ModelSide() {
                    @Override
                    public Optional<Model> get(String name) {
                        return models.get(name);
                    }

                    @Override
                    public ApplyResult apply(Model model) throws io.orchide.runtime.LaunchException {
                        try {
                            modelTrust.check(model);
                        } catch (io.orchide.link.trust.TrustException e) {
                            throw new io.orchide.runtime.LaunchException("spec.digest", model.spec().digest(), e.getMessage());
                        }
                        ApplyResult r = models.apply(model);
                        modelSessions.retain(digests(models));
                        return r;
                    }

                    @Override
                    public boolean delete(String name) {
                        boolean had = models.delete(name);
                        modelSessions.retain(digests(models));
                        return had;
                    }
                });
        exits.route(layout.pipelineRuns(), pipelines.engine()::exited);
        exits.route(layout.workloads(), reconciler);

        reconciler.recover();
        pipelines.start();
        // the workloads re-adopted from before a restart that ask for their models find their channels again
        reopenModelChannels(brokerSockets, workloads, pipelines);
        // the probes run beside the rest: a launch or a doctor that needs their answer waits for it, nothing else does
        probes.start();
        // the hello names the monitors whose probe passed: none until the probes are done, then all of them
        DatasetFiles datasetFiles = new DatasetFiles(layout, datasets, new DatasetLineage(db.products()));
        GroundLink ground = cfg.ground() == null ? null : GroundLink.start(cfg.ground(),
                new GroundLink.Parts(layout, db, reconciler, workloads, pipelines, products, applier, images, quotas,
                        audit, datasetFiles, () -> inventory(broker, accelerators), position),
                hello(cfg, List.of(), accelerators), clock);
        if (ground != null) probes.whenDone(p -> ground.introduce(hello(cfg, p, accelerators)));
        StorageKeeper storage = new StorageKeeper(new Volume(layout.root(), cfg.storage()),
                List.of(new DeliveredProducts(products), finishedRuns),
                List.of(new DatasetRetention(datasets::list, layout, clock)), tenantStorage,
                clock, null, new StorageReport(ground));
        storage.start();

        ApiServer api = new ApiServer(cfg.listen());
        // refusals are counted per minute of real time, for the log's readers, even where the twin speeds the clock up
        RefusalLog refusals = new RefusalLog(Clock.systemUTC());
        api.gate(new TokenGate(token, refusals));
        new NodeApi(reconciler, workloads, runtimes, Arch.host(), clock.instant(), VERSION, applier, audit)
                .withTrust(onBoardTrust(db, layout)).register(api);
        io.orchide.node.api.ManifestWarmup.start(Arch.host());
        NodeMetrics metrics = NodeMetrics.of(reconciler, products, pipelines.engine(), storage, ground, broker, VERSION,
                Arch.host().wire());
        MetricsRoute.register(api, metrics.registry());
        if (ground != null) ground.housekeeping(metrics.registry(), db, cfg.housekeepingInterval(), clock);
        new PipelineApi(pipelines.pipelines(), pipelines.engine(), products, audit).register(api);
        new StorageApi(storage).register(api);
        new DatasetApi(datasetFiles).register(api);
        new DeviceApi(broker, grants, audit, () -> brokerSockets.refresh(grants.list()), accelerators::holderOf,
                position, clock).register(api);
        new ModelApi(models, modelSessions, images, audit, name -> modelSessions.retain(digests(models))).register(api);
        if (ground != null) new LinkApi(ground.endpoint(), ground.settings()).register(api);
        api.start();
        return new NodeAgent(lockChannel, lock, db, supervisor, reconciler, pipelines, ground, storage, api, refusals,
                brokerSockets, broker, position, modelSessions);
    }

    /**
     * Has the broker serve captures of each camera with a frame feed: the newest frame, at the node's position, into a
     * dataset the caller may write.
     */
    private static void cameras(Broker broker, NodePosition position, Clock clock, NodeLayout layout,
                                DatasetRegistry datasets) {
        for (DeviceTwin.View v : broker.twin().list()) {
            String feed = v.device().feed();
            if (feed == null) continue;
            broker.twin().report(v.name(), java.util.Map.of("feed", feed));
            broker.handle(v.name(), new CameraHandler(new FeedCamera(v.name(), java.nio.file.Path.of(feed)), position,
                    clock, layout::dataset, (caller, ds) -> datasets.get(ds)
                            .map(d -> d.writableBy(caller.tenant(), caller.kind(), caller.name())).orElse(false),
                    new TwinHandler(broker.twin())));
        }
    }

    /** The node's devices as a status report carries them; an accelerator's holder is the workload or step using it. */
    private static List<io.orchide.model.message.StatusReport.Device> inventory(Broker broker,
                                                                                 AcceleratorPool accelerators) {
        return broker.twin().list().stream().map(v -> new io.orchide.model.message.StatusReport.Device(v.name(),
                v.device().deviceClass().toString(), v.state(),
                broker.leases().holder(v.name()).map(Leases.Lease::holder)
                        .or(() -> accelerators.holderOf(v.name())).orElse(null), v.desired(), v.reported()))
                .toList();
    }

    /** The digests of the models applied now. */
    private static java.util.Set<String> digests(ModelRegistry models) {
        return models.list().stream().map(m -> m.spec().digest()).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Whether the app or pipeline of the broker's {@code caller} lists {@code model} in its {@code spec.models}: an
     * App's own, a pipeline's step templates' or the Apps its steps run.
     */
    private static boolean declares(Reconciler reconciler, PipelineNode pipelines, Caller caller, String model) {
        java.util.function.Function<String, List<ModelUse>> appModels = name -> {
            try {
                App app = reconciler.get(name).app();
                return app.metadata().tenant().equals(caller.tenant()) ? app.spec().models() : List.of();
            } catch (io.orchide.node.workload.NoSuchWorkloadException e) {
                return List.of();
            }
        };
        if (caller.kind().equals(io.orchide.model.DatasetSpec.Principals.APP)) {
            return appModels.apply(caller.name()).stream().anyMatch(u -> u.name().equals(model));
        }
        try {
            Pipeline p = pipelines.pipelines().get(caller.name()).pipeline();
            if (!p.metadata().tenant().equals(caller.tenant())) return false;
            for (Step step : p.spec().steps()) {
                List<ModelUse> uses = step.template() != null ? step.template().models() : appModels.apply(step.app());
                if (uses.stream().anyMatch(u -> u.name().equals(model))) return true;
            }
            return false;
        } catch (io.orchide.node.pipeline.run.NoSuchRunException e) {
            return false;
        }
    }

    /** Opens the broker channel of each stored App, and each applied pipeline, that declares models. */
    private static void reopenModelChannels(BrokerSockets channels, NodeStore workloads, PipelineNode pipelines) {
        java.util.Map<String, App> apps = new java.util.HashMap<>();
        for (io.orchide.node.store.WorkloadRecord w : workloads.workloads()) {
            apps.put(w.name(), w.app());
            if (!w.app().spec().models().isEmpty()) {
                channels.forModels(w.app().metadata().tenant(), io.orchide.model.DatasetSpec.Principals.APP, w.name());
            }
        }
        for (io.orchide.node.pipeline.run.StoredPipeline stored : pipelines.pipelines().list()) {
            Pipeline p = stored.pipeline();
            boolean uses = p.spec().steps().stream().anyMatch(step -> step.template() != null
                    ? !step.template().models().isEmpty()
                    : apps.containsKey(step.app()) && !apps.get(step.app()).spec().models().isEmpty());
            if (uses) channels.forModels(p.metadata().tenant(), io.orchide.model.DatasetSpec.Principals.PIPELINE, p.name());
        }
    }

    /**
     * The broker channel of a workload of {@code owner} starting now: the one a grant opened for that app or pipeline
     * of the App's tenant, or the one its models open. An App that no longer declares models gives up the channel its
     * models kept (its previous workload has ended: an App's next start follows it); a pipeline keeps its channel
     * until it is deleted, since runs of an older version may still be running steps that use it.
     */
    private static Optional<java.nio.file.Path> brokerChannel(GrantStore grants, BrokerSockets channels, NodeLayout layout,
                                                              App app, WorkloadLauncher.Owner owner) {
        String tenant = app.metadata().tenant();
        Optional<java.nio.file.Path> forModels = Optional.empty();
        if (!app.spec().models().isEmpty()) forModels = channels.forModels(tenant, owner.kind(), owner.name());
        else if (owner.kind().equals(io.orchide.model.DatasetSpec.Principals.APP)) channels.forget(owner.kind(), owner.name());
        Optional<java.nio.file.Path> granted = BrokerSockets.socketFor(grants.list(), tenant, owner.kind(), owner.name(),
                layout::brokerSocket);
        return granted.isPresent() ? granted : forModels;
    }

    /** The tenant of the run named {@code run}, by the version of its pipeline it ran; empty for no such run. */
    private static java.util.Optional<String> tenantOfRun(PipelineStore runs, String run) {
        return runs.run(PipelineRun.idOf(run)).filter(r -> r.name().equals(run))
                .map(r -> runs.version(r.versionId()).metadata().tenant());
    }

    private static String hello(NodeConfig cfg, List<Probe> probes, AcceleratorPool accelerators) {
        return NodeFacts.hello(cfg.ground().nodeName(), Arch.host(), cfg.capacity(), probes, accelerators.toJson(),
                VERSION).encode();
    }

    /** A change of the data directory's free space, in the agent's log and, with a ground, in its next report. */
    private record StorageReport(GroundLink ground) implements Consumer<StorageKeeper.Change> {
        @Override
        public void accept(StorageKeeper.Change change) {
            String text = "storage " + change.level().wire() + ": " + change.freeBytes() + " bytes free"
                    + (change.note() == null ? "" : "; " + change.note());
            LOG.log(change.level() == StorageLevel.OK ? System.Logger.Level.INFO : System.Logger.Level.WARNING, text);
            if (ground != null) ground.report("storage", text);
        }
    }

    public InetSocketAddress address() { return api.address(); }

    /** The node's device broker (tests hold its leases as another workload would). */
    Broker broker() { return broker; }

    /** Stops serving and watching; workloads keep running under their shims and are re-adopted next start. */
    @Override
    public void close() throws Exception {
        api.close();
        brokerSockets.close();
        position.close();
        modelSessions.close();
        refusals.close();
        storage.close();
        if (ground != null) ground.close();
        pipelines.close();
        reconciler.close();
        supervisor.close();
        db.close();
        lock.release();
        lockChannel.close();
    }

    /** The chain of trust the local API holds applies to: the same root and documents as desired state from ground. */
    private static io.orchide.node.trust.OnBoardTrust onBoardTrust(NodeDatabase db, NodeLayout layout) {
        try {
            return io.orchide.node.trust.OnBoardTrust.open(db.writer(), layout.trustRoot());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the pinned root " + layout.trustRoot() + ": " + e.getMessage(), e);
        } catch (io.orchide.link.trust.TrustException e) {
            throw new IllegalStateException("the pinned root does not verify: " + e.getMessage(), e);
        }
    }
}
