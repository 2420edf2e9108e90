package io.orchide.link;

/** What the link tells the application besides deliveries. All methods are called on link threads; keep them short. */
public interface LinkEvents {
    LinkEvents NONE = new LinkEvents() { };

    /** A session with {@code peer} started: its hello was received (and, on a shared store, its lease taken). */
    default void contactOpened(PeerContact peer) { }

    /** The session with {@code peer} ended (closed, cut, or lost). */
    default void contactClosed(String peer) { }

    /** The receiver took custody of a bundle we sent: it is stored on the other side and will not be sent again. */
    default void acknowledged(Bundle bundle) { }

    /** A bundle we held was dropped because its lifetime ended before it could be sent or delivered. */
    default void expired(Bundle bundle) { }

    /** The other side (or this side, for an incoming one) refused a bundle, with the reason. */
    default void rejected(String peer, String bundleId, String reason) { }
}
