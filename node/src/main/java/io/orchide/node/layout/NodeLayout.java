package io.orchide.node.layout;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Every path of a node's data directory, in one place: the agent builds its parts from it, and the twin and the
 * benches find a node's files through it instead of spelling the names out again. The names are part of what an
 * operator sees on disk (docs/operations.md), so they change only with a migration of existing data directories.
 *
 * <pre>
 * agent.lock                                 held while an agent uses the directory
 * node.token                                 the local API's bearer token (mode 0600, made at first start)
 * node.db                                    workloads, runs, pipelines, products, ledgers (SQLite, WAL)
 * link.db                                    the link's durable queues
 * bin/                                       the installed shim
 * runtime/                                   the drivers' state (probe results)
 * images/                                    content-addressed images (manifests/, trees/, the chunk store)
 * workloads/&lt;name&gt;/console.log              a workload's console, across attempts
 * workloads/&lt;name&gt;/runs/&lt;attempt&gt;/           one attempt's monitor directory
 * workloads/&lt;name&gt;/image/                    the workload's resolved image
 * pipelines/runs/&lt;run&gt;/&lt;step&gt;[.&lt;item&gt;]/&lt;attempt&gt;/   a step attempt's monitor directory
 * pipelines/workspaces/&lt;run&gt;/               a run's inputs and outputs
 * outbox/                                    products waiting for downlink
 * datasets/&lt;name&gt;/                          datasets, written by sensors and read by pipelines
 * datasets/&lt;name&gt;/.dataset.json             a declared dataset's manifest, for writers outside the agent
 * </pre>
 */
public record NodeLayout(Path root) {
    public NodeLayout {
        root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    public static NodeLayout of(Path dataDir) {
        return new NodeLayout(dataDir);
    }

    /** The file an agent holds an exclusive lock on while it uses this directory. */
    public Path agentLock() { return root.resolve("agent.lock"); }

    /** The bearer token every call of the local API must carry; made at first start, kept across restarts. */
    public Path token() { return root.resolve("node.token"); }

    /** The node's private Ed25519 key for the link (mode 0600, made by {@code orchide node init}, never sent). */
    public Path nodeKey() { return root.resolve("node.key"); }

    /** The node's public key, the one an operator registers on ground ({@code create satellite --node-key}). */
    public Path nodePublicKey() { return root.resolve("node.pub"); }

    /**
     * The operator's root metadata pinned at install ({@code orchide node init --root FILE}): when it is there, the
     * node boots only images signed by a key that root delegated to their tenant.
     */
    public Path trustRoot() { return root.resolve("root.json"); }

    /** The node's database: only {@link io.orchide.node.store.NodeDatabase} opens it. */
    /** The sealed Secrets ground sent, one {@code <name>.json} each (mode 0600, in a 0700 directory). */
    public Path secrets() { return root.resolve("secrets"); }

    public Path database() { return root.resolve("node.db"); }

    /** Rows answered for before node.db has them (see {@link io.orchide.node.store.RecordJournal}). */
    public Path recordJournal() { return root.resolve("node.journal"); }

    /** The link's own store (durable queues, custody). */
    public Path linkDatabase() { return root.resolve("link.db"); }

    /** Where the shim binary is installed. */
    public Path bin() { return root.resolve("bin"); }

    /** The drivers' state directory (probe results cached across starts). */
    public Path runtimeState() { return root.resolve("runtime"); }

    /** The content-addressed image store. */
    public Path images() { return root.resolve("images"); }

    /** The directory holding every workload's directory. */
    public Path workloads() { return root.resolve("workloads"); }

    public Path workload(String name) { return workloads().resolve(segment(name)); }

    /** A workload's console, appended to by every attempt. */
    public Path workloadConsole(String name) { return workload(name).resolve("console.log"); }

    /** The monitor directory of one attempt of a workload (attempts count from 1). */
    public Path workloadAttempt(String name, int attempt) {
        return workload(name).resolve("runs").resolve(Integer.toString(attempt));
    }

    /** Where a workload's image is resolved to (unpacked OCI images, kernels taken out of them). */
    public Path workloadImage(String name) { return workload(name).resolve("image"); }

    /** A scratch directory where an App is prepared once before it is accepted, removed afterwards. */
    public Path preflight(String name) { return workloads().resolve(".preflight").resolve(segment(name)); }

    /** The pipeline engine's directory. */
    public Path pipelines() { return root.resolve("pipelines"); }

    /** The directory holding every pipeline run's step monitor directories. */
    public Path pipelineRuns() { return pipelines().resolve("runs"); }

    /** One run's step monitor directories ({@code <step>[.<item>]/<attempt>/}). */
    public Path pipelineRun(String run) { return pipelineRuns().resolve(segment(run)); }

    /** The monitor directory of one attempt of a step (of one item of a fan-out step, when item is not null). */
    public Path stepAttempt(String run, String step, Integer item, int attempt) {
        return pipelineRun(run).resolve(item == null ? segment(step) : segment(step) + "." + item)
                .resolve(Integer.toString(attempt));
    }

    /** The directory holding every run's workspace. */
    public Path workspaces() { return pipelines().resolve("workspaces"); }

    /** Products waiting for downlink. */
    public Path outbox() { return root.resolve("outbox"); }

    /** The device broker's pull sockets, one per app or pipeline a grant names. */
    public Path broker() { return root.resolve("broker"); }

    /** Which attempt holds which accelerator, kept across agent restarts. */
    public Path accelerators() { return root.resolve("accelerators.json"); }

    /** The broker socket of the {@code kind} ({@code app} or {@code pipeline}) {@code name}. */
    public Path brokerSocket(String kind, String name) { return broker().resolve(segment(kind + "-" + name) + ".sock"); }

    /** The directory holding every dataset. */
    public Path datasets() { return root.resolve("datasets"); }

    public Path dataset(String name) { return datasets().resolve(segment(name)); }

    /**
     * The name, inside a dataset's directory, of the copy of its declaration (a {@code kind: Dataset} manifest as
     * JSON) that writers outside the agent (the twin's camera, a device process) read for its quota. Hidden, so that
     * no trigger fires on it and no listing shows it.
     */
    public static final String DATASET_DECLARATION = ".dataset.json";

    public Path datasetDeclaration(String name) { return dataset(name).resolve(DATASET_DECLARATION); }

    /** A name used as one path segment: a name that would leave its directory is a caller's bug. */
    private static String segment(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.indexOf('\0') >= 0)
            throw new IllegalArgumentException("not a single path segment: '" + name + "'");
        return name;
    }
}
