package io.orchide.ground.link;

import io.orchide.link.Bundle;
import io.orchide.link.LinkStats;
import io.orchide.link.Outgoing;

import java.util.List;

/**
 * What ground needs of its link endpoint, so that the store and the API can be exercised without a live link.
 * {@link EndpointUplink} is the production one over {@link io.orchide.link.LinkEndpoint}.
 */
public interface Uplink {
    /**
     * Queues a bundle durably under {@code id}; idempotent by id: a second call with the same id returns the bundle
     * already queued (or already sent) and queues nothing.
     */
    Bundle send(String id, Outgoing o);

    /** The link's view of one satellite, or null when the link knows nothing of it. */
    LinkStats stats(String satellite);

    /** Every peer the link knows. */
    List<LinkStats> peers();

    boolean contactOpen();

    void openContact();

    void closeContact();
}
