package io.orchide.ground.auth;

import io.orchide.ground.store.GroundDatabase;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link AuthChanges} of a ground that shares PostgreSQL with other replicas: each change sends a notification on
 * {@value #CHANNEL} with its commit, and a session of this replica's own (outside the pool) listens on that channel.
 *
 * <p>Trusted only while that session is known to work: it has listened since the last time it was (re)opened, the
 * pool does not see the database down, and the server answered a ping of this session within {@link #TRUST_NANOS}
 * (a ping every {@link #PING_AFTER_NANOS}, so that a connection cut without a word is noticed too), everything it sent
 * before that answer taken in. Every time it stops being trusted, and every time it starts listening again, the
 * generation moves: nothing read before can be used again, since changes may have gone unheard in between.
 *
 * <p>A change made here raises the generation after its commit and then waits (at most {@link #ACK_WAIT_MILLIS})
 * until every replica that was listening at the change (their sessions are named {@code orchide-auth-*} once they
 * listen, and the change looks them up in {@code pg_stat_activity} in its own transaction) has acknowledged its
 * notification on {@value #ACKS}, which each sends after raising its own generation: when the change's request is
 * answered, no replica serves from its cache what the change made stale. A replica that does not acknowledge in time
 * (stalled, frozen) is logged; since the wait is longer than {@link #TRUST_NANOS}, that replica no longer trusts its
 * cache by then: the server answers its pings only after the notification, so its last answered ping is older than the
 * change.
 */
final class ListenedChanges implements AuthChanges {
    /** The notification channel of authentication changes. */
    static final String CHANNEL = "orchide_auth";
    /** Where each replica acknowledges a change's notification: {@code TAG SESSION}. */
    static final String ACKS = "orchide_auth_ack";
    static final String SESSION_PREFIX = "orchide-auth-";
    private static final System.Logger LOG = System.getLogger("io.orchide.ground.auth");
    private static final int POLL_MILLIS = 500;
    private static final long PING_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long TRUST_NANOS = TimeUnit.SECONDS.toNanos(4);
    private static final int PING_TIMEOUT_MILLIS = 5000;
    /** Longer than {@link #TRUST_NANOS}: a replica that has not acknowledged by then no longer trusts its cache. */
    private static final long ACK_WAIT_MILLIS = 5000;
    private static final long MAX_BACKOFF_MILLIS = 5000;

    private final GroundDatabase db;
    private final String name;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    /** The changes made here that wait for acknowledgements, by tag. */
    private final ConcurrentHashMap<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final Thread listener;
    private volatile boolean listening;
    /** When the server last answered the listening session: System.nanoTime(), elapsed time only. */
    private volatile long heardNanos;
    private volatile boolean closed;

    ListenedChanges(GroundDatabase db) {
        this.db = db;
        this.name = SESSION_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        this.listener = Thread.ofVirtual().name("ground-auth-listener").start(this::listenUntilClosed);
    }

    /** The {@code application_name} of the listening session, as {@code pg_stat_activity} shows it. */
    String sessionName() { return name; }

    /** How many times the session has started listening: a new one after each break. */
    long sessions() { return sessions.get(); }

    @Override
    public long generation() { return generation.get(); }

    @Override
    public boolean trusted() {
        return listening && System.nanoTime() - heardNanos < TRUST_NANOS && db.available();
    }

    /** The sessions a change waits for, and those that acknowledged it. */
    private static final class Waiting {
        private final Set<String> expected = new HashSet<>();
        private final Set<String> acknowledged = new HashSet<>();

        synchronized void expect(Set<String> sessions) {
            expected.clear();
            expected.addAll(sessions);
        }

        synchronized void acknowledged(String session) {
            acknowledged.add(session);
            notifyAll();
        }

        /** Waits until every expected session acknowledged, or {@code millis} passed; those that did not. */
        synchronized Set<String> await(long millis) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long left; !acknowledged.containsAll(expected) && (left = end - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(acknowledged);
            return missing;
        }
    }

    @Override
    public Change begin() {
        String tag = name + ":" + sent.incrementAndGet();
        Waiting w = new Waiting();
        return new Change() {
            @Override
            public void announce(Connection c) throws SQLException {
                waiting.put(tag, w);
                Set<String> listening = new HashSet<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT application_name FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND application_name LIKE ?")) {
                    ps.setString(1, SESSION_PREFIX + "%");
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) listening.add(rs.getString(1));
                    }
                }
                w.expect(listening);
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    ps.setString(1, CHANNEL);
                    ps.setString(2, tag);
                    ps.execute();
                }
            }

            @Override
            public void end(boolean committed) {
                generation.incrementAndGet();
                try {
                    if (!committed || !trusted()) return; // acknowledgements come through the listening session
                    Set<String> missing = w.await(ACK_WAIT_MILLIS);
                    if (!missing.isEmpty()) {
                        LOG.log(System.Logger.Level.WARNING, "authentication change {0}: no acknowledgement within {1} ms "
                                + "from {2}", tag, ACK_WAIT_MILLIS, missing);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    waiting.remove(tag);
                }
            }
        };
    }

    private void listenUntilClosed() {
        long backoff = 100;
        boolean reported = false;
        while (!closed) {
            try (Connection c = db.dedicatedConnection()) {
                c.setNetworkTimeout(Runnable::run, PING_TIMEOUT_MILLIS);
                long sent = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    s.execute("LISTEN " + ACKS);
                    // named only once listening: a change waits for the acknowledgement of every session so named
                    s.execute("SET application_name = '" + name + "'");
                }
                generation.incrementAndGet(); // changes made before LISTEN were not heard: forget what was read then
                heardNanos = sent;
                listening = true;
                sessions.incrementAndGet();
                if (reported) LOG.log(System.Logger.Level.INFO, "listening for authentication changes again: cached API tokens are used");
                reported = false;
                backoff = 100;
                listen(c);
            } catch (SQLException | RuntimeException e) {
                distrust();
                if (!closed && !reported) {
                    LOG.log(System.Logger.Level.WARNING, "not listening for authentication changes ({0}): every "
                            + "request reads its token from the database until listening again", e.getMessage());
                    reported = true;
                }
            }
            distrust();
            if (closed) return;
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
            heard(c, pg.getNotifications(POLL_MILLIS));
            if (System.nanoTime() - heardNanos > PING_AFTER_NANOS) {
                long sent = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                // the server sent whatever it had for this session before its answer: taken in before trusting anew
                heard(c, pg.getNotifications());
                heardNanos = sent;
            }
        }
    }

    /** Takes in what the listening session received: changes (raising the generation, then acknowledged), acknowledgements. */
    private void heard(Connection c, PGNotification[] ns) throws SQLException {
        if (ns == null || ns.length == 0) return;
        List<String> changes = new ArrayList<>();
        for (PGNotification n : ns) {
            if (n.getName().equals(CHANNEL)) {
                changes.add(n.getParameter());
            } else {
                int space = n.getParameter().indexOf(' ');
                Waiting w = space < 0 ? null : waiting.get(n.getParameter().substring(0, space));
                if (w != null) w.acknowledged(n.getParameter().substring(space + 1));
            }
        }
        if (changes.isEmpty()) return;
        generation.incrementAndGet(); // before any acknowledgement: the change's answer waits for it
        for (String tag : changes) {
            if (tag.startsWith(name + ":")) { // made here: its generation moved at its commit already
                Waiting own = waiting.get(tag);
                if (own != null) own.acknowledged(name);
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, ACKS);
                ps.setString(2, tag + " " + name);
                ps.execute();
            }
        }
    }

    private void distrust() {
        listening = false;
        generation.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        distrust();
        listener.interrupt();
    }
}
