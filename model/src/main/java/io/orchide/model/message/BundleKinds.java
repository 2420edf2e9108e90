package io.orchide.model.message;

/** The kinds of bundle ground and nodes exchange; the link carries them without reading them. */
public final class BundleKinds {
    /** Ground to node: one desired-state change (an App or Pipeline applied or deleted), {@link DesiredChange}. */
    public static final String DESIRED = "desired";
    /** Ground to node: an image's manifest (digest, size, chunk list) as JSON. */
    public static final String IMAGE_MANIFEST = "image-manifest";
    /** Ground to node: a pack of image chunks the node does not hold yet. */
    public static final String IMAGE_CHUNKS = "image-chunks";
    /** Ground to node: a named event for onEvent triggers, {@link EventCommand}. */
    public static final String EVENT = "event";
    /** Node to ground: a snapshot of workloads, finished runs, events and log excerpts, {@link StatusReport}. */
    public static final String REPORT = "report";
    /** Node to ground: a product file with its lineage, {@link ProductPayload}. */
    public static final String PRODUCT = "product";

    private BundleKinds() {
    }
}
