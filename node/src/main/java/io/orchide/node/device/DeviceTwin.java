package io.orchide.node.device;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The node's devices, each with two sets of properties, as in a device twin: the desired ones (from the integrator's
 * devices file, changed by a granted {@code configure}) and the reported ones (what the hardware and the device's
 * handler say). A declared device whose path a discovered one has is one device: the declared name and class, the
 * discovered facts. A device whose path is a device node that is not there is {@code missing}. Thread-safe.
 */
public final class DeviceTwin {
    public static final String READY = "ready", MISSING = "missing";

    /** What the twin says of one device now. */
    public record View(Device device, Map<String, String> desired, Map<String, String> reported, String state) {
        public String name() {
            return device.name();
        }

        /** The desired properties the device does not report to have yet (those it reports differently included). */
        public Map<String, String> pending() {
            Map<String, String> out = new TreeMap<>();
            desired.forEach((k, v) -> {
                if (!v.equals(reported.get(k))) out.put(k, v);
            });
            return out;
        }
    }

    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> desired = new HashMap<>();
    private final Map<String, Map<String, String>> reported = new HashMap<>();

    /** The inventory of {@code file}'s devices and, when it asks for discovery, of {@code discovered}. */
    public DeviceTwin(DevicesFile file, List<DeviceDiscovery.Found> discovered) {
        Map<String, DeviceDiscovery.Found> byPath = new HashMap<>();
        if (file.discover()) for (DeviceDiscovery.Found f : discovered) if (f.device().path() != null) byPath.put(f.device().path(), f);
        List<DeviceDiscovery.Found> taken = new ArrayList<>();
        for (Device d : file.devices()) {
            DeviceDiscovery.Found f = d.path() == null ? null : byPath.get(d.path());
            Map<String, String> facts = new TreeMap<>();
            if (f != null) {
                taken.add(f);
                facts.putAll(f.reported());
            } else if (d.path() != null && d.path().startsWith("/")) {
                facts.put("present", Boolean.toString(Files.exists(Path.of(d.path()))));
            }
            add(d, facts);
        }
        if (!file.discover()) return;
        for (DeviceDiscovery.Found f : discovered) {
            if (taken.contains(f) || devices.containsKey(f.device().name())) continue;
            add(f.device(), f.reported());
        }
    }

    private void add(Device d, Map<String, String> facts) {
        devices.put(d.name(), d);
        desired.put(d.name(), new TreeMap<>(d.desired()));
        reported.put(d.name(), new TreeMap<>(facts));
    }

    public synchronized List<View> list() {
        List<View> out = new ArrayList<>();
        for (String name : devices.keySet()) out.add(view(name));
        return out;
    }

    public synchronized Optional<View> get(String name) {
        return devices.containsKey(name) ? Optional.of(view(name)) : Optional.empty();
    }

    /** Records what device {@code name} reports of itself (merged over what it reported before). */
    public synchronized void report(String name, Map<String, String> properties) {
        Map<String, String> r = reported.get(name);
        if (r == null) throw new DeviceInputException("device", name, "is not in the node's inventory");
        r.putAll(properties);
    }

    /** Sets desired properties of device {@code name} (merged over those desired before). */
    public synchronized void configure(String name, Map<String, String> properties) {
        Map<String, String> d = desired.get(name);
        if (d == null) throw new DeviceInputException("device", name, "is not in the node's inventory");
        properties.keySet().forEach(k -> {
            String problem = DevicesFile.propertyProblem(k);
            if (problem != null) throw new DeviceInputException("properties." + k, k, problem);
        });
        d.putAll(properties);
    }

    private View view(String name) {
        Map<String, String> r = Collections.unmodifiableMap(new TreeMap<>(reported.get(name)));
        String state = "false".equals(r.get("present")) ? MISSING : READY;
        return new View(devices.get(name), Collections.unmodifiableMap(new TreeMap<>(desired.get(name))), r, state);
    }
}
