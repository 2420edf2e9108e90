package io.orchide.twin.link;

import io.orchide.orbit.GroundStation;
import java.time.Duration;
import java.util.Objects;

/**
 * What the radio does to the bytes of a contact: a rate per direction, a one-way propagation delay and a frame
 * loss probability. Rates and delay are in simulated time (the emulator's clock).
 *
 * @param upBitsPerSecond   ground to satellite (upstream server to accepted client); 0 = unlimited
 * @param downBitsPerSecond satellite to ground (accepted client to upstream server); 0 = unlimited
 * @param delay             one-way propagation delay
 * @param loss              probability in [0, 1) that a frame of {@link #FRAME_BYTES} is lost on the radio and sent
 *                          again after a {@linkplain #retransmissionTimeout() retransmission timeout}
 * @throws IllegalArgumentException naming the field and the value when a value is out of range
 */
public record LinkShape(long upBitsPerSecond, long downBitsPerSecond, Duration delay, double loss) {

    /** The size of a radio frame: the unit that is lost and retransmitted. */
    public static final int FRAME_BYTES = 1024;

    /** The shortest retransmission timeout, whatever the delay. */
    public static final Duration MIN_RETRANSMISSION_TIMEOUT = Duration.ofMillis(200);

    /** No limit on rate, no delay, no loss. */
    public static final LinkShape UNLIMITED = new LinkShape(0, 0, Duration.ZERO, 0);

    public LinkShape {
        if (upBitsPerSecond < 0) {
            throw invalid("upBitsPerSecond", "must be >= 0", upBitsPerSecond);
        }
        if (downBitsPerSecond < 0) {
            throw invalid("downBitsPerSecond", "must be >= 0", downBitsPerSecond);
        }
        if (delay == null) {
            throw invalid("delay", "must not be null", null);
        }
        if (delay.isNegative()) {
            throw invalid("delay", "must be >= 0", delay);
        }
        if (!(loss >= 0 && loss < 1)) {
            throw invalid("loss", "must be within [0, 1)", loss);
        }
    }

    /** The rates of {@code station} with the given delay and loss. */
    public static LinkShape of(GroundStation station, Duration delay, double loss) {
        Objects.requireNonNull(station, "station");
        return new LinkShape(station.upRateBps(), station.downRateBps(), delay, loss);
    }

    /** How long a sender waits before sending a lost frame again: max(200 ms, 2 x delay), in simulated time. */
    public Duration retransmissionTimeout() {
        Duration roundTrip = delay.multipliedBy(2);
        return roundTrip.compareTo(MIN_RETRANSMISSION_TIMEOUT) > 0 ? roundTrip : MIN_RETRANSMISSION_TIMEOUT;
    }

    private static IllegalArgumentException invalid(String field, String rule, Object value) {
        return new IllegalArgumentException(field + ": " + rule + " (got " + value + ")");
    }
}
