package io.orchide.node.link;

import io.orchide.link.Bundle;
import io.orchide.link.Deliveries;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.LinkStats;
import io.orchide.link.PeerContact;
import io.orchide.web.telemetry.Collector;
import io.orchide.web.telemetry.Counter;
import io.orchide.web.telemetry.MetricFamily;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's link as metrics: bundles and their payload bytes by direction ({@code out}: taken into ground's
 * custody, {@code in}: taken whole from ground) and priority, counted where the link reports them; and, read at each
 * scrape, the bundles and bytes still queued towards ground by priority, the contact and session state and the bytes
 * the link sent and received on the wire. Priorities are 0 to 100, so the label has at most 101 values.
 */
public final class LinkTraffic implements Collector {
    static final String GROUND = "ground";

    private final Counter bundles = new Counter("orchide_link_bundles_total",
            "Bundles through the link by direction (out: ground took custody, in: taken whole from ground) and priority.",
            "direction", "priority");
    private final Counter bytes = new Counter("orchide_link_payload_bytes_total",
            "Payload bytes of the bundles through the link by direction and priority.", "direction", "priority");
    private volatile LinkEndpoint endpoint;

    /** {@code d}, counting each bundle it took (once it returned: a delivery that throws is offered again). */
    Deliveries counting(Deliveries d) {
        return (bundle, payload) -> {
            d.deliver(bundle, payload);
            count("in", bundle);
        };
    }

    /** {@code e}, counting each bundle ground acknowledged. */
    LinkEvents counting(LinkEvents e) {
        return new LinkEvents() {
            @Override public void contactOpened(PeerContact peer) { e.contactOpened(peer); }

            @Override public void contactClosed(String peer) { e.contactClosed(peer); }

            @Override public void acknowledged(Bundle bundle) {
                count("out", bundle);
                e.acknowledged(bundle);
            }

            @Override public void expired(Bundle bundle) { e.expired(bundle); }

            @Override public void rejected(String peer, String bundleId, String reason) { e.rejected(peer, bundleId, reason); }
        };
    }

    void watch(LinkEndpoint e) {
        this.endpoint = e;
    }

    private void count(String direction, Bundle b) {
        String p = Integer.toString(b.priority());
        bundles.inc(direction, p);
        bytes.inc(b.size(), direction, p);
    }

    @Override
    public List<MetricFamily> collect() {
        List<MetricFamily> out = new ArrayList<>(bundles.collect());
        out.addAll(bytes.collect());
        LinkEndpoint e = endpoint;
        if (e == null) return out;
        Map<Integer, long[]> queued = new TreeMap<>();
        for (Bundle b : e.queued(GROUND)) {
            long[] q = queued.computeIfAbsent(b.priority(), k -> new long[2]);
            q[0]++;
            q[1] += b.size();
        }
        MetricFamily.Builder backlog = MetricFamily.gauge("orchide_link_backlog_bundles",
                "Bundles queued for the link, not yet in the peer's custody, by direction and priority.", "direction", "priority");
        MetricFamily.Builder backlogBytes = MetricFamily.gauge("orchide_link_backlog_bytes",
                "Payload bytes of the bundles queued for the link by direction and priority.", "direction", "priority");
        queued.forEach((p, q) -> {
            backlog.add(q[0], "out", Integer.toString(p));
            backlogBytes.add(q[1], "out", Integer.toString(p));
        });
        out.add(backlog.build());
        out.add(backlogBytes.build());
        LinkStats st = e.stats(GROUND);
        out.add(MetricFamily.gauge("orchide_link_partial_incoming_bundles",
                "Bundles partly received from ground, to be resumed at the next contact.").add(st.partialIncoming()).build());
        out.add(MetricFamily.counter("orchide_link_bytes_total",
                "Bytes the link sent and received on the wire since the agent started, by direction.", "direction")
                .add(st.bytesSent(), "out").add(st.bytesReceived(), "in").build());
        out.add(MetricFamily.gauge("orchide_link_contact_open",
                "1 while the contact is open (the link may talk to ground), 0 otherwise.").add(e.contactOpen() ? 1 : 0).build());
        out.add(MetricFamily.gauge("orchide_link_connected", "1 while a session with ground is up, 0 otherwise.")
                .add(st.connected() ? 1 : 0).build());
        if (st.lastContact() != null) {
            out.add(MetricFamily.gauge("orchide_link_last_contact_timestamp_seconds",
                    "When the node was last in contact with ground (now while connected), in seconds since the epoch.")
                    .add(st.lastContact().toEpochMilli() / 1000.0).build());
        }
        return out;
    }
}
