package io.orchide.link.session;

import io.orchide.link.Bundle;
import io.orchide.link.Deliveries;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEvents;
import io.orchide.link.store.LinkStore;
import io.orchide.link.store.StoreUnavailableException;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands bundles stored whole (custody taken) to the application, in arrival order, on a thread of its own: each
 * until {@link Deliveries#deliver} returns, then marked delivered; one whose lifetime ended first is dropped and
 * reported. Only the process holding the source's lease delivers its bundles. Woken by {@link #signal}; after a
 * failure it tries again after the configured retry delay.
 */
final class DeliveryLoop implements AutoCloseable {
    private final LinkConfig cfg;
    private final LinkStore store;
    private final Deliveries deliveries;
    private final LinkEvents events;
    private final Leases leases;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition deliverable = lock.newCondition();
    private final Thread thread;
    private boolean pending = true;
    private volatile boolean closed;

    DeliveryLoop(LinkConfig cfg, LinkStore store, Deliveries deliveries, LinkEvents events, Leases leases) {
        this.cfg = cfg;
        this.store = store;
        this.deliveries = deliveries;
        this.events = events;
        this.leases = leases;
        this.thread = Thread.ofVirtual().name("link-deliver-" + cfg.localName()).start(this::loop);
    }

    /** A bundle was stored whole: deliver it. */
    void signal() {
        lock.lock();
        try {
            pending = true;
            deliverable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!closed) {
            boolean progress = false, blocked = false;
            try {
                lock.lock();
                try {
                    pending = false;
                } finally {
                    lock.unlock();
                }
                Set<String> refused = new HashSet<>();
                for (Bundle b : store.deliverable(64)) {
                    if (closed) return;
                    if (refused.contains(b.source())) continue;
                    if (!leases.acquire(b.source())) {
                        refused.add(b.source());
                        blocked = true;
                        continue;
                    }
                    try {
                        if (store.postgres() && !leases.confirm(b.source())) { // another replica took it meanwhile
                            refused.add(b.source());
                            blocked = true;
                            continue;
                        }
                        if (b.expiredAt(cfg.clock().instant())) {
                            store.dropIn(b.id());
                            Core.safe(() -> events.expired(b));
                            progress = true;
                            continue;
                        }
                        byte[] payload = store.readIn(b.id());
                        try {
                            deliveries.deliver(b, payload);
                        } catch (Exception e) {
                            Core.LOG.log(StoreUnavailableException.isCause(e) ? System.Logger.Level.DEBUG
                                    : System.Logger.Level.WARNING, "link: delivery of {0} failed, will retry: {1}", b.id(), e);
                            blocked = true;
                            break;
                        }
                        store.delivered(b);
                        progress = true;
                    } finally {
                        leases.release(b.source());
                    }
                }
            } catch (RuntimeException e) {
                if (closed) return;
                Core.LOG.log(StoreUnavailableException.isCause(e) ? System.Logger.Level.DEBUG
                        : System.Logger.Level.WARNING, "link: delivery loop: " + e);
                blocked = true;
            }
            if (progress) continue;
            lock.lock();
            try {
                if (closed) return;
                if (blocked) deliverable.await(cfg.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
                else while (!pending && !closed) deliverable.await();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            deliverable.signalAll();
        } finally {
            lock.unlock();
        }
        thread.join(5000);
    }
}
