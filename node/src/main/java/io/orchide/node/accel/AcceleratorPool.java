package io.orchide.node.accel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.AcceleratorRequest;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who holds which of the node's accelerators. Each accelerator has one holder at most: an attempt (named by its run
 * directory), for a workload or a step instance ({@code label}, what {@code get devices} shows). An attempt takes
 * all it asks for or nothing, keeps it for its whole run, and gives it back when it ends. Every change is written to
 * a file before it counts, so an agent that restarts while workloads run gives their accelerators to no one else:
 * their re-adopted attempts give them back when they end; the holding of an attempt whose run directory is gone is
 * dropped at load, and one under the same label as a new attempt's is dropped when that attempt takes its own. Thread-safe; listeners run on the thread that released, outside the lock.
 */
public final class AcceleratorPool {
    private static final System.Logger LOG = System.getLogger(AcceleratorPool.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIELD = "spec.resources.accelerators";

    /** What one attempt holds. */
    public record Holding(String holder, String label, List<String> accelerators) {
        public Holding {
            accelerators = List.copyOf(accelerators);
        }
    }

    private final Map<String, Accelerator> inventory = new LinkedHashMap<>();
    private final Map<String, Holding> holdings = new LinkedHashMap<>();
    private final Path file;
    private final List<Runnable> onRelease = new CopyOnWriteArrayList<>();

    private AcceleratorPool(List<Accelerator> accelerators, Path file) {
        accelerators.forEach(a -> inventory.put(a.name(), a));
        this.file = file;
    }

    /** A node without accelerators: every request is refused as impossible. */
    public static AcceleratorPool none() {
        return new AcceleratorPool(List.of(), null);
    }

    /** Over {@code accelerators}, with the holdings kept in {@code file} (read now when it exists). */
    public static AcceleratorPool open(List<Accelerator> accelerators, Path file) throws IOException {
        AcceleratorPool pool = new AcceleratorPool(accelerators, file);
        pool.load();
        return pool;
    }

    public List<Accelerator> inventory() {
        return List.copyOf(inventory.values());
    }

    /** How many accelerators the node has of each class. */
    public Map<String, Integer> classes() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Accelerator a : inventory.values()) out.merge(a.deviceClass(), 1, Integer::sum);
        return out;
    }

    /** How many accelerators of each class are held now by the holdings {@code counted} accepts. */
    public synchronized Map<String, Integer> heldByClass(java.util.function.Predicate<Holding> counted) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Holding h : holdings.values()) {
            if (!counted.test(h)) continue;
            for (String n : h.accelerators()) out.merge(inventory.get(n).deviceClass(), 1, Integer::sum);
        }
        return out;
    }

    /** Runs {@code listener} whenever an accelerator is given back (a waiting step may take it now). */
    public void onRelease(Runnable listener) {
        onRelease.add(listener);
    }

    /**
     * What {@code holder} holds, taken now when it holds nothing yet: for each request, as many free accelerators of
     * its class as it counts.
     *
     * @throws LaunchException naming {@code spec.resources.accelerators} when the node has too few of a class
     *                         ({@link #impossible}) or too few are free now (the holders named)
     */
    public synchronized List<Accelerator> assign(String holder, String label, List<AcceleratorRequest> requests)
            throws LaunchException {
        Optional<List<Accelerator>> got = tryAssign(holder, label, requests);
        if (got.isPresent()) return got.get();
        throw busy(requests, label);
    }

    /**
     * As {@link #assign}, but empty rather than a refusal when too few are free now: the caller waits for a
     * {@link #onRelease}. Still throws when the node could never satisfy the requests.
     */
    public synchronized Optional<List<Accelerator>> tryAssign(String holder, String label,
                                                              List<AcceleratorRequest> requests) throws LaunchException {
        Holding held = holdings.get(holder);
        if (held != null) return Optional.of(resolve(held));
        impossible(requests);
        // a workload or a step instance runs one attempt at a time: another attempt's holding under the same label
        // is stale (an agent that died between taking it and recording the attempt) and must not block this one
        holdings.values().removeIf(h -> h.label().equals(label));
        List<String> taken = new ArrayList<>();
        for (AcceleratorRequest r : requests) {
            List<String> free = free(r.deviceClass(), null);
            if (free.size() < r.count()) return Optional.empty();
            taken.addAll(free.subList(0, r.count()));
        }
        Holding h = new Holding(holder, label, taken);
        holdings.put(holder, h);
        try {
            save();
        } catch (IOException e) {
            holdings.remove(holder);
            throw new LaunchException(FIELD, String.join(",", taken), "cannot record the assignment: " + e.getMessage(), e);
        }
        return Optional.of(resolve(h));
    }

    /**
     * Whether a workload labelled {@code label} could take {@code requests} now, counting what attempts of the same
     * label hold as free (a workload's new spec replaces its running one).
     *
     * @throws LaunchException as {@link #assign} would refuse
     */
    public synchronized void check(String label, List<AcceleratorRequest> requests) throws LaunchException {
        impossible(requests);
        for (AcceleratorRequest r : requests) {
            if (free(r.deviceClass(), label).size() < r.count()) throw busy(requests, label);
        }
    }

    /** Gives back what {@code holder} holds; nothing when it holds nothing. */
    public void release(String holder) {
        synchronized (this) {
            if (holdings.remove(holder) == null) return;
            try {
                save();
            } catch (IOException e) {
                // the holding is gone in memory; the file drops it at the next load since its attempt has ended
                LOG.log(System.Logger.Level.WARNING, "cannot record the release of " + holder + ": " + e.getMessage());
            }
        }
        for (Runnable l : onRelease) {
            try {
                l.run();
            } catch (RuntimeException e) {
                // a listener that closed (the pipeline engine at shutdown) must not fail the attempt's end
                LOG.log(System.Logger.Level.DEBUG, "release listener failed: " + e);
            }
        }
    }

    /** The label of the holder of accelerator {@code name}; empty when it is free or no accelerator. */
    public synchronized Optional<String> holderOf(String name) {
        for (Holding h : holdings.values()) if (h.accelerators().contains(name)) return Optional.of(h.label());
        return Optional.empty();
    }

    public synchronized List<Holding> holdings() {
        return List.copyOf(holdings.values());
    }

    /** The inventory as the node's hello carries it: name, class and what the hardware reports. */
    public String toJson() {
        ArrayNode list = JSON.createArrayNode();
        for (Accelerator a : inventory.values()) {
            ObjectNode o = list.addObject();
            o.put("name", a.name());
            o.put("class", a.deviceClass());
            a.facts().forEach(o::put);
        }
        return list.toString();
    }

    private void impossible(List<AcceleratorRequest> requests) throws LaunchException {
        for (AcceleratorRequest r : requests) {
            List<String> all = inventory.values().stream().filter(a -> a.deviceClass().equals(r.deviceClass()))
                    .map(Accelerator::name).toList();
            if (all.size() < r.count()) {
                throw new LaunchException(FIELD, r.toString(), all.isEmpty()
                        ? "this node has no accelerator of class " + r.deviceClass()
                        : "this node has only " + all.size() + " accelerator(s) of class " + r.deviceClass() + " " + all);
            }
        }
    }

    private LaunchException busy(List<AcceleratorRequest> requests, String label) {
        for (AcceleratorRequest r : requests) {
            if (free(r.deviceClass(), label).size() >= r.count()) continue;
            List<String> held = new ArrayList<>();
            for (Holding h : holdings.values()) {
                if (h.label().equals(label)) continue;
                for (String n : h.accelerators()) {
                    if (inventory.get(n).deviceClass().equals(r.deviceClass())) held.add(n + " held by " + h.label());
                }
            }
            return new LaunchException(FIELD, r.toString(), "no free accelerator of class " + r.deviceClass()
                    + " (" + String.join(", ", held) + ")");
        }
        return new LaunchException(FIELD, requests.toString(), "the accelerators are not free");
    }

    /** The free accelerators of {@code cls}, those held under {@code label} counted free (none when null). */
    private List<String> free(String cls, String label) {
        List<String> out = new ArrayList<>();
        for (Accelerator a : inventory.values()) {
            if (!a.deviceClass().equals(cls)) continue;
            boolean held = false;
            for (Holding h : holdings.values()) {
                if (h.accelerators().contains(a.name()) && !h.label().equals(label)) held = true;
            }
            if (!held) out.add(a.name());
        }
        return out;
    }

    private List<Accelerator> resolve(Holding h) {
        return h.accelerators().stream().map(inventory::get).toList();
    }

    private void load() throws IOException {
        if (file == null || !Files.exists(file)) return;
        JsonNode root = JSON.readTree(file.toFile());
        boolean dropped = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> names = new ArrayList<>();
            e.getValue().path("accelerators").forEach(n -> names.add(n.asText()));
            // an attempt whose directory is gone ended with its workload; a device gone from the inventory is no one's
            if (!Files.isDirectory(Path.of(e.getKey())) || !inventory.keySet().containsAll(names)) {
                dropped = true;
                continue;
            }
            holdings.put(e.getKey(), new Holding(e.getKey(), e.getValue().path("label").asText(), names));
        }
        if (dropped) save();
    }

    private void save() throws IOException {
        if (file == null) return;
        ObjectNode root = JSON.createObjectNode();
        for (Holding h : holdings.values()) {
            ObjectNode o = root.putObject(h.holder());
            o.put("label", h.label());
            ArrayNode a = o.putArray("accelerators");
            h.accelerators().forEach(a::add);
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(root));
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
