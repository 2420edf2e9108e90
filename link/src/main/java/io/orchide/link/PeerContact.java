package io.orchide.link;

import java.time.Instant;

/**
 * A peer as it introduced itself when a contact opened: its endpoint name, the application's {@code info} (a JSON
 * document, e.g. a node's arch, cores, memory and monitors), and the size of its own outgoing queue towards us.
 */
public record PeerContact(String name, String info, long queuedBundles, long queuedBytes, Instant at) {
}
