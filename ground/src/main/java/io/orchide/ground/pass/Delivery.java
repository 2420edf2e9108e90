package io.orchide.ground.pass;

/**
 * When a satellite's uplink queue will be through, as {@link DeliveryEstimate} judged it: {@code queuedBytes} (the
 * whole queue towards the satellite, the latest change included), whether a session with it is up now, its next pass
 * ({@code next}, possibly one already on), and {@code throughBy}, the first pass by whose LOS the passes from
 * {@code next} on carry the whole queue ({@code next} itself when it fits; null when no pass within
 * {@link DeliveryEstimate#HORIZON} does). Without a pass, {@code noPass} says why (no TLE, no station, none ahead).
 */
public record Delivery(long queuedBytes, boolean inContact, Pass next, Pass throughBy, String noPass) {
    public Delivery {
        if (queuedBytes < 0) throw new IllegalArgumentException("queuedBytes: must be 0 or more (got " + queuedBytes + ")");
        if ((next == null) == (noPass == null)) {
            throw new IllegalArgumentException("noPass: set exactly when there is no next pass (got " + noPass + ")");
        }
    }

    /** The next pass's uplink capacity carries the whole queue. */
    public boolean fits() {
        return next != null && queuedBytes <= next.uplinkBytes();
    }
}
