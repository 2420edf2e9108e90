package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Cursor;

/**
 * The housekeeping a satellite may send a day, as its operator set it on ground ({@link BundleKind#TELEMETRY_BUDGET}):
 * {@code bytesPerDay} for the whole satellite, {@code version} increasing with each change so that a node never
 * takes an older budget after a newer one.
 */
public record TelemetryBudget(long bytesPerDay, int version) {
    /** The least budget ground accepts: a day of a single node's state at the coarsest resolution still fits. */
    public static final long MIN_BYTES_PER_DAY = 4096;

    public TelemetryBudget {
        if (bytesPerDay < MIN_BYTES_PER_DAY) {
            throw new IllegalArgumentException("bytesPerDay " + bytesPerDay + ": at least " + MIN_BYTES_PER_DAY);
        }
    }

    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("bytesPerDay", bytesPerDay);
        o.put("version", version);
        return Messages.bytes(o);
    }

    public static TelemetryBudget decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.TELEMETRY_BUDGET.wire(), payload, c -> {
            c.allowOnly("bytesPerDay", "version");
            Long bytes = c.field("bytesPerDay").size(MIN_BYTES_PER_DAY);
            Cursor v = c.field("version");
            Integer version = v.integer(1, Integer.MAX_VALUE);
            if (!v.present()) v.missing();
            Cursor b = c.field("bytesPerDay");
            if (!b.present()) b.missing();
            return new TelemetryBudget(bytes == null ? MIN_BYTES_PER_DAY : bytes, version == null ? 1 : version);
        });
    }
}
