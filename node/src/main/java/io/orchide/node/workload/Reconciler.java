package io.orchide.node.workload;

import io.orchide.model.App;
import io.orchide.node.attempt.AttemptContext;
import io.orchide.node.attempt.EventLoop;
import io.orchide.node.attempt.Timers;
import io.orchide.node.store.NodeStore;
import io.orchide.node.store.RunRecord;
import io.orchide.node.store.WorkloadRecord;
import io.orchide.node.store.WorkloadRecord.Desired;
import io.orchide.node.tenant.QuotaCheck;
import io.orchide.node.tenant.QuotaExceededException;
import io.orchide.node.tenant.QuotaSource;
import io.orchide.runtime.ExitListener;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.Supervisor;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Keeps the node's workloads as the operator declared them: accepts manifests (admission control first, then a
 * host preflight beside the store's commit, then the launch), drives each workload's controller, and after an agent
 * restart re-adopts the monitors that still run and restarts those that died. Never waits for ground.
 *
 * <p>Everything it and its controllers hold is confined to one {@link EventLoop}: the public methods hand their
 * work to it and wait, exits are queued on it, and every timer runs on it.
 */
public final class Reconciler implements ExitListener, AutoCloseable {
    private final NodeStore store;
    private final WorkloadLauncher launcher;
    private final Clock clock;
    private final Capacity capacity;
    private final Reservations reservations;
    private final QuotaSource quotas;
    private final EventLoop loop;
    private final AttemptContext attempts;
    private final Map<String, WorkloadController> controllers = new HashMap<>();
    private volatile java.util.function.Consumer<String> deleted = name -> { };
    /**
     * The App each workload was last applied with, once its apply is committed: written on the loop, read from any
     * thread, so that telling an unchanged manifest costs an apply no trip to the loop.
     */
    private final Map<String, App> applied = new ConcurrentHashMap<>();
    /** Where a new workload's first preparation runs, beside the loop's commit of its record. */
    private final Executor preparer = work -> Thread.ofVirtual().name("orchide-workload-prepare").start(work);

    public Reconciler(NodeStore store, WorkloadLauncher launcher, Supervisor supervisor, Capacity capacity,
                      Reservations reservations, Clock clock) {
        this(store, launcher, supervisor, capacity, reservations, QuotaSource.NONE, clock);
    }

    /** Admitting each tenant's workloads within its on-board quota from {@code quotas}. */
    public Reconciler(NodeStore store, WorkloadLauncher launcher, Supervisor supervisor, Capacity capacity,
                      Reservations reservations, QuotaSource quotas, Clock clock) {
        this(store, launcher, supervisor, capacity, reservations, quotas, clock,
                new EventLoop("orchide-workloads", clock), null);
    }

    /** With {@code timers} other than the loop's (a test's hand-moved clock); they must run on the loop. */
    Reconciler(NodeStore store, WorkloadLauncher launcher, Supervisor supervisor, Capacity capacity,
               Reservations reservations, QuotaSource quotas, Clock clock, EventLoop loop, Timers timers) {
        this.store = store;
        this.quotas = quotas;
        this.clock = clock;
        this.capacity = capacity;
        this.reservations = reservations;
        this.launcher = launcher;
        this.loop = loop;
        this.attempts = new AttemptContext(supervisor, timers == null ? loop : timers, clock);
    }

    public Capacity capacity() { return capacity; }

    /** Where this reconciler finds the tenants' on-board quotas. */
    public QuotaSource quotas() { return quotas; }

    /** Free room: capacity less what every workload holding resources and every pipeline run reserved. */
    public Capacity free() {
        return loop.get(this::freeNow);
    }

    private Capacity freeNow() {
        Capacity used = reservations.total();
        for (WorkloadController c : controllers.values()) {
            if (c.state().holdsResources() && c.record().desired() == Desired.RUNNING) used = used.plus(need(c.record().app()));
        }
        return capacity.minus(used);
    }

    /** What {@code tenant}'s workloads holding resources and its pipeline runs hold now. */
    public Capacity used(String tenant) {
        return loop.get(() -> usedNow(tenant, null));
    }

    /**
     * Refuses a run of {@code tenant}'s that needs {@code need} when it would take the tenant over its quota (the
     * pipeline queue asks before it starts one).
     */
    public void checkQuota(String what, String tenant, Capacity need) throws QuotaExceededException {
        try {
            loop.call(() -> {
                checkQuotaNow(what, tenant, need, null);
                return null;
            });
        } catch (QuotaExceededException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tenant's workloads holding resources (but {@code except}) and its runs' reservations. */
    private Capacity usedNow(String tenant, String except) {
        Capacity used = reservations.total(tenant);
        for (WorkloadController c : controllers.values()) {
            App a = c.record().app();
            if (c.state().holdsResources() && c.record().desired() == Desired.RUNNING && !a.name().equals(except)
                    && a.metadata().tenant().equals(tenant)) {
                used = used.plus(need(a));
            }
        }
        return used;
    }

    private void checkQuotaNow(String what, String tenant, Capacity need, String except) throws QuotaExceededException {
        var quota = quotas.of(tenant);
        if (quota.isEmpty()) return;
        Capacity use = usedNow(tenant, except);
        QuotaCheck.check(what, tenant, quota.get(), QuotaCheck.Amounts.compute(use.vcpus(), use.memoryMiB()),
                QuotaCheck.Amounts.compute(need.vcpus(), need.memoryMiB()));
    }

    /** Restores every stored workload: re-adopt running monitors, report exits that happened while down. */
    public void recover() {
        loop.get(() -> {
            for (WorkloadRecord w : store.workloads()) {
                WorkloadController c = newController(w);
                applied.put(w.name(), w.app());
                Optional<RunRecord> last = store.latestRun(w.name());
                if (last.isEmpty() || !last.get().active()) c.recoverIdle();
                else c.recoverActive(); // an exit it finds is queued on the loop, handled after recovery
            }
            return null;
        });
    }

    /** Accepts a validated App: admission, host preflight, store, then launch or reconfigure. */
    public ApplyResult apply(App app) throws AdmissionException, LaunchException {
        try {
            return loop.call(() -> applyNow(app));
        } catch (AdmissionException | LaunchException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ApplyResult applyNow(App app) throws AdmissionException, LaunchException {
        WorkloadController existing = controllers.get(app.name());
        // the same spec changes nothing, whether its workload runs, ended or was stopped
        if (existing != null && existing.record().app().equals(app)) return ApplyResult.UNCHANGED;
        Capacity free = freeNow();
        if (existing != null && existing.state().holdsResources() && existing.record().desired() == Desired.RUNNING) {
            free = free.plus(need(existing.record().app()));
        }
        Capacity need = need(app);
        if (!free.fits(need)) throw new AdmissionException(app.name(), need, free);
        // the workload's own holding is replaced by the new spec's
        checkQuotaNow("workload " + app.name(), app.metadata().tenant(), need, app.name());
        Instant now = clock.instant();
        if (existing == null) {
            WorkloadRecord w = new WorkloadRecord(app.name(), app, Desired.RUNNING, 1, now, now);
            WorkloadController c = newController(w);
            try {
                // prepares once, beside the commit of the record with its first run (which must precede the
                // monitor's start): a host problem refuses the manifest and takes that commit back
                c.firstStart(preparer);
            } catch (LaunchException e) {
                controllers.remove(app.name(), c);
                WorkloadLauncher.deleteTree(launcher.workloadDir(app.name()));
                throw e;
            }
            applied.put(app.name(), app);
            return ApplyResult.CREATED;
        }
        launcher.preflight(app); // the running workload is only stopped once its new spec can be launched
        WorkloadRecord old = existing.record();
        WorkloadRecord w = new WorkloadRecord(app.name(), app, Desired.RUNNING, old.generation() + 1,
                old.createdAt(), now);
        store.putWorkload(w);
        existing.reconfigure(w);
        applied.put(app.name(), app);
        return ApplyResult.CONFIGURED;
    }

    /**
     * The App workload {@code name} was last applied with; empty when there is no such workload. Answers without
     * waiting for the loop: an apply under way is seen once it is committed.
     */
    public Optional<App> applied(String name) {
        return Optional.ofNullable(applied.get(name));
    }

    /** The operator's stop; completes once the monitor has exited. */
    public CompletableFuture<Void> stop(String name) throws NoSuchWorkloadException {
        return onLoop(() -> {
            WorkloadController c = controller(name);
            WorkloadRecord w = c.record().withDesired(Desired.STOPPED, clock.instant());
            store.putWorkload(w);
            return c.stop(w);
        });
    }

    /** The operator's start: admission again when the workload holds nothing now; a new series of attempts. */
    public void start(String name) throws NoSuchWorkloadException, AdmissionException {
        try {
            loop.call(() -> {
                startNow(name);
                return null;
            });
        } catch (NoSuchWorkloadException | AdmissionException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void startNow(String name) throws NoSuchWorkloadException, AdmissionException {
        WorkloadController c = controller(name);
        if (c.record().desired() != Desired.RUNNING || !c.state().holdsResources()) {
            Capacity need = need(c.record().app());
            Capacity free = freeNow();
            if (!free.fits(need)) throw new AdmissionException(name, need, free);
            checkQuotaNow("workload " + name, c.record().app().metadata().tenant(), need, name);
        }
        WorkloadRecord w = c.record().withDesired(Desired.RUNNING, clock.instant());
        store.putWorkload(w);
        c.updateRecord(w);
        c.start();
    }

    /** The operator's restart of a running workload (a start of one that is not running). */
    public void restart(String name) throws NoSuchWorkloadException, AdmissionException {
        try {
            loop.call(() -> {
                WorkloadController c = controller(name);
                if (c.record().desired() != Desired.RUNNING || !c.state().holdsResources()) startNow(name);
                else c.restart();
                return null;
            });
        } catch (NoSuchWorkloadException | AdmissionException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the workload and forgets it with its history; completes once its monitor is gone. */
    public CompletableFuture<Void> delete(String name) throws NoSuchWorkloadException {
        WorkloadController c = onLoop(() -> controller(name));
        return stop(name).thenRunAsync(() -> {
            if (controllers.remove(name, c)) {
                applied.remove(name);
                store.deleteWorkload(name);
                WorkloadLauncher.deleteTree(launcher.workloadDir(name));
                deleted.accept(name);
            }
        }, r -> loop.execute(r, "deleting workload " + name));
    }

    /**
     * Tells {@code l} the name of each workload deleted, on the workloads' loop, once its monitor is gone and it is
     * forgotten: whatever was kept for it (its broker channel) may go then, never while it runs.
     */
    public void onDeleted(java.util.function.Consumer<String> l) {
        deleted = l;
    }

    public List<WorkloadView> list() {
        return loop.get(() -> {
            List<WorkloadView> out = new ArrayList<>();
            for (WorkloadController c : controllers.values()) out.add(view(c));
            out.sort(Comparator.comparing(WorkloadView::name));
            return out;
        });
    }

    public WorkloadView get(String name) throws NoSuchWorkloadException {
        return onLoop(() -> view(controller(name)));
    }

    /** Completes when the workload reaches one of {@code states}; cancelled waits are simply dropped. */
    public CompletableFuture<WorkloadState> until(String name, Set<WorkloadState> states)
            throws NoSuchWorkloadException {
        return onLoop(() -> controller(name).until(states));
    }

    /** The console ring of a workload. */
    public Path console(String name) throws NoSuchWorkloadException {
        return onLoop(() -> {
            controller(name);
            return launcher.console(name);
        });
    }

    @Override
    public void exited(Path runDir, RawExit exit) {
        loop.execute(() -> {
            for (WorkloadController c : controllers.values()) {
                if (c.owns(runDir)) {
                    c.exited(runDir, exit);
                    return;
                }
            }
        }, "handling the exit of " + runDir);
    }

    @Override
    public void close() {
        loop.close();
    }

    private <T> T onLoop(Callable<T> work) throws NoSuchWorkloadException {
        try {
            return loop.call(work);
        } catch (NoSuchWorkloadException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        WorkloadController c = new WorkloadController(w, store, launcher, attempts);
        controllers.put(w.name(), c);
        return c;
    }

    private static Capacity need(App app) {
        return new Capacity(app.spec().resources().vcpus(), app.spec().resources().memoryMiB());
    }
}
