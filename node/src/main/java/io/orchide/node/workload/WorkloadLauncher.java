package io.orchide.node.workload;

import io.orchide.node.attempt.LaunchedRun;
import io.orchide.model.App;
import io.orchide.model.AcceleratorRequest;
import io.orchide.model.Family;
import io.orchide.model.Monitor;
import io.orchide.model.Mount;
import io.orchide.node.accel.Accelerator;
import io.orchide.node.accel.AcceleratorPool;
import io.orchide.node.broker.BrokerMailbox;
import io.orchide.node.broker.BrokerSockets;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.runtime.Driver;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.Supervisor;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.inspect.KernelInspection;
import io.orchide.runtime.solo5.Solo5Driver;
import io.orchide.runtime.solo5.Solo5Manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns an App into a running monitor: resolves its image, lets the driver prepare the run directory, and
 * starts the launch under the supervisor. Also checks an App against the host before it is accepted
 * (preflight), so that a manifest naming a missing image is refused rather than stored.
 */
public final class WorkloadLauncher {
    private final Drivers drivers;
    private final Supervisor supervisor;
    private final ImageResolver resolver;
    private final ContentImages images;
    private final NodeLayout layout;
    private final SecretValues secrets;
    private final BrokerSocketOf brokerSockets;
    private final AcceleratorPool accelerators;
    private final ModelFiles models;

    /** The fixed path at which a process or container workload finds its broker socket. */
    public static final String BROKER_SOCKET = "/run/orchide/broker.sock";
    /** The variable that holds {@link #BROKER_SOCKET} in a workload's environment when it has a socket. */
    public static final String BROKER_ENV = "ORCHIDE_BROKER";
    /** The 9p mount tag of the broker's request directory shared with a virtual machine. */
    public static final String BROKER_TAG = "orchide-broker";
    /** Where a guest that mounts shares by path (Unikraft, Linux) is told to mount {@link #BROKER_TAG}. */
    public static final String BROKER_DIR = "/run/orchide/broker";
    /** The variable that holds {@link #BROKER_DIR} in the environment of a guest that has environment variables. */
    public static final String BROKER_DIR_ENV = "ORCHIDE_BROKER_DIR";
    /** The variable naming a process's or container's accelerators, comma-separated ({@code gpu-0,npu-1}). */
    public static final String ACCELERATORS_ENV = "ORCHIDE_ACCELERATORS";
    /** The CUDA indexes of its NVIDIA GPUs, for CUDA itself. */
    public static final String CUDA_ENV = "CUDA_VISIBLE_DEVICES";

    /** Where the values of an App's variables from Secrets come from, when it starts. */
    public interface SecretValues {
        Map<String, String> environment(App app) throws LaunchException;

        /**
         * The App's files from Secrets ({@code spec.secretMounts}) written on a tmpfs for the run in {@code runDir}, as
         * read-only mounts; a source that keeps no Secrets refuses an App that names one.
         */
        default List<Mount> files(App app, Path runDir) throws LaunchException {
            if (app.spec().secretMounts().isEmpty()) return List.of();
            throw new LaunchException("spec.secretMounts[0].secret", app.spec().secretMounts().getFirst().secret(),
                    "this node keeps no Secrets");
        }

        /** Removes what {@link #files} wrote for the run in {@code runDir}. */
        default void forget(Path runDir) {
        }

        /** No Secrets: an App naming one is refused at start. */
        SecretValues NONE = app -> {
            if (app.spec().secretEnv().isEmpty()) return Map.of();
            var first = app.spec().secretEnv().entrySet().iterator().next();
            throw new LaunchException("spec.env." + first.getKey() + ".secret", first.getValue().secret(),
                    "this node keeps no Secrets");
        };
    }

    public WorkloadLauncher(Drivers drivers, Supervisor supervisor, ImageResolver resolver, ContentImages images,
                            NodeLayout layout) {
        this(drivers, supervisor, resolver, images, layout, SecretValues.NONE);
    }

    /**
     * Whose workload a launch is, as the broker knows it: an App ({@code kind} {@code app}, {@code name} the App's),
     * or a step instance of a pipeline's run ({@code kind} {@code pipeline}, {@code name} the pipeline's, with the
     * run and step). It comes from the caller of {@link #prepare}, never from the App's labels, which its author
     * writes.
     */
    public record Owner(String kind, String name, String run, String step) {
        public static Owner app(String name) {
            return new Owner(io.orchide.model.DatasetSpec.Principals.APP, name, null, null);
        }

        public static Owner step(String pipeline, String run, String step) {
            return new Owner(io.orchide.model.DatasetSpec.Principals.PIPELINE, pipeline, run, step);
        }
    }

    /** Where the broker's pull socket of a workload's owner is on the host, when a grant opened one for it. */
    public interface BrokerSocketOf {
        Optional<Path> socket(App app, Owner owner);

        /** No broker: no workload gets a socket. */
        BrokerSocketOf NONE = (app, owner) -> Optional.empty();
    }

    public WorkloadLauncher(Drivers drivers, Supervisor supervisor, ImageResolver resolver, ContentImages images,
                            NodeLayout layout, SecretValues secrets) {
        this(drivers, supervisor, resolver, images, layout, secrets, BrokerSocketOf.NONE);
    }

    /**
     * The verified file of a model an App uses, checked again at each start against the models applied now (one
     * deleted, or no longer allowed for the App's tenant or class, refuses the start, naming the use).
     */
    public interface ModelFiles {
        Path file(App app, int use) throws LaunchException;

        /** No models: an App using one is refused at start. */
        ModelFiles NONE = (app, use) -> {
            throw new LaunchException("spec.models[" + use + "]", app.spec().models().get(use).name(),
                    "this node runs no models");
        };
    }

    public WorkloadLauncher(Drivers drivers, Supervisor supervisor, ImageResolver resolver, ContentImages images,
                            NodeLayout layout, SecretValues secrets, BrokerSocketOf brokerSockets) {
        this(drivers, supervisor, resolver, images, layout, secrets, brokerSockets, AcceleratorPool.none(), ModelFiles.NONE);
    }

    /** With the node's accelerators, which an App's {@code resources.accelerators} take at each attempt's start. */
    public WorkloadLauncher(Drivers drivers, Supervisor supervisor, ImageResolver resolver, ContentImages images,
                            NodeLayout layout, SecretValues secrets, BrokerSocketOf brokerSockets,
                            AcceleratorPool accelerators) {
        this(drivers, supervisor, resolver, images, layout, secrets, brokerSockets, accelerators, ModelFiles.NONE);
    }

    /** With the models applied here, whose files an App's {@code spec.models} mount. */
    public WorkloadLauncher(Drivers drivers, Supervisor supervisor, ImageResolver resolver, ContentImages images,
                            NodeLayout layout, SecretValues secrets, BrokerSocketOf brokerSockets, ModelFiles models) {
        this(drivers, supervisor, resolver, images, layout, secrets, brokerSockets, AcceleratorPool.none(), models);
    }

    /** With the node's accelerators and its models. */
    public WorkloadLauncher(Drivers drivers, Supervisor supervisor, ImageResolver resolver, ContentImages images,
                            NodeLayout layout, SecretValues secrets, BrokerSocketOf brokerSockets,
                            AcceleratorPool accelerators, ModelFiles models) {
        this.accelerators = accelerators;
        this.models = models;
        this.secrets = secrets;
        this.brokerSockets = brokerSockets;
        this.drivers = drivers;
        this.supervisor = supervisor;
        this.resolver = resolver;
        this.images = images;
        this.layout = layout;
    }

    Path workloadDir(String name) { return layout.workload(name); }

    Path console(String name) { return layout.workloadConsole(name); }

    Path runDir(String name, int attempt) { return layout.workloadAttempt(name, attempt); }

    /**
     * The App with its image resolved ({@code sha256:} references become the verified file in the node's image
     * store, urunc-annotated OCI images become kernels), and its driver.
     */
    public ResolvedApp resolve(App app) throws LaunchException {
        App resolved = resolver.resolve(images.resolve(app), layout.workloadImage(app.name()));
        Monitor monitor = resolved.spec().runtime().monitor();
        Driver driver = drivers.forMonitor(monitor);
        // the secret files and the broker's mailbox of an attempt go with what its launch left on the host, when the
        // engine cleans it up
        if (!app.spec().secretMounts().isEmpty()) driver = new DriverWithCleanup(driver, secrets::forget);
        if (monitor != null && monitor.isSolo5()) driver = new DriverWithCleanup(driver, this::forgetMailbox);
        return new ResolvedApp(resolved, driver);
    }

    /**
     * Resolves the image and lets the driver prepare a fresh run directory; nothing runs yet. Variables from Secrets
     * are opened here and handed to the driver alone: the run keeps the App as applied, without their values. So is
     * the broker socket of a process or container that has one: bound at {@link #BROKER_SOCKET}, named by
     * {@link #BROKER_ENV}.
     */
    public PreparedRun prepare(App app, Path runDir) throws LaunchException {
        return prepare(app, runDir, Owner.app(app.name()));
    }

    /**
     * As {@link #prepare(App, Path)}, for a workload of {@code owner}: the broker socket (or, for a virtual machine,
     * the request directory) is the one a grant opened for that app or pipeline, or the one its models opened.
     */
    public PreparedRun prepare(App app, Path runDir, Owner owner) throws LaunchException {
        ResolvedApp r = resolve(app);
        Map<String, String> fromSecrets = secrets.environment(r.app());
        deleteTree(runDir); // a fresh directory: left-overs of a deleted workload of the same name must not count
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new LaunchException(null, runDir.toString(), "cannot create run directory: " + e.getMessage(), e);
        }
        List<AcceleratorRequest> asked = r.app().spec().resources().accelerators();
        String holder = runDir.toAbsolutePath().toString();
        List<Accelerator> held = asked.isEmpty() ? List.of() : accelerators.assign(holder, app.name(), asked);
        try {
            List<Mount> secretFiles = secrets.files(r.app(), runDir);
            App launched = withAccelerators(withModels(withBroker(withFiles(withValues(r.app(), fromSecrets), secretFiles),
                    owner, runDir)), held);
            return new PreparedRun(r, r.driver().prepare(launched, runDir,
                    held.stream().map(Accelerator::hostDevice).toList()), runDir);
        } catch (LaunchException | RuntimeException e) {
            accelerators.release(holder);
            secrets.forget(runDir); // nothing runs: its secret files must not outlive the refusal
            throw e;
        }
    }

    /** Gives back the accelerators the attempt in {@code runDir} holds (it ended). */
    public void release(Path runDir) {
        accelerators.release(runDir.toAbsolutePath().toString());
    }

    /** The node's accelerators and who holds them. */
    public AcceleratorPool accelerators() {
        return accelerators;
    }

    /** The secret files' mounts beside the App's inputs, read-only, for the driver alone (not in the App kept). */
    private static App withFiles(App app, List<Mount> secretFiles) {
        if (secretFiles.isEmpty()) return app;
        List<Mount> inputs = new ArrayList<>(app.spec().inputs());
        inputs.addAll(secretFiles);
        return new App(app.metadata(), app.spec().withMounts(inputs, app.spec().outputs()).withSecretMounts(List.of()));
    }

    /** Starts a prepared run's monitor under the supervisor. */
    LaunchedRun start(PreparedRun p, String name) throws LaunchException {
        return start(p, console(name));
    }

    /** Starts a prepared run's monitor under the supervisor, its console going to the ring at {@code console}. */
    public LaunchedRun start(PreparedRun p, Path console) throws LaunchException {
        RunningWorkload process = supervisor.start(p.launch(), p.runDir(), console);
        return new LaunchedRun(p.resolved().app(), p.resolved().driver(), process);
    }

    /** Checks that the App can be launched here, in a scratch directory that is removed afterwards. */
    public void preflight(App app) throws LaunchException {
        Path scratch = layout.preflight(app.name());
        try {
            Files.createDirectories(scratch);
            ResolvedApp r = resolve(app);
            accelerators.check(app.name(), r.app().spec().resources().accelerators());
            // a Solo5 image that asks through a mailbox is checked with one, whether or not a grant names it yet
            App checked = r.app();
            if (asksByMailbox(checked)) {
                refuseOwnMailbox(checked);
                checked = withMailboxFile(checked, BrokerMailbox.create(scratch.resolve(BrokerMailbox.DEVICE + ".blk")));
            }
            r.driver().prepare(checked, scratch);
            r.driver().cleanup(checked, scratch);
        } catch (IOException e) {
            throw new LaunchException(null, scratch.toString(), "cannot create scratch directory: " + e.getMessage(), e);
        } finally {
            deleteTree(scratch);
        }
    }

    private static App withValues(App app, Map<String, String> fromSecrets) {
        if (fromSecrets.isEmpty()) return app;
        Map<String, String> env = new java.util.LinkedHashMap<>(app.spec().env());
        env.putAll(fromSecrets);
        return new App(app.metadata(), app.spec().withEnv(env));
    }

    /**
     * A process or container gets the socket bound at {@link #BROKER_SOCKET}. A virtual machine on qemu whose family
     * mounts 9p shares gets the request directory beside the socket instead ({@link BrokerSockets#directoryOf}), as a
     * writable share tagged {@link #BROKER_TAG}. A Solo5 guest whose image declares the block device
     * {@link BrokerMailbox#DEVICE} gets a mailbox of its own attempt ({@link #withMailbox}); other virtual machines
     * (disk images) get nothing. Neither does a workload whose socket is not open now, so a grant applied later reaches
     * it at its next start.
     */
    private App withBroker(App app, Owner owner, Path runDir) throws LaunchException {
        Optional<Path> socket = brokerSockets.socket(app, owner).filter(Files::exists);
        if (asksByMailbox(app)) return withMailbox(app, owner, socket, runDir);
        if (socket.isEmpty()) return app;
        Map<String, String> env = new LinkedHashMap<>(app.spec().env());
        if (app.spec().runsOnHost()) {
            List<Mount> inputs = new ArrayList<>(app.spec().inputs());
            inputs.add(new Mount("orchide-broker", socket.get().toString(), BROKER_SOCKET, 0));
            env.put(BROKER_ENV, BROKER_SOCKET);
            return new App(app.metadata(), app.spec().withEnv(env).withMounts(inputs, app.spec().outputs()));
        }
        var rt = app.spec().runtime();
        Path requests = BrokerSockets.directoryOf(socket.get());
        if (rt.monitor() != Monitor.QEMU || !SHARES_9P.contains(rt.family()) || !Files.isDirectory(requests)) return app;
        if (rt.family() == Family.UNIKRAFT && !hasLibraryParameters(app)) return app;
        List<Mount> outputs = new ArrayList<>(app.spec().outputs());
        outputs.add(new Mount(BROKER_TAG, requests.toString(), BROKER_DIR, 0));
        // a multiboot kernel has no environment: it finds the share by its tag
        if (rt.family() != Family.MULTIBOOT) env.put(BROKER_DIR_ENV, BROKER_DIR);
        return new App(app.metadata(), app.spec().withEnv(env).withMounts(app.spec().inputs(), outputs));
    }

    /**
     * A Solo5 guest has block devices and nothing else: one whose image declares {@link BrokerMailbox#DEVICE} is given
     * a fresh mailbox for this attempt, in the mailbox directory of its owner's channel, as that block device. Its
     * tender refuses to start without every device the image declares, so a guest whose owner has no channel now is
     * refused at start, saying so, rather than started without it.
     */
    private App withMailbox(App app, Owner owner, Optional<Path> socket, Path runDir) throws LaunchException {
        refuseOwnMailbox(app);
        Path mailboxes = socket.map(BrokerSockets::mailboxesOf).filter(d -> Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS))
                .orElseThrow(() -> new LaunchException("spec.image", app.spec().image(), "declares the block device '"
                        + BrokerMailbox.DEVICE + "' to ask the broker, but no grant of tenant " + app.metadata().tenant()
                        + " names " + owner.kind() + " " + owner.name() + " and it declares no models: it has no mailbox"));
        Path file = BrokerMailbox.fileFor(mailboxes, runDir);
        try {
            return withMailboxFile(app, BrokerMailbox.create(file));
        } catch (IOException e) {
            throw new LaunchException(null, file.toString(), "cannot create the broker's mailbox: " + e.getMessage(), e);
        }
    }

    /** The mailbox's device is the node's to attach: an input or output of the App's own may not take its name. */
    private static void refuseOwnMailbox(App app) throws LaunchException {
        List<Mount> own = new ArrayList<>(app.spec().inputs());
        own.addAll(app.spec().outputs());
        for (int i = 0; i < own.size(); i++) {
            if (!BrokerMailbox.DEVICE.equals(own.get(i).name())) continue;
            boolean input = i < app.spec().inputs().size();
            throw new LaunchException((input ? "spec.inputs[" + i : "spec.outputs[" + (i - app.spec().inputs().size()))
                    + "].name", BrokerMailbox.DEVICE, "is the block device of the broker's mailbox, which the node attaches");
        }
    }

    private static App withMailboxFile(App app, Path file) {
        List<Mount> outputs = new ArrayList<>(app.spec().outputs());
        outputs.add(new Mount(BrokerMailbox.DEVICE, file.toString(), null, 0));
        return new App(app.metadata(), app.spec().withMounts(app.spec().inputs(), outputs));
    }

    /** Whether {@code app} runs under a Solo5 tender and its image declares the mailbox's block device. */
    private static boolean asksByMailbox(App app) {
        var rt = app.spec().runtime();
        if (rt == null || rt.monitor() == null || !rt.monitor().isSolo5() || app.spec().image() == null) return false;
        try {
            return Solo5Driver.manifest(Path.of(app.spec().image())).map(m -> m.devices().contains(
                    new Solo5Manifest.Device(BrokerMailbox.DEVICE, Solo5Manifest.Type.BLOCK_BASIC))).orElse(false);
        } catch (Exception e) {
            return false; // not an image it can read: the driver says why when it prepares
        }
    }

    /** Removes the mailbox of the attempt in {@code runDir}, whichever app's or pipeline's it was (it ended). */
    private void forgetMailbox(Path runDir) {
        try (var dirs = Files.newDirectoryStream(layout.broker(), "*.mbox")) {
            for (Path d : dirs) Files.deleteIfExists(BrokerMailbox.fileFor(d, runDir));
        } catch (IOException e) {
            // no broker directory, or a mailbox already gone: nothing left to remove
        }
    }

    /**
     * Whether a Unikraft kernel takes library parameters: without them it cannot be told to mount a share, and the
     * driver would refuse one that its author never asked for.
     */
    private static boolean hasLibraryParameters(App app) {
        try {
            return KernelInspection.inspect(Path.of(app.spec().image())).hasUnikraftLibParams();
        } catch (Exception e) {
            return false; // not a kernel it can read: the driver says why when it prepares
        }
    }

    /** The qemu families whose guests find 9p shares: by tag (multiboot), or mounted where the driver says. */
    private static final java.util.Set<Family> SHARES_9P = java.util.EnumSet.of(Family.MULTIBOOT, Family.UNIKRAFT, Family.LINUX);

    /**
     * A process or container learns its accelerators from {@link #ACCELERATORS_ENV} (and its GPUs' CUDA indexes from
     * {@link #CUDA_ENV}); a virtual machine is given them as PCI devices instead.
     */
    private static App withAccelerators(App app, List<Accelerator> held) {
        if (held.isEmpty() || !app.spec().runsOnHost()) return app;
        Map<String, String> env = new LinkedHashMap<>(app.spec().env());
        env.put(ACCELERATORS_ENV, String.join(",", held.stream().map(Accelerator::name).toList()));
        List<String> cuda = held.stream().map(Accelerator::cudaIndex).filter(java.util.Objects::nonNull).toList();
        if (!cuda.isEmpty()) env.put(CUDA_ENV, String.join(",", cuda));
        return new App(app.metadata(), app.spec().withEnv(env).withSecretEnv(app.spec().secretEnv()));
    }

    /**
     * A process or container gets the file of each model it uses bound read-only at the use's path; a virtual
     * machine gets none (it asks the broker to run the model instead).
     */
    private App withModels(App app) throws LaunchException {
        if (app.spec().models().isEmpty() || !app.spec().runsOnHost()) return app;
        List<Mount> inputs = new ArrayList<>(app.spec().inputs());
        for (int i = 0; i < app.spec().models().size(); i++) {
            var use = app.spec().models().get(i);
            inputs.add(new Mount("model-" + use.name(), models.file(app, i).toString(), use.path(), 0));
        }
        return new App(app.metadata(), app.spec().withMounts(inputs, app.spec().outputs()));
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // left for the next prune; never fatal
        }
    }

    /** An App after image resolution, with the driver of its monitor. */
    public record ResolvedApp(App app, Driver driver) {
    }

    /** A run directory the driver has prepared, with the launch it computed. */
    public record PreparedRun(ResolvedApp resolved, Launch launch, Path runDir) {
    }
}
