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
 * dropped at load, and one under the same label as a new attempt's is dropped when that attempt takes its own.
 *
 * <p>A pipeline run admitted by the run queue also claims its accelerators at once ({@link #reserve}), as a
 * Kubernetes resource claim is allocated when its pod is scheduled rather than when it starts: from then until the
 * run ends, no workload may take them (a refusal names the accelerator and the run), while the run's own steps take
 * them as their holdings and give them back to the run, not to the node, when they end. A reservation is named by
 * its run and written to the same file; the engine that re-adopts runs after a restart keeps those of its running
 * runs and drops the others ({@link #keepReservations}). Thread-safe; listeners run on the thread that released,
 * outside the lock.
 */
public final class AcceleratorPool {
    private static final System.Logger LOG = System.getLogger(AcceleratorPool.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIELD = "spec.resources.accelerators";
    /** The key of the reservations in the file, beside the holdings keyed by absolute paths. */
    private static final String RESERVATIONS = "reservations";
    /** How {@code get devices} names a run that reserved an accelerator none of its steps holds now. */
    public static final String RUN_PREFIX = "run/";

    /** What one attempt holds. */
    public record Holding(String holder, String label, List<String> accelerators) {
        public Holding {
            accelerators = List.copyOf(accelerators);
        }
    }

    private final Map<String, Accelerator> inventory = new LinkedHashMap<>();
    private final Map<String, Holding> holdings = new LinkedHashMap<>();
    /** Run name to the accelerators it reserved; never one of them also in another run's reservation. */
    private final Map<String, List<String>> reservations = new LinkedHashMap<>();
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

    /**
     * How many accelerators of each class neither a holding nor a reservation claims: what a run admitted now may
     * reserve.
     */
    public synchronized Map<String, Integer> unclaimedByClass() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Accelerator a : inventory.values()) {
            if (!heldNow(a.name()) && reservedBy(a.name()) == null) out.merge(a.deviceClass(), 1, Integer::sum);
        }
        return out;
    }

    /**
     * Claims for {@code run} as many accelerators of each class as {@code perClass} counts, all or nothing, among those
     * neither held nor reserved; a run that reserved already keeps what it has. False when too few are unclaimed now
     * (nothing is claimed then).
     *
     * @throws IOException when the reservation cannot be recorded (nothing is claimed then)
     */
    public synchronized boolean reserve(String run, Map<String, Integer> perClass) throws IOException {
        if (reservations.containsKey(run)) return true;
        List<String> taken = new ArrayList<>();
        for (Map.Entry<String, Integer> e : perClass.entrySet()) {
            if (e.getValue() <= 0) continue;
            List<String> unclaimed = new ArrayList<>();
            for (Accelerator a : inventory.values()) {
                if (a.deviceClass().equals(e.getKey()) && !heldNow(a.name()) && reservedBy(a.name()) == null) {
                    unclaimed.add(a.name());
                }
            }
            if (unclaimed.size() < e.getValue()) return false;
            taken.addAll(unclaimed.subList(0, e.getValue()));
        }
        if (taken.isEmpty()) return true;
        reservations.put(run, List.copyOf(taken));
        try {
            save();
        } catch (IOException e) {
            reservations.remove(run);
            throw e;
        }
        return true;
    }

    /** The accelerators {@code run} reserved; empty when it reserved none. */
    public synchronized List<String> reservation(String run) {
        return reservations.getOrDefault(run, List.of());
    }

    /** Run name to the accelerators it reserved. */
    public synchronized Map<String, List<String>> reservations() {
        return Map.copyOf(reservations);
    }

    /** Ends {@code run}'s reservation (the run ended, was cancelled, failed or went back to the queue). */
    public void unreserve(String run) {
        synchronized (this) {
            if (reservations.remove(run) == null) return;
            trySave("the end of the reservation of run " + run);
        }
        released();
    }

    /**
     * Drops the reservations of runs other than {@code running}: an agent that died after a run reserved but before
     * its start was committed, or after its end was committed but before the release was written, must not leave
     * accelerators claimed by no live run.
     */
    public void keepReservations(java.util.Set<String> running) {
        synchronized (this) {
            if (!reservations.keySet().removeIf(r -> !running.contains(r))) return;
            trySave("dropped reservations");
        }
        released();
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
        return tryAssign(holder, label, null, requests);
    }

    /**
     * As {@link #tryAssign(String, String, List)}, for a step attempt of {@code run}: it takes what its run reserved
     * first, then (a step whose App asks for more than the run reserved when it was admitted) unclaimed ones.
     */
    public synchronized Optional<List<Accelerator>> tryAssign(String holder, String label, String run,
                                                              List<AcceleratorRequest> requests) throws LaunchException {
        Holding held = holdings.get(holder);
        if (held != null) return Optional.of(resolve(held));
        impossible(requests);
        // a workload or a step instance runs one attempt at a time: another attempt's holding under the same label
        // is stale (an agent that died between taking it and recording the attempt) and must not block this one
        holdings.values().removeIf(h -> h.label().equals(label));
        List<String> taken = new ArrayList<>();
        for (AcceleratorRequest r : requests) {
            List<String> free = free(r.deviceClass(), null, run);
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
            if (free(r.deviceClass(), label, null).size() < r.count()) throw busy(requests, label);
        }
    }

    /** Gives back what {@code holder} holds; nothing when it holds nothing. */
    public void release(String holder) {
        synchronized (this) {
            if (holdings.remove(holder) == null) return;
            // the holding is gone in memory; the file drops it at the next load since its attempt has ended
            trySave("the release of " + holder);
        }
        released();
    }

    private void trySave(String what) {
        try {
            save();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record " + what + ": " + e.getMessage());
        }
    }

    private void released() {
        for (Runnable l : onRelease) {
            try {
                l.run();
            } catch (RuntimeException e) {
                // a listener that closed (the pipeline engine at shutdown) must not fail the attempt's end
                LOG.log(System.Logger.Level.DEBUG, "release listener failed: " + e);
            }
        }
    }

    /**
     * The label of the holder of accelerator {@code name}, or {@code run/<run>} for one a run reserved that none of its
     * steps holds now; empty when it is free or no accelerator.
     */
    public synchronized Optional<String> holderOf(String name) {
        for (Holding h : holdings.values()) if (h.accelerators().contains(name)) return Optional.of(h.label());
        String run = reservedBy(name);
        return run == null ? Optional.empty() : Optional.of(RUN_PREFIX + run);
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
            if (free(r.deviceClass(), label, null).size() >= r.count()) continue;
            List<String> held = new ArrayList<>();
            for (Accelerator a : inventory.values()) {
                if (!a.deviceClass().equals(r.deviceClass())) continue;
                Holding h = holdingOf(a.name());
                String run = reservedBy(a.name());
                if (h != null && !h.label().equals(label)) held.add(a.name() + " held by " + h.label());
                else if (h == null && run != null) held.add(a.name() + " reserved by run " + run);
            }
            return new LaunchException(FIELD, r.toString(), "no free accelerator of class " + r.deviceClass()
                    + " (" + String.join(", ", held) + ")");
        }
        return new LaunchException(FIELD, requests.toString(), "the accelerators are not free");
    }

    /**
     * The free accelerators of {@code cls}: held by no one (those held under {@code label} counted free; none when
     * null) and reserved by no run but {@code run} (null: by none).
     */
    private List<String> free(String cls, String label, String run) {
        List<String> mine = new ArrayList<>();
        List<String> unclaimed = new ArrayList<>();
        for (Accelerator a : inventory.values()) {
            if (!a.deviceClass().equals(cls)) continue;
            Holding h = holdingOf(a.name());
            if (h != null && !h.label().equals(label)) continue;
            String by = reservedBy(a.name());
            if (by == null) unclaimed.add(a.name());
            else if (by.equals(run)) mine.add(a.name());
        }
        mine.addAll(unclaimed); // a step takes its run's own first, so an unclaimed one stays for others
        return mine;
    }

    private Holding holdingOf(String name) {
        for (Holding h : holdings.values()) if (h.accelerators().contains(name)) return h;
        return null;
    }

    private boolean heldNow(String name) {
        return holdingOf(name) != null;
    }

    private String reservedBy(String name) {
        for (Map.Entry<String, List<String>> e : reservations.entrySet()) if (e.getValue().contains(name)) return e.getKey();
        return null;
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
            if (e.getKey().equals(RESERVATIONS)) {
                dropped |= loadReservations(e.getValue());
                continue;
            }
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

    /** Returns whether one was dropped: a reservation naming a device gone from the inventory is no one's. */
    private boolean loadReservations(JsonNode node) {
        boolean dropped = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> names = new ArrayList<>();
            e.getValue().forEach(n -> names.add(n.asText()));
            if (!inventory.keySet().containsAll(names) || names.stream().anyMatch(n -> reservedBy(n) != null)) {
                dropped = true;
                continue;
            }
            reservations.put(e.getKey(), List.copyOf(names));
        }
        return dropped;
    }

    private void save() throws IOException {
        if (file == null) return;
        ObjectNode root = JSON.createObjectNode();
        if (!reservations.isEmpty()) {
            ObjectNode r = root.putObject(RESERVATIONS);
            reservations.forEach((run, names) -> {
                ArrayNode a = r.putArray(run);
                names.forEach(a::add);
            });
        }
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
