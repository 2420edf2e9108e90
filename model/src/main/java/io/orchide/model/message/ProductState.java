package io.orchide.model.message;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a product is on its way down, as the node records it and reports it: {@code outbox} (written, waiting for
 * the link) → {@code queued} (in the link's store) → {@code downlinked} (ground took custody). One that expired
 * before it went is {@code expired}; one larger than a bundle may be is {@code too-large}.
 */
public enum ProductState {
    OUTBOX("outbox"), QUEUED("queued"), DOWNLINKED("downlinked"), EXPIRED("expired"), TOO_LARGE("too-large");

    private final String wire;

    ProductState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Whether the product's file on board is no longer needed: down, or never going to be. */
    public boolean done() {
        return this == DOWNLINKED || this == EXPIRED || this == TOO_LARGE;
    }

    public static Optional<ProductState> fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
    }
}
