package io.orchide.node.link;

import io.orchide.link.Bundle;
import io.orchide.link.LinkEvents;
import io.orchide.model.message.BundleIds;
import io.orchide.model.message.BundleKind;
import io.orchide.node.pipeline.run.PipelineStore;

import java.util.OptionalLong;

import static io.orchide.model.message.ProductState.DOWNLINKED;
import static io.orchide.model.message.ProductState.EXPIRED;
import static io.orchide.model.message.ProductState.QUEUED;

/**
 * What became of the bundles the node queued, as its link reports it: a product bundle ground took custody of marks
 * its product {@code downlinked}, one that expired in the queue marks it {@code expired}; every expiry, every
 * bundle a peer refused is an event for ground's next status report, and so are the sessions refused, one event per
 * peer and reason with its count and first and last time ({@link Refusals}), once a session begins: a refusal could
 * not reach ground before then anyway, and a node redialling every few seconds would otherwise send one per redial.
 * The sessions the node refused itself (a ground whose key is not the pinned one) are kept and reported the same way.
 */
final class LinkOutcomes implements LinkEvents, io.orchide.link.PeerTrust {
    private final String satellite;
    private final String node;
    private final PipelineStore products;
    private final NodeEvents events;
    private final Refusals refusals = new Refusals();

    LinkOutcomes(String satellite, String node, PipelineStore products, NodeEvents events) {
        this.satellite = satellite;
        this.node = node;
        this.products = products;
        this.events = events;
    }

    @Override
    public void acknowledged(Bundle bundle) {
        productOf(bundle).ifPresent(id -> products.productState(id, QUEUED.wire(), DOWNLINKED.wire()));
    }

    @Override
    public void expired(Bundle bundle) {
        productOf(bundle).ifPresent(id -> products.productState(id, QUEUED.wire(), EXPIRED.wire()));
        events.add("bundle/" + bundle.id(), bundle.kind() + " bundle expired before "
                + (bundle.destination().equals("ground") ? "ground took it" : "it was delivered")
                + " (created " + bundle.created() + ", lifetime " + bundle.lifetime() + ")");
    }

    @Override
    public void rejected(String peer, String bundleId, String reason) {
        // a refusal without a bundle is of the whole session (a replica whose lease on this satellite is another's)
        if (bundleId == null || bundleId.isEmpty()) refusals.refused(peer, reason, events.clock().instant());
        else events.add("bundle/" + bundleId, "refused by " + peer + ": " + reason);
    }

    /** Ground's key was proved by the TLS handshake against the pinned one(s): nothing more to judge here. */
    @Override
    public String check(String peer, String remote, java.security.PublicKey key) {
        return null;
    }

    /**
     * A ground that failed the handshake (a key the node does not pin: a fake ground, or a ground that is not speaking
     * TLS): kept, and reported at the next good contact.
     */
    @Override
    public void handshakeFailed(String remote, String reason) {
        refusals.refusedByNode("the ground at " + (remote.startsWith("/") ? remote.substring(1) : remote), reason,
                events.clock().instant());
    }

    @Override
    public void contactOpened(io.orchide.link.PeerContact peer) {
        for (Refusals.Entry e : refusals.drain()) events.add(e.last(), "link", e.message());
        onContact.run();
    }

    private volatile Runnable onContact = () -> { };

    /** Has {@code r} run at the start of each contact, after the refusals held for it became events. */
    void onContact(Runnable r) {
        onContact = java.util.Objects.requireNonNull(r, "r");
    }

    private OptionalLong productOf(Bundle b) {
        if (!b.kind().equals(BundleKind.PRODUCT.wire())) return OptionalLong.empty();
        return BundleIds.productOf(satellite, node, b.id());
    }
}
