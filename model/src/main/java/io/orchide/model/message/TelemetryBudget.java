package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Cursor;

/**
 * A satellite's housekeeping settings as its operator set them on ground ({@link BundleKind#TELEMETRY_BUDGET}):
 * {@code bytesPerDay} the satellite's nodes may send (0: not set, the node's default), {@code intervalSeconds} the
 * width of one housekeeping interval (0: not set, the node's own setting), and {@code version}, increasing with each
 * change so that a node never takes older settings after newer ones.
 */
public record TelemetryBudget(long bytesPerDay, int version, long intervalSeconds) {
    /** The least budget ground accepts: a day of a single node's state at the coarsest resolution still fits. */
    public static final long MIN_BYTES_PER_DAY = 4096;
    /** The widest housekeeping interval: a day. */
    public static final long MAX_INTERVAL_SECONDS = 86_400;

    public TelemetryBudget {
        if (bytesPerDay != 0 && bytesPerDay < MIN_BYTES_PER_DAY) {
            throw new IllegalArgumentException("bytesPerDay " + bytesPerDay + ": at least " + MIN_BYTES_PER_DAY);
        }
        if (intervalSeconds < 0 || intervalSeconds > MAX_INTERVAL_SECONDS) {
            throw new IllegalArgumentException("intervalSeconds " + intervalSeconds + ": from 1 to " + MAX_INTERVAL_SECONDS + " (0: not set)");
        }
    }

    /** A budget alone, the interval left to the node. */
    public TelemetryBudget(long bytesPerDay, int version) {
        this(bytesPerDay, version, 0);
    }

    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("bytesPerDay", bytesPerDay);
        o.put("version", version);
        if (intervalSeconds > 0) o.put("intervalSeconds", intervalSeconds);
        return Messages.bytes(o);
    }

    public static TelemetryBudget decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.TELEMETRY_BUDGET.wire(), payload, c -> {
            c.allowOnly("bytesPerDay", "version", "intervalSeconds");
            Cursor b = c.field("bytesPerDay");
            Long bytes = b.size(0);
            if (bytes != null && bytes != 0 && bytes < MIN_BYTES_PER_DAY) { // 0: the operator set only the interval
                b.error("must be at least " + MIN_BYTES_PER_DAY + " bytes (0: not set)");
                bytes = null;
            }
            Cursor v = c.field("version");
            Integer version = v.integer(1, Integer.MAX_VALUE);
            if (!v.present()) v.missing();
            if (!b.present()) b.missing();
            Integer interval = c.field("intervalSeconds").integer(1, MAX_INTERVAL_SECONDS);
            return new TelemetryBudget(bytes == null ? MIN_BYTES_PER_DAY : bytes, version == null ? 1 : version,
                    interval == null ? 0 : interval);
        });
    }
}
