package io.orchide.node.link;

import io.orchide.link.Bundle;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.node.NodeConfig;
import io.orchide.node.apply.Applier;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.pipeline.PipelineNode;
import io.orchide.node.store.NodeDatabase;
import io.orchide.node.workload.Reconciler;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The node's end of the link to ground: its own store ({@code link.db}), dialling ground whenever the contact is
 * open, taking desired state, events and images from it, and sending status reports and products down. Nothing here
 * waits for ground: with no contact the node goes on, and what it has to say stays queued on disk.
 */
public final class GroundLink implements AutoCloseable {
    /** The largest bundle the node takes from ground. */
    static final long MAX_INCOMING = 8L * 1024 * 1024;

    private final LinkStore store;
    private final LinkEndpoint endpoint;
    private final ChangeLoop downlink;
    private final NodeConfig.GroundSettings settings;
    private final NodeEvents events;

    private GroundLink(LinkStore store, LinkEndpoint endpoint, ChangeLoop downlink,
                       NodeConfig.GroundSettings settings, NodeEvents events) {
        this.events = events;
        this.store = store;
        this.endpoint = endpoint;
        this.downlink = downlink;
        this.settings = settings;
    }

    /**
     * Opens the link's store and endpoint, wires the intake and the downlink, and starts dialling ground.
     *
     * @param facts          the node's hello (see {@link NodeFacts})
     * @param contactOpen    whether the contact starts open (null: open), as asked before the link was up
     */
    public static GroundLink start(NodeConfig.GroundSettings s, NodeLayout layout, NodeDatabase nodeDb, Reconciler reconciler,
                                   PipelineNode pipelines, Applier manifests, ContentImages contentImages, String facts, Clock clock,
                                   Boolean contactOpen)
            throws SQLException {
        ImageIntake images = new StoredImages(contentImages);
        LinkStore store = LinkStore.sqlite(layout.linkDatabase());
        ChangeLoop[] loop = new ChangeLoop[1];
        Runnable changed = () -> {
            if (loop[0] != null) loop[0].changed();
        };
        NodeEvents events = new NodeEvents(clock, changed);
        DesiredApplier applier = new DesiredApplier(manifests, reconciler, pipelines.pipelines(),
                new DesiredLedger(nodeDb.writer()), events, clock);
        UplinkIntake intake = new UplinkIntake(applier, pipelines.pipelines(), images, events);
        // what the node accepts is bounded by its small heap: ground sends images as 1 MiB packs of chunks
        LinkConfig cfg = new LinkConfig(s.satellite(), facts, s.rateBytesPerSecond(), 0, MAX_INCOMING, null, null, null,
                clock);
        ProductDownlink[] products = new ProductDownlink[1];
        LinkEndpoint endpoint = LinkEndpoint.open(cfg, store, new TcpConvergenceLayer(), intake, new LinkEvents() {
            @Override
            public void acknowledged(Bundle bundle) {
                if (products[0] != null) products[0].acknowledged(bundle);
            }

            @Override
            public void expired(Bundle bundle) {
                if (products[0] != null) products[0].expired(bundle);
                events.add("bundle/" + bundle.id(), bundle.kind() + " bundle expired before "
                        + (bundle.destination().equals("ground") ? "ground took it" : "it was delivered")
                        + " (created " + bundle.created() + ", lifetime " + bundle.lifetime() + ")");
            }

            @Override
            public void rejected(String peer, String bundleId, String reason) {
                events.add("bundle/" + bundleId, "refused by " + peer + ": " + reason);
            }
        });
        products[0] = new ProductDownlink(s.satellite(), s.nodeName(), endpoint, pipelines.store(),
                LinkConfig.DEFAULT_MAX_BUNDLE - 64 * 1024, clock);
        StatusReporter reporter = new StatusReporter(s.nodeName(), endpoint, reconciler, pipelines.store(), events, clock);
        loop[0] = new ChangeLoop(List.of(products[0]::sweep, reporter::reportIfChanged), s.reportDelay());
        reconciler.store().onChange(changed);
        pipelines.onChange(changed);
        applier.retryPending(); // changes that waited for an image before a reboot: the image may be here now
        loop[0].start();
        if (Boolean.FALSE.equals(contactOpen)) endpoint.closeContact();
        endpoint.dial(s.address());
        return new GroundLink(store, endpoint, loop[0], s, events);
    }

    public LinkEndpoint endpoint() { return endpoint; }

    public NodeConfig.GroundSettings settings() { return settings; }

    /** Replaces the node's hello for the sessions that start from now on (its facts became known after the start). */
    public void introduce(String facts) {
        endpoint.introduce(facts);
    }

    /** An event of the node's own (its storage running low, say), for ground with the next status report. */
    public void report(String subject, String message) {
        events.add(subject, message);
    }

    @Override
    public void close() throws Exception {
        downlink.close();
        endpoint.close();
        store.close();
    }
}
