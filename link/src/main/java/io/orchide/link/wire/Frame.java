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

    /**
     * Nothing to say, and alive: sent by a side that has sent nothing else for its keepalive interval, and once right
     * after STATE to tell the peer that this side keeps the session alive (so the peer may end it when it falls
     * silent). On the wire it is an ACK of {@link FrameCodec#KEEPALIVE_ID} holding 0 bytes, which every version of
     * the protocol reads as a no-op: a peer from before keepalives takes it in its stride and is never timed out.
     */
    record Keepalive() implements Frame { }
}
