package io.orchide.model.message;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of bundle ground and nodes exchange, each with the priority and lifetime its bundles are sent with; the
 * link carries them without reading them. Priorities order what goes first in a contact (higher first): a node's
 * report before ground's desired state, that before events and images. A product travels at its own downlink
 * priority and lives until its retention ends.
 */
public enum BundleKind {
    /** Ground to node: one desired-state change (an App or Pipeline applied or deleted), {@link DesiredChange}. */
    DESIRED("desired", 80, Duration.ofDays(30)),
    /**
     * Ground to node: a tenant's on-board quota, {@link TenantQuota}; ahead of desired state, so that the changes
     * sent with it in one contact are admitted under it.
     */
    QUOTA("quota", 85, Duration.ofDays(30)),
    /**
     * Ground to node: signed documents of the chain of trust (a root rotation, a tenant's delegation), {@link TrustUpdate};
     * ahead of desired state, whose images they may be needed to verify.
     */
    TRUST("trust", 86, Duration.ofDays(30)),
    /** Ground to node: a named event for onEvent triggers, {@link EventCommand}; stale after a day. */
    EVENT("event", 70, Duration.ofDays(1)),
    /** Ground to node: an image's manifest (digest, size, chunk list) as JSON. */
    IMAGE_MANIFEST("image-manifest", 60, Duration.ofDays(30)),
    /** Ground to node: a pack of image chunks the node does not hold yet. */
    IMAGE_CHUNKS("image-chunks", 60, Duration.ofDays(30)),
    /** Node to ground: a snapshot of workloads, finished runs, events and log excerpts, {@link StatusReport}. */
    REPORT("report", 90, Duration.ofDays(7)),
    /**
     * Ground to node: an operation on a dataset's files asked by a tenant through ground (list, copy, move, delete),
     * {@link DatasetCommand}; done at the contact it arrives in, answered with a {@link #DATASET_RESULT}.
     */
    DATASET_COMMAND("dataset-command", 75, Duration.ofDays(7)),
    /**
     * Node to ground: the outcome of a {@link #DATASET_COMMAND} with the node's datasets as they are after it (files,
     * use against quota), {@link DatasetResult}; ahead of desired state, behind the status report.
     */
    DATASET_RESULT("dataset-result", 88, Duration.ofDays(7)),
    /**
     * Node to ground: a dataset's file a {@link #DATASET_COMMAND} {@code get} asked for, too large to ride in its
     * answer, {@link DatasetFile}; carried like a product (in pieces, resumed where a contact cut it), behind the
     * answers and ahead of whole logs.
     */
    DATASET_FILE("dataset-file", 45, Duration.ofDays(7)),
    /**
     * Node to ground: a product file with its lineage, {@link ProductPayload}; sent at the product's own priority,
     * living until the product expires (no fixed priority or lifetime).
     */
    PRODUCT("product", -1, null),
    /**
     * Node to ground: per-interval summaries of the node's metrics and its log summaries, {@link Housekeeping};
     * behind reports (state changes first) and ahead of desired state's bulk and products.
     */
    HOUSEKEEPING("housekeeping", 75, Duration.ofDays(30)),
    /** Ground to node: the satellite's housekeeping budget in bytes a day, {@link TelemetryBudget}. */
    TELEMETRY_BUDGET("telemetry-budget", 85, Duration.ofDays(30)),
    /** Ground to node: a request for the whole log of a workload, {@link LogRequest}. */
    LOG_REQUEST("log-request", 70, Duration.ofDays(7)),
    /** Node to ground: the whole log a {@link LogRequest} asked for, {@link FullLog}; after housekeeping. */
    FULL_LOG("full-log", 40, Duration.ofDays(7));

    private final String wire;
    private final int priority;
    private final Duration lifetime;

    BundleKind(String wire, int priority, Duration lifetime) {
        this.wire = wire;
        this.priority = priority;
        this.lifetime = lifetime;
    }

    /** The kind as bundles carry it. */
    public String wire() {
        return wire;
    }

    /** The priority (0..100) bundles of this kind are sent with. */
    public int priority() {
        if (lifetime == null) throw new IllegalStateException(wire + " bundles carry their own priority");
        return priority;
    }

    /** How long a bundle of this kind lives before the link drops it. */
    public Duration lifetime() {
        if (lifetime == null) throw new IllegalStateException(wire + " bundles carry their own lifetime");
        return lifetime;
    }

    /** The kind a bundle says it is, empty for a kind not listed here. */
    public static Optional<BundleKind> fromWire(String wire) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(wire)).findFirst();
    }
}
