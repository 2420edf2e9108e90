package io.orchide.twin.link;

/**
 * A token bucket in simulated time: bytes leave at a given rate after a burst of at most {@code burstBytes}.
 * Callers reserve their bytes in arrival order and then sleep outside the lock until their turn, so several
 * connections share one rate fairly. The rate is passed with each request, so a new contact shape applies to the
 * next chunk.
 */
final class TokenBucket {
    private final SimTime time;
    private final long burstBytes;
    /** The simulated instant at which everything reserved so far has left (the bucket is full again). */
    private long drainedAt = Long.MIN_VALUE;

    TokenBucket(SimTime time, long burstBytes) {
        if (burstBytes <= 0) {
            throw new IllegalArgumentException("burstBytes: must be > 0 (got " + burstBytes + ")");
        }
        this.time = time;
        this.burstBytes = burstBytes;
    }

    /** Waits until {@code bytes} may leave at {@code bitsPerSecond} (0 = unlimited: no wait). */
    void acquire(long bytes, long bitsPerSecond) throws InterruptedException {
        if (bytes <= 0 || bitsPerSecond <= 0) {
            return;
        }
        long releaseAt;
        synchronized (this) {
            long start = Math.max(drainedAt, time.now());
            drainedAt = SimTime.saturatedAdd(start, nanosFor(bytes, bitsPerSecond));
            releaseAt = drainedAt - nanosFor(burstBytes, bitsPerSecond);
        }
        time.sleepUntil(releaseAt);
    }

    /** Forgets every reservation: the bucket is full (a new contact starts). */
    synchronized void reset() {
        drainedAt = Long.MIN_VALUE;
    }

    /** Simulated nanoseconds to send {@code bytes} at {@code bitsPerSecond}, rounded up. */
    static long nanosFor(long bytes, long bitsPerSecond) {
        double nanos = Math.ceil(bytes * 8.0 * 1e9 / bitsPerSecond);
        return nanos >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : (long) nanos;
    }
}
