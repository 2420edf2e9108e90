package io.orchide.twin.link;

import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of an emulator's radio, shared by all its connections: the rate (a {@link TokenBucket}), the loss
 * draws (a {@link Random} seeded from the emulator's seed and the direction) and the counters of that direction.
 */
final class Lane {
    /** Ground to satellite, or satellite to ground. */
    enum Direction {
        UP, DOWN;

        long bitsPerSecond(LinkShape shape) {
            return this == UP ? shape.upBitsPerSecond() : shape.downBitsPerSecond();
        }
    }

    /** Burst allowance of the bucket: one chunk. */
    static final int BURST_BYTES = Pipe.CHUNK_BYTES;

    private final Direction direction;
    private final SimTime time;
    private final TokenBucket bucket;
    private final Random random;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder framesLost = new LongAdder();

    Lane(Direction direction, SimTime time, long seed) {
        this.direction = direction;
        this.time = time;
        this.bucket = new TokenBucket(time, BURST_BYTES);
        this.random = new Random(seed ^ (0x9E3779B97F4A7C15L * (direction.ordinal() + 1)));
    }

    Direction direction() {
        return direction;
    }

    SimTime time() {
        return time;
    }

    /**
     * Waits until {@code bytes} have crossed the radio under {@code shape}: their share of the rate, then for every
     * frame lost a retransmission timeout and the time to send it again. Propagation delay is not included.
     */
    void transmit(int bytes, LinkShape shape) throws InterruptedException {
        long rate = direction.bitsPerSecond(shape);
        bucket.acquire(bytes, rate);
        if (shape.loss() <= 0) {
            return;
        }
        int lost = 0;
        long lostBytes = 0;
        for (int offset = 0; offset < bytes; offset += LinkShape.FRAME_BYTES) {
            if (random.nextDouble() < shape.loss()) {
                lost++;
                lostBytes += Math.min(LinkShape.FRAME_BYTES, bytes - offset);
            }
        }
        if (lost > 0) {
            framesLost.add(lost);
            time.sleep(SimTime.saturatedMultiply(SimTime.saturatedNanos(shape.retransmissionTimeout()), lost));
            bucket.acquire(lostBytes, rate);
        }
    }

    /** Counts {@code bytes} delivered to the far side. */
    void delivered(int bytes) {
        delivered.add(bytes);
    }

    /** A new contact: the rate starts with a full bucket. */
    void reset() {
        bucket.reset();
    }

    long bytesDelivered() {
        return delivered.sum();
    }

    long framesLost() {
        return framesLost.sum();
    }
}
