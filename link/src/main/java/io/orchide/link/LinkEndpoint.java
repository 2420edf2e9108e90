package io.orchide.link;

import io.orchide.link.session.Core;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.ConvergenceLayer;

import java.util.List;

/**
 * One side of the link: a durable outgoing queue sent by priority while a contact is open, custody of incoming
 * bundles (stored before acknowledged), delivery in arrival order, dedup and expiry. A node dials ground; ground
 * listens for many peers (one session per peer name, guarded by a lease in the store).
 */
public final class LinkEndpoint implements AutoCloseable {
    private final Core core;

    private LinkEndpoint(Core core) {
        this.core = core;
    }

    /** Opens the endpoint over its durable store; nothing is sent until a contact is open and a session exists. */
    public static LinkEndpoint open(LinkConfig cfg, LinkStore store, ConvergenceLayer transport,
                                    Deliveries deliveries, LinkEvents events) {
        return open(cfg, store, transport, deliveries, events, PeerTrust.ANY_PEER_UNAUTHENTICATED);
    }

    /**
     * Opens the endpoint with {@code trust} judging each peer after its HELLO (see {@link PeerTrust}); over a secure
     * transport ({@link io.orchide.link.secure.TlsConvergenceLayer}) it sees the key the peer proved.
     */
    public static LinkEndpoint open(LinkConfig cfg, LinkStore store, ConvergenceLayer transport,
                                    Deliveries deliveries, LinkEvents events, PeerTrust trust) {
        return new LinkEndpoint(new Core(cfg, store, transport, deliveries, events, trust));
    }

    /** Queues a bundle durably (it is on disk when this returns) and returns its header. */
    public Bundle send(Outgoing o) {
        return core.send(o);
    }

    /**
     * Queues a bundle under the caller's {@code id}, idempotently: if a bundle with this id is stored already (queued,
     * sent, or queued by another process on a shared store) it is returned and nothing new is queued, so an
     * application can derive ids from what it sends and re-send after a crash without doubling anything.
     */
    public Bundle send(String id, Outgoing o) {
        return core.send(id, o);
    }

    /**
     * Queues a payload read as a stream, so a large one never has to fit in memory; idempotent under {@code id}
     * like {@link #send(String, Outgoing)}.
     */
    public Bundle send(String id, String destination, String kind, int priority, java.time.Duration lifetime,
                       PayloadSource payload) {
        return core.send(id, destination, kind, priority, lifetime, payload);
    }

    /**
     * Keeps one session with the peer at any of {@code addresses} while the contact is open, redialling when cut:
     * {@code host:port[,host:port...]}, a name standing for each of its addresses. The targets are tried in turn; the
     * endpoint stays on the one where a session began, and pauses (doubling from the retry delay up to four times it)
     * only after a whole round failed. Throws a {@link LinkException} naming the text when it is not such a list.
     */
    public void dial(String addresses) {
        core.dial(addresses);
    }

    /** Where dialling stands (the address in use or being tried, the last failure), or null if this endpoint only listens. */
    public DialStatus dialStatus() {
        return core.dialStatus();
    }

    /** Accepts sessions from peers at {@code address}; returns the bound {@code host:port}. */
    public String listen(String address) {
        return core.listen(address);
    }

    /**
     * Replaces the info this endpoint introduces itself with, from the next session on (a session under way keeps
     * the hello it began with): for facts that become known after the endpoint started.
     */
    public void introduce(String info) {
        core.introduce(info);
    }

    public void openContact() {
        core.openContact();
    }

    /** Closes the contact: the current sessions are cut at once and no new one starts until it is opened again. */
    public void closeContact() {
        core.closeContact();
    }

    public boolean contactOpen() {
        return core.contactOpen();
    }

    public LinkStats stats(String peer) {
        return core.stats(peer);
    }

    public List<LinkStats> peers() {
        return core.peers();
    }

    /** Bundles still queued towards {@code peer}, in the order they will be sent. */
    public List<Bundle> queued(String peer) {
        return core.queued(peer);
    }

    /**
     * Stops sessions, listeners, dialling and delivery, handing this process's leases on peers' sessions back as the
     * sessions end (a peer that redials is served by another process on the same store at once, not when the lease
     * would have expired); the store stays open (its owner closes it).
     */
    @Override
    public void close() {
        core.close();
    }
}
