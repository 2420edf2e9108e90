package io.orchide.node.workload;

import io.orchide.model.Monitor;
import io.orchide.runtime.Driver;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The runtime drivers of this node, by the monitor they handle. */
public final class Drivers {
    private final List<Driver> all;
    private final Map<Monitor, Driver> byMonitor = new EnumMap<>(Monitor.class);

    public Drivers(List<Driver> drivers) {
        this.all = List.copyOf(drivers);
        for (Driver d : drivers) for (Monitor m : d.monitors()) byMonitor.put(m, d);
    }

    public Driver forMonitor(Monitor m) throws LaunchException {
        Driver d = byMonitor.get(m);
        if (d == null) {
            throw new LaunchException("spec.runtime.monitor", m.wire(), "this node has no driver for the monitor");
        }
        return d;
    }

    /**
     * Every driver's probes, for {@code doctor}. One at a time: a probe really runs its monitor (a trial
     * container, a KVM boot) under fixed names, and the start-up warm-up and a doctor call must not collide;
     * results are cached on disk, so a caller that waited gets them at once.
     */
    public synchronized List<Probe> probe() {
        List<Probe> out = new ArrayList<>();
        for (Driver d : all) out.addAll(d.probe());
        return out;
    }
}
