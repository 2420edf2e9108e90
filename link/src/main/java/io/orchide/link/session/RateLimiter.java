package io.orchide.link.session;

/**
 * A token bucket on bytes written: {@code rate} bytes per second of real time, a burst of at most
 * {@code capacity}; a write larger than what is available runs the bucket into debt and waits it off. 0 = unlimited.
 */
public final class RateLimiter {
    private final long rate;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    public RateLimiter(long rate, long capacity) {
        this.rate = rate;
        this.capacity = Math.max(1, capacity);
    }

    public void acquire(int bytes) throws InterruptedException {
        if (rate <= 0) return;
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * (rate / 1e9));
            last = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / rate);
        }
        if (waitNanos > 0) Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
}
