package io.orchide.node.broker;

import io.orchide.model.DatasetSpec;
import io.orchide.model.DeviceGrant;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.ToIntBiFunction;

/**
 * One pull socket ({@link BrokerSocket}), one request directory ({@link BrokerDirectory}, beside the socket, its
 * name ending in {@code .d}) and one directory of Solo5 mailboxes ({@link BrokerMailbox}, its name ending in
 * {@code .mbox}, a file per attempt) for each app and pipeline a grant names, at the path {@code socketPath} gives;
 * opened when a grant first names it, closed when no grant names it any more. A grant for a whole tenant names no app
 * or pipeline and opens no socket: its workloads ask through the sockets of the grants that name them. An app or
 * pipeline that declares models ({@code spec.models}) has its channel opened by {@link #forModels} without a grant,
 * kept until {@link #forget} says it is deleted or no longer declares models: the channel only says who asks; the
 * broker still decides each request (a device verb by the grants, {@code infer} by the models the caller declares
 * and that allow its tenant). A channel closed because nothing wants it any more takes its socket file and its
 * request directory with it; one closed because the agent stops ({@link #close}) leaves the directory's requests for
 * the next agent.
 */
public final class BrokerSockets implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BrokerSockets.class.getName());

    private final Broker broker;
    private final BiFunction<String, String, Path> socketPath;
    private final ToIntBiFunction<String, String> priority;
    private final Map<String, BrokerSocket> open = new HashMap<>();
    private final Map<String, BrokerDirectory> directories = new HashMap<>();
    private final Map<String, BrokerMailbox> mailboxes = new HashMap<>();
    /** Who each open channel speaks for: tenant, kind, name. */
    private final Map<String, List<String>> speaksFor = new HashMap<>();
    /** The apps and pipelines given a channel for their models, by key: tenant, kind, name. */
    private final Map<String, List<String>> modelUsers = new HashMap<>();
    private List<DeviceGrant> lastGrants = List.of();

    /**
     * Over {@code broker}; {@code socketPath} gives the socket of a kind and name, {@code priority} the priority of a
     * pipeline (kind, name) now.
     */
    public BrokerSockets(Broker broker, BiFunction<String, String, Path> socketPath, ToIntBiFunction<String, String> priority) {
        this.broker = broker;
        this.socketPath = socketPath;
        this.priority = priority;
    }

    /** Opens the sockets {@code grants} name that are not open, closes those they no longer name. */
    public synchronized void refresh(List<DeviceGrant> grants) {
        lastGrants = List.copyOf(grants);
        // a model user's channel first: a grant naming the same app or pipeline for another tenant takes its place
        Map<String, List<String>> wanted = new HashMap<>(modelUsers);
        for (DeviceGrant g : grants) {
            String tenant = g.metadata().tenant();
            for (String a : g.spec().apps()) wanted.put(key(DatasetSpec.Principals.APP, a), List.of(tenant, DatasetSpec.Principals.APP, a));
            for (String p : g.spec().pipelines()) wanted.put(key(DatasetSpec.Principals.PIPELINE, p), List.of(tenant, DatasetSpec.Principals.PIPELINE, p));
        }
        for (String k : new HashSet<>(open.keySet())) {
            // a channel never changes whom it speaks for: another tenant's gets a new one
            if (!wanted.containsKey(k) || !wanted.get(k).equals(speaksFor.get(k))) close(k, true);
        }
        for (var e : wanted.entrySet()) {
            if (open.containsKey(e.getKey())) continue;
            List<String> who = e.getValue();
            java.util.function.Supplier<Caller> caller =
                    () -> new Caller(who.get(0), who.get(1), who.get(2), priority.applyAsInt(who.get(1), who.get(2)));
            Path socket = socketPath.apply(who.get(1), who.get(2));
            try {
                open.put(e.getKey(), BrokerSocket.open(socket, caller, broker));
                directories.put(e.getKey(), BrokerDirectory.open(directoryOf(socket), caller, broker));
                mailboxes.put(e.getKey(), BrokerMailbox.open(mailboxesOf(socket), caller, broker));
                speaksFor.put(e.getKey(), who);
            } catch (IOException ex) {
                LOG.log(System.Logger.Level.WARNING, "cannot open the broker socket of " + who.get(1) + " " + who.get(2) + ": " + ex.getMessage());
            }
        }
    }

    /**
     * The socket of the {@code kind} {@code name} of {@code tenant}, an app or pipeline that declares models, opened now
     * if it is not open; empty when a grant names that app or pipeline for another tenant (the channel speaks for that
     * tenant's) or the socket cannot be opened.
     */
    public synchronized Optional<Path> forModels(String tenant, String kind, String name) {
        String k = key(kind, name);
        List<String> who = List.of(tenant, kind, name);
        if (!who.equals(modelUsers.get(k))) {
            modelUsers.put(k, who);
            refresh(lastGrants);
        }
        return open.containsKey(k) && who.equals(speaksFor.get(k)) ? Optional.of(open.get(k).path()) : Optional.empty();
    }

    /**
     * The app or pipeline {@code kind} {@code name} is deleted, or (an app, at its next start) no longer declares models:
     * its channel closes unless a grant names it. Asked once its workloads have ended or are being stopped (a deleted
     * pipeline's cancelled runs), so that no channel closes under a workload meant to keep running.
     */
    public synchronized void forget(String kind, String name) {
        if (modelUsers.remove(key(kind, name)) != null) refresh(lastGrants);
    }

    /** The socket paths open now. */
    public synchronized Set<Path> paths() {
        Set<Path> out = new HashSet<>();
        open.values().forEach(s -> out.add(s.path()));
        return out;
    }

    /**
     * The socket of the {@code kind} {@code name} of {@code tenant} when one of {@code grants} names it for that tenant:
     * a workload of another tenant that happens to bear the name gets none, since the socket speaks for the grant's.
     */
    public static Optional<Path> socketFor(List<DeviceGrant> grants, String tenant, String kind, String name,
                                           BiFunction<String, String, Path> socketPath) {
        for (DeviceGrant g : grants) {
            if (!g.metadata().tenant().equals(tenant)) continue;
            List<String> named = DatasetSpec.Principals.PIPELINE.equals(kind) ? g.spec().pipelines() : g.spec().apps();
            if (named.contains(name)) return Optional.of(socketPath.apply(kind, name));
        }
        return Optional.empty();
    }

    /** The request directory beside {@code socket}: {@code pipeline-ship-detect.d} for {@code pipeline-ship-detect.sock}. */
    public static Path directoryOf(Path socket) {
        String n = socket.getFileName().toString();
        return socket.resolveSibling((n.endsWith(".sock") ? n.substring(0, n.length() - 5) : n) + ".d");
    }

    /** The directory of Solo5 mailboxes beside {@code socket}: {@code app-probe.mbox} for {@code app-probe.sock}. */
    public static Path mailboxesOf(Path socket) {
        String n = socket.getFileName().toString();
        return socket.resolveSibling((n.endsWith(".sock") ? n.substring(0, n.length() - 5) : n) + ".mbox");
    }

    private static String key(String kind, String name) {
        return kind + "/" + name;
    }

    /** Closes the channel {@code k}; {@code forGood} removes its request directory too. */
    private void close(String k, boolean forGood) {
        speaksFor.remove(k);
        BrokerSocket s = open.remove(k);
        BrokerDirectory d = directories.remove(k);
        BrokerMailbox m = mailboxes.remove(k);
        try {
            if (m != null) m.close();
            if (s != null) s.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close the broker socket of " + k + ": " + e.getMessage());
        }
        try {
            if (d != null && forGood) d.remove();
            else if (d != null) d.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close the request directory of " + k + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        for (String k : new HashSet<>(open.keySet())) close(k, false);
    }
}
