package io.orchide.node.workload;

import io.orchide.node.attempt.LaunchedRun;
import io.orchide.model.App;
import io.orchide.model.Mount;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.runtime.Driver;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.Supervisor;
import io.orchide.runtime.image.ImageResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
    private final ModelFiles models;

    /** The fixed path at which a process or container workload finds its broker socket. */
    public static final String BROKER_SOCKET = "/run/orchide/broker.sock";
    /** The variable that holds {@link #BROKER_SOCKET} in a workload's environment when it has a socket. */
    public static final String BROKER_ENV = "ORCHIDE_BROKER";

    /** Where the values of an App's variables from Secrets come from, when it starts. */
    public interface SecretValues {
        Map<String, String> environment(App app) throws LaunchException;

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

    /** Where the broker's pull socket of an App is on the host, when a grant opened one for it. */
    public interface BrokerSocketOf {
        Optional<Path> socket(App app);

        /** No broker: no workload gets a socket. */
        BrokerSocketOf NONE = app -> Optional.empty();
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
        this(drivers, supervisor, resolver, images, layout, secrets, brokerSockets, ModelFiles.NONE);
    }

    public WorkloadLauncher(Drivers drivers, Supervisor supervisor, ImageResolver resolver, ContentImages images,
                            NodeLayout layout, SecretValues secrets, BrokerSocketOf brokerSockets, ModelFiles models) {
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
        return new ResolvedApp(resolved, drivers.forMonitor(resolved.spec().runtime().monitor()));
    }

    /**
     * Resolves the image and lets the driver prepare a fresh run directory; nothing runs yet. Variables from Secrets
     * are opened here and handed to the driver alone: the run keeps the App as applied, without their values. So is
     * the broker socket of a process or container that has one: bound at {@link #BROKER_SOCKET}, named by
     * {@link #BROKER_ENV}.
     */
    public PreparedRun prepare(App app, Path runDir) throws LaunchException {
        ResolvedApp r = resolve(app);
        Map<String, String> fromSecrets = secrets.environment(r.app());
        deleteTree(runDir); // a fresh directory: left-overs of a deleted workload of the same name must not count
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new LaunchException(null, runDir.toString(), "cannot create run directory: " + e.getMessage(), e);
        }
        return new PreparedRun(r, r.driver().prepare(withModels(withBroker(withValues(r.app(), fromSecrets))), runDir), runDir);
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
            r.driver().prepare(r.app(), scratch);
            r.driver().cleanup(r.app(), scratch);
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
     * A virtual machine gets no socket (a unikernel shares the request directory instead); neither does an App whose
     * socket is not open now, so a grant applied later reaches it at its next start.
     */
    private App withBroker(App app) {
        if (!app.spec().runsOnHost()) return app;
        Optional<Path> socket = brokerSockets.socket(app).filter(Files::exists);
        if (socket.isEmpty()) return app;
        List<Mount> inputs = new ArrayList<>(app.spec().inputs());
        inputs.add(new Mount("orchide-broker", socket.get().toString(), BROKER_SOCKET, 0));
        Map<String, String> env = new LinkedHashMap<>(app.spec().env());
        env.put(BROKER_ENV, BROKER_SOCKET);
        return new App(app.metadata(), app.spec().withEnv(env).withMounts(inputs, app.spec().outputs()));
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
