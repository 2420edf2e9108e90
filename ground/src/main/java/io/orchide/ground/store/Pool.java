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
import java.util.logging.Logger;

/**
 * A small bounded connection pool: at most {@code size} connections in use at once, idle ones kept for reuse.
 * {@link Connection#close()} on a handed-out connection gives it back (rolled back and in auto-commit mode).
 */
final class Pool implements DataSource, AutoCloseable {
    /** Opens one physical connection, configured. */
    @FunctionalInterface
    interface Factory {
        Connection open() throws SQLException;
    }

    private final Factory factory;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final long waitMillis;
    private volatile boolean closed;

    Pool(Factory factory, int size, long waitMillis) {
        this.factory = factory;
        this.permits = new Semaphore(size, true);
        this.waitMillis = waitMillis;
    }

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
            Connection c;
            while ((c = idle.pollFirst()) != null && c.isClosed()) {
                // dropped
            }
            if (c == null) c = factory.open();
            return wrap(c);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection wrap(Connection physical) {
        AtomicBoolean given = new AtomicBoolean();
        InvocationHandler h = (proxy, m, args) -> {
            switch (m.getName()) {
                case "close" -> {
                    if (given.compareAndSet(false, true)) release(physical);
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
                        throw e.getCause();
                    }
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(Pool.class.getClassLoader(), new Class<?>[]{Connection.class}, h);
    }

    private void release(Connection c) {
        try {
            if (!c.isClosed()) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                if (closed) c.close();
                else idle.addFirst(c);
            }
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
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
