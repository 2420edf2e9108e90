package io.orchide.ground.auth;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link AuthChanges} of a ground that is alone on its database (SQLite: one process owns the file): every change is
 * made here, so raising the generation after each commit is all there is to hear.
 */
final class InProcessChanges implements AuthChanges {
    private final AtomicLong generation = new AtomicLong();

    @Override
    public long generation() { return generation.get(); }

    @Override
    public boolean trusted() { return true; }

    @Override
    public Change begin() {
        return new Change() {
            @Override
            public void announce(Connection c) { }

            @Override
            public void end(boolean committed) { generation.incrementAndGet(); }
        };
    }

    @Override
    public void close() { }
}
