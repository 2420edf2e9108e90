package io.orchide.ground.store;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * A small bounded connection pool: at most {@code size} connections in use at once, idle ones kept for reuse.
 * {@link Connection#close()} on a handed-out connection gives it back (rolled back and in auto-commit mode).
 *
 * <p>It outlives its database going away: a connection that failed for lack of the database (see
 * {@link Dialect#unavailable}) is closed when given back instead of kept, and every connection opened before that
 * failure is closed rather than handed out again (they share the server that went away); a connection idle for longer
 * than {@code validateAfterIdleMillis} is checked with {@link Connection#isValid} before it is handed out. Opening a
 * connection is never retried here: the caller learns at once that the database is unavailable, and
 * {@link DatabaseHealth} hears of every failure and success.
 */
final class Pool implements DataSource, AutoCloseable {
    /** Opens one physical connection, configured. */
    @FunctionalInterface
    interface Factory {
        Connection open() throws SQLException;
    }

    private record Idle(Connection connection, long generation, long sinceNanos) { }

    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final Factory factory;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();
    private final long waitMillis;
    private final long validateAfterNanos;
    private final DatabaseHealth health;
    /** Raised on each connection lost for lack of the database: connections of an older generation are not reused. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean closed;

    Pool(Factory factory, int size, long waitMillis, long validateAfterIdleMillis, DatabaseHealth health) {
        this.factory = factory;
        this.permits = new Semaphore(size, true);
        this.waitMillis = waitMillis;
        this.validateAfterNanos = TimeUnit.MILLISECONDS.toNanos(validateAfterIdleMillis);
        this.health = health;
    }

    DatabaseHealth health() { return health; }

    @Override
    public Connection getConnection() throws SQLException {
        if (closed) throw new SQLException("pool closed");
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLTimeoutException("no database connection free within " + waitMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted waiting for a connection", e);
        }
        try {
            long gen = generation.get();
            Connection c = reusable(gen);
            if (c == null) {
                try {
                    c = factory.open();
                } catch (SQLException e) {
                    if (Dialect.unavailable(e)) health.down(e);
                    throw e;
                }
                health.up();
            }
            return wrap(c, gen);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** An idle connection of the current generation that still works, or null. */
    private Connection reusable(long gen) {
        for (Idle i; (i = idle.pollFirst()) != null; ) {
            Connection c = i.connection();
            try {
                if (i.generation() == gen && !c.isClosed()) {
                    // elapsed time since it was given back, for housekeeping only: monotonic, not the business clock
                    if (System.nanoTime() - i.sinceNanos() < validateAfterNanos) return c;
                    if (c.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                        health.up();
                        return c;
                    }
                }
            } catch (SQLException e) {
                // not usable: closed below
            }
            quietlyClose(c);
        }
        return null;
    }

    private Connection wrap(Connection physical, long gen) {
        AtomicBoolean given = new AtomicBoolean();
        AtomicBoolean broken = new AtomicBoolean();
        InvocationHandler h = (proxy, m, args) -> {
            switch (m.getName()) {
                case "close" -> {
                    if (given.compareAndSet(false, true)) release(physical, gen, broken.get());
                    return null;
                }
                case "isClosed" -> {
                    return given.get() || physical.isClosed();
                }
                case "unwrap" -> {
                    Class<?> c = (Class<?>) args[0];
                    return c.isInstance(proxy) ? proxy : physical.unwrap(c);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "pooled " + physical;
                }
                default -> {
                    if (given.get()) throw new SQLException("connection already closed");
                    try {
                        return m.invoke(physical, args);
                    } catch (InvocationTargetException e) {
                        Throwable cause = e.getCause();
                        if (Dialect.unavailable(cause)) {
                            broken.set(true);
                            generation.compareAndSet(gen, gen + 1);
                            health.down(cause);
                        }
                        throw cause;
                    }
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Pool.class.getClassLoader(), new Class<?>[]{Connection.class}, h);
    }

    private void release(Connection c, long gen, boolean broken) {
        try {
            // a statement that failed for lack of the database goes unseen here, but the driver closes its connection
            if (broken || c.isClosed()) {
                generation.compareAndSet(gen, gen + 1);
                quietlyClose(c);
                return;
            }
            if (closed || gen != generation.get()) {
                quietlyClose(c);
                return;
            }
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            idle.addFirst(new Idle(c, gen, System.nanoTime()));
        } catch (SQLException e) {
            quietlyClose(c);
        } finally {
            permits.release();
        }
    }

    private static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Idle i; (i = idle.pollFirst()) != null; ) quietlyClose(i.connection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials come from the URL");
    }

    @Override public PrintWriter getLogWriter() { return null; }

    @Override public void setLogWriter(PrintWriter out) { }

    @Override public void setLoginTimeout(int seconds) { }

    @Override public int getLoginTimeout() { return 0; }

    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        throw new SQLException("not a " + iface);
    }

    @Override public boolean isWrapperFor(Class<?> iface) { return iface.isInstance(this); }
}
