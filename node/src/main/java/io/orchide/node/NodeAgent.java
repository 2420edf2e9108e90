package io.orchide.node;

import io.orchide.web.ApiServer;
import io.orchide.model.Arch;
import io.orchide.model.Monitor;
import io.orchide.node.api.NodeApi;
import io.orchide.node.apply.Applier;
import io.orchide.node.api.PipelineApi;
import io.orchide.node.pipeline.PipelineNode;
import io.orchide.node.api.LinkApi;
import io.orchide.node.api.StorageApi;
import io.orchide.node.link.DeliveredProducts;
import io.orchide.node.pipeline.run.FinishedRunFiles;
import io.orchide.node.storage.StorageKeeper;
import io.orchide.node.storage.Volume;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.link.GroundLink;
import io.orchide.node.link.NodeFacts;
import io.orchide.node.workload.Reservations;
import io.orchide.node.store.NodeDatabase;
import io.orchide.node.store.NodeStore;
import io.orchide.node.workload.Drivers;
import io.orchide.node.workload.MonitorProbes;
import io.orchide.node.workload.Reconciler;
import io.orchide.runtime.Driver;
import io.orchide.runtime.ExitListener;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.oci.OciDriver;
import io.orchide.runtime.process.BwrapDriver;
import io.orchide.runtime.qemu.QemuDriver;
import io.orchide.runtime.solo5.Solo5Driver;
import io.orchide.runtime.supervise.ShimBinary;
import io.orchide.runtime.supervise.ShimSupervisor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The on-board agent: one per payload computer. Opens its store, restores and re-adopts workloads, then
 * serves the local API. Holds an exclusive lock on its data directory so two agents never manage the same
 * workloads.
 */
public final class NodeAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeAgent.class.getName());

    public static final String VERSION = "0.1.0";

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final NodeDatabase db;
    private final ShimSupervisor supervisor;
    private final Reconciler reconciler;
    private final PipelineNode pipelines;
    private final ApiServer api;
    private final GroundLink ground;
    private final StorageKeeper storage;

    private NodeAgent(FileChannel lockChannel, FileLock lock, NodeDatabase db, ShimSupervisor supervisor,
                      Reconciler reconciler, PipelineNode pipelines, ApiServer api,
                      GroundLink ground, StorageKeeper storage) {
        this.storage = storage;
        this.ground = ground;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.db = db;
        this.supervisor = supervisor;
        this.reconciler = reconciler;
        this.pipelines = pipelines;
        this.api = api;
    }

    public static NodeAgent start(NodeConfig cfg) throws IOException, SQLException {
        return start(cfg, rc -> List.of(new QemuDriver(rc), new Solo5Driver(rc), new OciDriver(rc, Monitor.RUNC),
                new OciDriver(rc, Monitor.CRUN), new BwrapDriver(rc)));
    }

    /** With the runtime drivers {@code drivers} makes (a test's fakes). */
    static NodeAgent start(NodeConfig cfg, Function<RuntimeConfig, List<Driver>> drivers)
            throws IOException, SQLException {
        NodeLayout layout = NodeLayout.of(cfg.dataDir());
        Path data = layout.root();
        Files.createDirectories(data);
        FileChannel ch = FileChannel.open(layout.agentLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.tryLock();
        if (lock == null) {
            ch.close();
            throw new IOException("another agent already uses " + data + " (agent.lock is held)");
        }
        NodeDatabase db = NodeDatabase.open(layout);
        NodeStore store = new NodeStore(db.writer());
        Path shim = ShimBinary.install(layout.bin());
        RuntimeConfig rc = new RuntimeConfig(shim, cfg.binaries(), cfg.accel(), cfg.logMaxBytes(),
                layout.runtimeState());
        Files.createDirectories(rc.stateDir());
        AtomicReference<ExitListener> listener = new AtomicReference<>();
        ShimSupervisor supervisor = new ShimSupervisor(rc, (dir, exit) -> listener.get().exited(dir, exit));
        Drivers runtimes = new Drivers(drivers.apply(rc));
        MonitorProbes probes = new MonitorProbes(runtimes::probe);
        Reservations reservations = new Reservations();
        ContentImages images = new ContentImages(layout.images());
        Reconciler reconciler = new Reconciler(store, runtimes, supervisor, new ImageResolver(), images,
                layout, cfg.capacity(), reservations, cfg.clock());
        PipelineNode pipelines = PipelineNode.open(layout, db, reconciler, reservations, cfg.clock(), cfg.agingStep());
        listener.set((dir, exit) -> {
            if (pipelines.owns(dir)) pipelines.engine().exited(dir, exit);
            else reconciler.exited(dir, exit);
        });
        Applier applier = Applier.of(reconciler, pipelines.pipelines(), images::has);
        reconciler.recover();
        pipelines.start();
        // the probes run beside the rest: a launch or a doctor that needs their answer waits for it, nothing else does
        probes.start();
        GroundLink ground = null;
        if (cfg.ground() != null) {
            // the hello names the monitors whose probe passed: none until the probes are done, then all of them
            ground = GroundLink.start(cfg.ground(), layout, db, reconciler, pipelines, applier, images,
                    hello(cfg, List.of()), cfg.clock(), null);
            GroundLink g = ground;
            probes.whenDone(p -> g.introduce(hello(cfg, p)));
        }
        GroundLink link = ground;
        StorageKeeper storage = new StorageKeeper(new Volume(data, cfg.storage()),
                List.of(new DeliveredProducts(pipelines.store()), new FinishedRunFiles(pipelines.store(),
                        pipelines.engine().workspaces(), pipelines.engine().runsDir(), cfg.clock())),
                cfg.clock(), null, change -> {
            String text = "storage " + change.level().wire() + ": " + change.freeBytes() + " bytes free"
                    + (change.note() == null ? "" : "; " + change.note());
            LOG.log(change.level() == io.orchide.node.storage.StorageLevel.OK ? System.Logger.Level.INFO
                    : System.Logger.Level.WARNING, text);
            if (link != null) link.report("storage", text);
        });
        storage.start();
        ApiServer api = new ApiServer(cfg.listen());
        new NodeApi(reconciler, runtimes, Arch.host(), cfg.clock().instant(), VERSION, applier).register(api);
        new PipelineApi(pipelines.pipelines(), pipelines.engine(), pipelines.store()).register(api);
        new StorageApi(storage).register(api);
        if (link != null) new LinkApi(() -> link, new AtomicReference<>()).register(api);
        api.start();
        return new NodeAgent(ch, lock, db, supervisor, reconciler, pipelines, api, link, storage);
    }

    private static String hello(NodeConfig cfg, List<Probe> probes) {
        return NodeFacts.hello(cfg.ground().nodeName(), Arch.host(), cfg.capacity(), probes, VERSION).encode();
    }

    public InetSocketAddress address() { return api.address(); }

    public Reconciler reconciler() { return reconciler; }

    public PipelineNode pipelines() { return pipelines; }

    /** Stops serving and watching; workloads keep running under their shims and are re-adopted next start. */
    @Override
    public void close() throws Exception {
        api.close();
        storage.close();
        if (ground != null) ground.close();
        pipelines.close();
        reconciler.close();
        supervisor.close();
        db.close();
        lock.release();
        lockChannel.close();
    }
}
