package io.orchide.node.pipeline.trigger;

import io.orchide.model.Trigger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fires schedule triggers ({@link Trigger.Schedule}): {@code every} at anchor + k * every (the anchor is the
 * subscription's first registration, kept in the ledger across restarts), {@code cron} at each matching minute
 * (UTC), {@code at} once. Time comes only from the injected {@link Clock}; waiting is the {@link Scheduler}'s: one
 * timer per subscription, armed for its next due time and re-armed after each fire. No polling.
 *
 * <p><b>Exactly once</b>: each fire goes through the {@link FiredSchedules} ledger, which records the due time in
 * the transaction that hands it to the subscriber and refuses any due time not after the last one recorded. A
 * clock that goes backwards therefore never fires a due time twice; the timer just waits for the next one.
 *
 * <p><b>Catch-up rule</b>: when due times were missed (the agent was off, the link was down for weeks, the clock
 * jumped forward, or the subscriber kept failing) they are <em>not</em> replayed. The subscription fires once for
 * the whole missed window, with the latest missed due time and {@link ScheduleFire#catchUp()} set, then continues
 * on schedule. An {@code at} in the past that never fired fires once at start (a catch-up). Due times before a
 * subscription's first registration are never owed.
 *
 * <p><b>Failures</b>: a subscriber that throws rolls the ledger back; the same due time is retried after
 * {@code retryDelay} (or replaced by a later one, as a catch-up, if one has passed meanwhile).
 */
public final class ScheduleTrigger implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ScheduleTrigger.class.getName());

    private final FiredSchedules ledger;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Duration retryDelay;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

    private ScheduleTrigger(FiredSchedules ledger, Clock clock, Scheduler scheduler, Duration retryDelay) {
        if (retryDelay.isNegative() || retryDelay.isZero())
            throw new IllegalArgumentException("retryDelay must be positive, not " + retryDelay);
        this.ledger = ledger;
        this.clock = clock;
        this.scheduler = scheduler;
        this.retryDelay = retryDelay;
    }

    public static ScheduleTrigger start(FiredSchedules ledger, Clock clock, Scheduler scheduler, Duration retryDelay) {
        return new ScheduleTrigger(ledger, clock, scheduler, retryDelay);
    }

    /**
     * Subscribes {@code subscriber} to {@code schedule}: registers it in the ledger (anchoring it now, if new), fires
     * the catch-up it is owed, if any, and arms its timer. One subscription per name.
     */
    public void subscribe(String subscriber, Trigger.Schedule schedule, ScheduleSubscriber callback)
            throws SQLException {
        ScheduleTimes.validate(schedule);
        FiredSchedules.State state = ledger.register(subscriber, clock.instant());
        Subscription s = new Subscription(subscriber, new ScheduleTimes(schedule, state.anchor()), callback,
                state.lastDue());
        if (subscriptions.putIfAbsent(subscriber, s) != null)
            throw new IllegalArgumentException("subscriber already scheduled: " + subscriber);
        s.start();
    }

    /** Stops the timer of {@code subscriber}; its ledger row (anchor, last due time) is kept for the next start. */
    public void unsubscribe(String subscriber) {
        Subscription s = subscriptions.remove(subscriber);
        if (s != null) s.cancel();
    }

    /** Stops every timer. Due times not yet fired are owed at the next start (as one catch-up). */
    @Override
    public void close() {
        subscriptions.keySet().forEach(this::unsubscribe);
    }

    /** One subscription's timer; its methods run one at a time. */
    private final class Subscription {
        private final String name;
        private final ScheduleTimes times;
        private final ScheduleSubscriber callback;
        private Instant lastDue;
        private Scheduler.Handle handle;
        private boolean cancelled;

        Subscription(String name, ScheduleTimes times, ScheduleSubscriber callback, Instant lastDue) {
            this.name = name;
            this.times = times;
            this.callback = callback;
            this.lastDue = lastDue;
        }

        synchronized void start() {
            Instant now = clock.instant();
            Instant owed = times.latestOwed(lastDue, now);
            if (owed != null) arm(owed, true, now);
            else armNext(now);
        }

        /** Arms the timer for the first due time after both {@code t} and the last one fired. */
        private void armNext(Instant t) {
            Instant from = lastDue != null && lastDue.isAfter(t) ? lastDue : t;
            Instant next = times.after(from);
            if (next != null) arm(next, false, next);
        }

        private void arm(Instant due, boolean catchUp, Instant at) {
            if (!cancelled) handle = scheduler.schedule(() -> due(due, catchUp), at);
        }

        private synchronized void due(Instant due, boolean catchUp) {
            if (cancelled) return;
            Instant now = clock.instant();
            if (now.isBefore(due)) { // early, or the clock went backwards: wait for the due time
                arm(due, catchUp, due);
                return;
            }
            Instant owed = times.latestOwed(lastDue, now);
            if (owed == null) { // already fired (the ledger is ahead of this timer)
                armNext(now);
                return;
            }
            if (owed.isAfter(due)) { // later due times passed while waiting: one catch-up for all of them
                due = owed;
                catchUp = true;
            }
            try {
                ScheduleFire fire = new ScheduleFire(name, due, catchUp);
                if (ledger.fire(fire, callback)) {
                    callback.committed(fire);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "schedule " + name + ": " + due + " already fired");
                }
                lastDue = due;
                armNext(now);
            } catch (Exception | Error failure) {
                LOG.log(System.Logger.Level.WARNING, "schedule " + name + " failed at due time " + due
                        + ", retried in " + retryDelay + ": " + failure, failure);
                arm(due, catchUp, now.plus(retryDelay));
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (handle != null) handle.cancel();
        }
    }
}
