package io.orchide.node.pipeline.run;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current version of each pipeline applied on the node: written by {@link Pipelines} as pipelines are applied,
 * restored and deleted, read by the engine for a pipeline's concurrency when it admits runs and by the broker for a
 * pipeline's priority when it arbitrates a device. Made before both, so that neither waits for the other to exist.
 */
public final class AppliedPipelines {
    private final Map<String, StoredPipeline> current = new ConcurrentHashMap<>();

    StoredPipeline get(String name) {
        return current.get(name);
    }

    void put(String name, StoredPipeline sp) {
        current.put(name, sp);
    }

    StoredPipeline remove(String name) {
        return current.remove(name);
    }

    Collection<StoredPipeline> values() {
        return current.values();
    }

    /** The tenant of {@code pipeline}, or null for a pipeline that is not applied. */
    public String tenant(String pipeline) {
        StoredPipeline sp = current.get(pipeline);
        return sp == null ? null : sp.pipeline().metadata().tenant();
    }

    /** The priority of {@code pipeline} now, or 0 for a pipeline that is not applied. */
    public int priority(String pipeline) {
        StoredPipeline sp = current.get(pipeline);
        return sp == null ? 0 : sp.pipeline().spec().priority();
    }

    /** How many runs of {@code pipeline} may run at once (1 for a pipeline that is not applied). */
    public int concurrency(String pipeline) {
        StoredPipeline sp = current.get(pipeline);
        return sp == null ? 1 : sp.pipeline().spec().concurrency();
    }
}
