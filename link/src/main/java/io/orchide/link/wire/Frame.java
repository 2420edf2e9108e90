package io.orchide.link.wire;

import io.orchide.link.Bundle;

import java.util.List;

/** One unit on the wire between two link endpoints. */
public sealed interface Frame {
    /** First frame each way: protocol version, endpoint name and the application's info JSON. */
    record Hello(int version, String name, String info) implements Frame { }

    /** Sent once the peer's name is known: own queue towards it and, per partially received bundle, bytes held. */
    record State(long queuedBundles, long queuedBytes, List<Held> resume) implements Frame { }

    record Held(String id, long bytes) { }

    /** A bundle's header; its segments from {@code offset} follow. */
    record BundleStart(Bundle bundle, long offset) implements Frame { }

    record Segment(String id, long offset, byte[] data) implements Frame { }

    /** The receiver holds {@code held} bytes of the bundle in custody; {@code complete} once whole and verified. */
    record Ack(String id, long held, boolean complete) implements Frame { }

    /**
     * The receiver refused a bundle (or, with an empty id, the session). {@code permanent}: do not send it again;
     * otherwise restart it from offset 0.
     */
    record Reject(String id, boolean permanent, String reason) implements Frame { }
}
