package io.orchide.ground.link;

import io.orchide.link.Bundle;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkStats;
import io.orchide.link.Outgoing;

import java.util.List;

/** The production {@link Uplink}: the ground's {@link LinkEndpoint}. */
public final class EndpointUplink implements Uplink {
    private final LinkEndpoint endpoint;

    public EndpointUplink(LinkEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Bundle send(String id, Outgoing o) {
        return endpoint.send(id, o);
    }

    @Override
    public LinkStats stats(String satellite) {
        return endpoint.stats(satellite);
    }

    @Override
    public List<LinkStats> peers() {
        return endpoint.peers();
    }

    @Override
    public boolean contactOpen() {
        return endpoint.contactOpen();
    }

    @Override
    public void openContact() {
        endpoint.openContact();
    }

    @Override
    public void closeContact() {
        endpoint.closeContact();
    }
}
