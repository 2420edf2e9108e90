package io.orchide.link.session;

import io.orchide.link.Bundle;
import io.orchide.link.store.StoreUnavailableException;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.orchide.link.session.Core.LOG;

/**
 * An endpoint's timers: expiry of queued and incoming bundles, lease renewal, following the store's availability
 * (sessions cut while it is down) and the sessions' liveness, each on the thread that suits it.
 */
final class Housekeeping implements AutoCloseable {
    private final Core core;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService livenessTimer;
    private final Backoff sweepBackoff = new Backoff(16), purgeBackoff = new Backoff(16);
    /** Whether the sessions were cut for the store being unavailable (timer thread only). */
    private boolean cutForStore;

    Housekeeping(Core core) {
        this.core = core;
        String name = core.cfg.localName();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "link-timer-" + name));
        // a thread of its own: the housekeeping timer may wait on the database, and a dead session must still end
        this.livenessTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "link-liveness-" + name));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::sweepOutgoing, 100, 250, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::purgeIncoming, 1, 2, TimeUnit.SECONDS);
        long renew = core.leases.renewEvery().toMillis();
        timer.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
        long check = Math.max(20, Math.min(1000, core.cfg.idleTimeout().toMillis() / 20));
        livenessTimer.scheduleWithFixedDelay(this::checkLiveness, check, check, TimeUnit.MILLISECONDS);
    }

    private void sweepOutgoing() {
        if (sweepBackoff.skip()) return;
        try {
            if (core.store.postgres()) core.resyncShared();
            core.expiredBy(core.now()).forEach(core::expire);
            sweepBackoff.succeeded();
        } catch (RuntimeException e) {
            if (!StoreUnavailableException.isCause(e)) LOG.log(System.Logger.Level.WARNING, "link: expiry sweep failed: " + e);
            else sweepBackoff.failed();
        }
        followStore();
    }

    /**
     * While the store cannot reach its database this endpoint can take custody of nothing: its sessions are cut (once,
     * when that is first seen) so that their peers move on to another endpoint on the same store, and new ones are
     * refused ({@link Core#attach}) until the store answers again. Timer thread only.
     */
    private void followStore() {
        boolean down = !core.store.available();
        if (down == cutForStore) return;
        cutForStore = down;
        if (!down) {
            LOG.log(System.Logger.Level.DEBUG, "link: the store answers again; accepting sessions");
            return;
        }
        List<Session> cut = core.attached();
        // the outage itself is the store owner's to report: this says only what it did to sessions, if anything
        LOG.log(cut.isEmpty() ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, "link: the store is unavailable; "
                + "cutting {0} session(s) and refusing new ones until it is back", cut.size());
        for (Session s : cut) s.cut(Core.STORE_UNAVAILABLE);
    }

    private void purgeIncoming() {
        if (purgeBackoff.skip()) return;
        try {
            for (Bundle b : core.store.purge(core.now())) {
                LOG.log(System.Logger.Level.INFO, "link: incoming bundle {0} from {1} expired before delivery", b.id(), b.source());
                Core.safe(() -> core.events.expired(b));
            }
            purgeBackoff.succeeded();
        } catch (RuntimeException e) {
            if (!StoreUnavailableException.isCause(e)) LOG.log(System.Logger.Level.WARNING, "link: purge failed: " + e);
            else purgeBackoff.failed();
        }
    }

    private void renewLeases() {
        for (String peer : core.leases.renew()) {
            LOG.log(System.Logger.Level.WARNING, "link: lost the lease on {0}; cutting its session", peer);
            Session s = core.attached(peer);
            if (s != null) s.cut("lease lost");
        }
        followStore();
    }

    private void checkLiveness() {
        for (Session s : core.all()) {
            try {
                s.checkLiveness();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "link: liveness check of the session with " + s.peer + " failed", e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        livenessTimer.shutdownNow();
    }
}
