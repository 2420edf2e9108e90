package io.orchide.node.workload;

import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.model.App;
import io.orchide.node.store.NodeStore;
import io.orchide.node.store.RunRecord;
import io.orchide.node.store.WorkloadRecord;
import io.orchide.node.store.WorkloadRecord.Desired;
import io.orchide.runtime.ExitListener;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.Supervisor;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.supervise.OrphanShims;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Keeps the node's workloads as the operator declared them: accepts manifests (admission control and a host
 * preflight first, then the store, then the launch), drives each workload's controller, and after an agent
 * restart re-adopts the monitors that still run and restarts those that died. Never waits for ground.
 */
public final class Reconciler implements ExitListener, AutoCloseable {
    private final NodeStore store;
    private final WorkloadLauncher launcher;
    private final Supervisor supervisor;
    private final Clock clock;
    private final Capacity capacity;
    private final Reservations reservations;
    private final ScheduledExecutorService scheduler;
    private final Map<String, WorkloadController> controllers = new ConcurrentHashMap<>();

    public Reconciler(NodeStore store, Drivers drivers, Supervisor supervisor,
                      ImageResolver resolver, ContentImages images, NodeLayout layout, Capacity capacity,
                      Reservations reservations, Clock clock) {
        this.store = store;
        this.supervisor = supervisor;
        this.clock = clock;
        this.capacity = capacity;
        this.reservations = reservations;
        this.launcher = new WorkloadLauncher(drivers, supervisor, resolver, images, layout);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orchide-timers");
            t.setDaemon(true);
            return t;
        });
    }

    public Capacity capacity() { return capacity; }

    /** Free room: capacity less what every workload holding resources and every pipeline run reserved. */
    public synchronized Capacity free() {
        Capacity used = reservations.total();
        for (WorkloadController c : controllers.values()) {
            if (c.state().holdsResources() && c.record().desired() == Desired.RUNNING) used = used.plus(need(c.record().app()));
        }
        return capacity.minus(used);
    }

    /** Restores every stored workload: re-adopt running monitors, report exits that happened while down. */
    public synchronized void recover() {
        for (WorkloadRecord w : store.workloads()) {
            WorkloadController c = newController(w);
            Optional<RunRecord> last = store.latestRun(w.name());
            if (last.isEmpty() || !last.get().active()) {
                c.recoverIdle(null);
                continue;
            }
            recoverActive(c, last.get());
        }
    }

    private void recoverActive(WorkloadController c, RunRecord run) {
        Path dir = run.runDir();
        if (Files.exists(dir.resolve("exit"))) {
            supervisor.adopt(dir); // reports the exit to exited(), which applies the policy
            return;
        }
        Optional<RunningWorkload> alive = supervisor.adopt(dir);
        if (alive.isPresent()) {
            try {
                WorkloadLauncher.ResolvedApp r = launcher.resolve(c.record().app());
                c.adopted(alive.get(), r.app(), r.driver());
            } catch (LaunchException e) {
                supervisor.signal(alive.get(), 9);
                c.recoverIdle("restarted: cannot re-adopt (" + e.getMessage() + ")");
            }
            return;
        }
        if (Files.exists(dir.resolve("exit"))) return; // ended between the two checks: reported already
        OrphanShims.kill(dir); // a launch cut short by the agent's death must not run beside the new one
        store.runEnded(run.id(), RunRecord.RunState.ENDED, clock.instant(), null, null, null, false,
                "interrupted: its monitor was gone when the agent restarted (host reboot?)");
        c.recoverIdle("restarted after its run was interrupted");
    }

    /** Accepts a validated App: admission, host preflight, store, then launch or reconfigure. */
    public synchronized ApplyResult apply(App app) throws AdmissionException, LaunchException {
        WorkloadController existing = controllers.get(app.name());
        if (existing != null && existing.record().app().equals(app)
                && existing.record().desired() == Desired.RUNNING && existing.state().holdsResources()) {
            return ApplyResult.UNCHANGED;
        }
        Capacity free = free();
        if (existing != null && existing.state().holdsResources() && existing.record().desired() == Desired.RUNNING) {
            free = free.plus(need(existing.record().app()));
        }
        Capacity need = need(app);
        if (!free.fits(need)) throw new AdmissionException(app.name(), need, free);
        Instant now = clock.instant();
        if (existing == null) {
            WorkloadRecord w = new WorkloadRecord(app.name(), app, Desired.RUNNING, 1, now, now);
            store.putWorkload(w);
            WorkloadController c = newController(w);
            try {
                c.firstStart(); // prepares once: a host problem refuses the manifest and is rolled back
            } catch (LaunchException e) {
                controllers.remove(app.name(), c);
                store.deleteWorkload(app.name());
                WorkloadLauncher.deleteTree(launcher.workloadDir(app.name()));
                throw e;
            }
            return ApplyResult.CREATED;
        }
        launcher.preflight(app); // the running workload is only stopped once its new spec can be launched
        WorkloadRecord old = existing.record();
        WorkloadRecord w = new WorkloadRecord(app.name(), app, Desired.RUNNING, old.generation() + 1,
                old.createdAt(), now);
        store.putWorkload(w);
        existing.reconfigure(w);
        return ApplyResult.CONFIGURED;
    }

    public CompletableFuture<Void> stop(String name) throws NoSuchWorkloadException {
        WorkloadController c = controller(name);
        WorkloadRecord w = c.record().withDesired(Desired.STOPPED, clock.instant());
        store.putWorkload(w);
        return c.stop(w);
    }

    public synchronized void start(String name) throws NoSuchWorkloadException, AdmissionException {
        WorkloadController c = controller(name);
        if (c.record().desired() != Desired.RUNNING || !c.state().holdsResources()) {
            Capacity need = need(c.record().app());
            Capacity free = free();
            if (!free.fits(need)) throw new AdmissionException(name, need, free);
        }
        WorkloadRecord w = c.record().withDesired(Desired.RUNNING, clock.instant());
        store.putWorkload(w);
        c.updateRecord(w);
        c.start();
    }

    public synchronized void restart(String name) throws NoSuchWorkloadException, AdmissionException {
        WorkloadController c = controller(name);
        if (c.record().desired() != Desired.RUNNING || !c.state().holdsResources()) {
            start(name);
            return;
        }
        c.restart();
    }

    /** Stops the workload and forgets it with its history; completes once its monitor is gone. */
    public CompletableFuture<Void> delete(String name) throws NoSuchWorkloadException {
        WorkloadController c = controller(name);
        return stop(name).thenRun(() -> {
            synchronized (this) {
                controllers.remove(name, c);
                store.deleteWorkload(name);
                WorkloadLauncher.deleteTree(launcher.workloadDir(name));
            }
        });
    }

    public List<WorkloadView> list() {
        List<WorkloadView> out = new ArrayList<>();
        for (WorkloadController c : controllers.values()) out.add(view(c));
        out.sort(Comparator.comparing(WorkloadView::name));
        return out;
    }

    public WorkloadView get(String name) throws NoSuchWorkloadException {
        return view(controller(name));
    }

    public NodeStore store() { return store; }

    public WorkloadLauncher launcher() { return launcher; }

    public Supervisor supervisor() { return supervisor; }

    /** Completes when the workload reaches one of {@code states}; cancelled waits are simply dropped. */
    public CompletableFuture<WorkloadState> until(String name, Set<WorkloadState> states)
            throws NoSuchWorkloadException {
        return controller(name).until(states);
    }

    /** The console ring of a workload. */
    public Path console(String name) throws NoSuchWorkloadException {
        controller(name);
        return launcher.console(name);
    }

    @Override
    public void exited(Path runDir, RawExit exit) {
        for (WorkloadController c : controllers.values()) {
            if (c.owns(runDir)) {
                Thread.ofVirtual().name("exit-" + c.record().name()).start(() -> c.exited(runDir, exit));
                return;
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private WorkloadView view(WorkloadController c) {
        WorkloadRecord r = c.record();
        RunningWorkload p = c.process();
        return new WorkloadView(r.name(), r.app(), c.runtime(), r.desired(), r.generation(), c.state(), c.message(),
                c.restarts(), r.createdAt(), p == null ? null : p.monitorPid(), p == null ? null : p.startedAt());
    }

    private WorkloadController controller(String name) throws NoSuchWorkloadException {
        WorkloadController c = controllers.get(name);
        if (c == null) throw new NoSuchWorkloadException(name);
        return c;
    }

    private WorkloadController newController(WorkloadRecord w) {
        WorkloadController c = new WorkloadController(w, store, launcher, supervisor, clock, scheduler);
        controllers.put(w.name(), c);
        return c;
    }

    private static Capacity need(App app) {
        return new Capacity(app.spec().resources().vcpus(), app.spec().resources().memoryMiB());
    }
}
