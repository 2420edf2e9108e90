package io.orchide.runtime;

import io.orchide.model.App;
import io.orchide.model.Monitor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts, stops and interprets one kind of monitor. Drivers are stateless: what they need after launch they
 * keep in the workload directory, so they work the same for a workload the agent re-adopted after a restart.
 */
public interface Driver {
    /** The monitors this driver handles. */
    List<Monitor> monitors();

    /** Availability of each monitor/architecture this driver handles, with reasons, for {@code doctor}. */
    List<Probe> probe();

    /**
     * Checks the App against this host (binary present, arch runnable, image readable and of the right kind,
     * devices declared by the image all attached) and writes any files the launch needs into {@code dir}.
     * Throws with the offending manifest field; changes nothing outside {@code dir}.
     */
    Launch prepare(App app, Path dir) throws LaunchException;

    /**
     * As {@link #prepare(App, Path)}, handing the workload {@code devices} (assigned to it alone) as this monitor can:
     * device nodes to a container or a process, a PCI device through VFIO to a virtual machine. A monitor that cannot
     * hand one over refuses the launch naming {@code spec.resources.accelerators}, the device and why;
     * {@linkplain HostDevice#logical() logical} devices need nothing from any monitor.
     */
    default Launch prepare(App app, Path dir, List<HostDevice> devices) throws LaunchException {
        for (HostDevice d : devices) {
            if (d.logical()) continue;
            throw new LaunchException("spec.resources.accelerators", d.name(), "monitor "
                    + app.spec().runtime().monitor().wire() + " cannot be handed a device (" + d.deviceClass() + ")");
        }
        return prepare(app, dir);
    }

    /**
     * Asks the workload to end gracefully (QMP system_powerdown, runc kill TERM, SIGTERM); returns at once.
     * The supervisor escalates with {@link #kill} when the grace period passes.
     */
    void requestStop(App app, RunningWorkload w);

    /** Ends the workload now (QMP quit, runc kill KILL, SIGKILL). */
    void kill(App app, RunningWorkload w);

    /**
     * What the monitor's exit means for this App (isa-debug-exit codes, Unikraft 83/85, signals...). One rule for
     * every family: {@link ExitStatus#guestCode()} is the guest's own status only where its convention carries it,
     * null otherwise (a kill, a power off that carries no status, an exit only the monitor saw); a
     * {@link RawExit#cause()} outranks the status.
     */
    ExitStatus decode(App app, RawExit raw);

    /**
     * Called by the engine for a workload it re-adopted after an agent restart (its monitor still runs), so the
     * driver takes up again what it did for a workload it started: qemu re-attaches the watch that ends a VM stopped
     * by a hypervisor error (see {@link RawExit#cause()}). Returns at once.
     */
    default void adopted(App app, RunningWorkload w) {
    }

    /** Releases what the launch left behind on the host (runc delete, sockets); the directory itself stays. */
    default void cleanup(App app, Path dir) {
    }

    /** Default grace period between {@link #requestStop} and {@link #kill}. */
    default Duration defaultGrace() { return Duration.ofSeconds(10); }
}
