package io.orchide.ground.auth;

import io.orchide.ground.store.Dialect;
import io.orchide.ground.store.GroundDatabase;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a replica learns that what decides authentication changed: a tenant, a principal, a role binding or an API token
 * (revoked, made), but not a token's last use. What is cached from those tables ({@link TokenCache}) is valid only
 * while {@link #generation()} is the one it was read under and {@link #trusted()} holds.
 *
 * <p>Invariant: every change to those tables goes through {@link AuthStore}, which calls {@link Change#announce} in the
 * changing transaction and {@link Change#end} after it, so the generation moves after the commit of every change this
 * process made, and (on PostgreSQL) when the notification of a change any replica made arrives.
 */
public interface AuthChanges extends AutoCloseable {
    /** Raised after every change seen, and whenever this process may have missed one. */
    long generation();

    /**
     * Whether changes made anywhere are known to reach this process now; while not, nothing cached may be used (a
     * revocation on another replica could go unheard).
     */
    boolean trusted();

    /** One change about to be made in a transaction. */
    Change begin();

    /** One change: announced in its transaction, ended after it (committed or not). */
    interface Change {
        /** In the changing transaction, before its commit: tells the other replicas, if any, at the commit. */
        void announce(Connection c) throws SQLException;

        /** After the transaction, {@code committed} or not: raises the generation here. */
        void end(boolean committed);
    }

    @Override
    void close();

    /** The changes of {@code db}'s replicas: in this process only on SQLite, through LISTEN/NOTIFY on PostgreSQL. */
    static AuthChanges of(GroundDatabase db) {
        return db.dialect() == Dialect.POSTGRES ? new ListenedChanges(db) : new InProcessChanges();
    }
}
