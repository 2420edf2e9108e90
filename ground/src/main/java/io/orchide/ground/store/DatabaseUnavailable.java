package io.orchide.ground.store;

/**
 * The database could not be reached (refused, closed, shutting down): the work was not done, or, when the connection
 * was lost at commit, its outcome is unknown; either way it may be asked again once the database is back. The API
 * answers it with 503 {@code database_unavailable} and a {@code Retry-After}.
 */
public final class DatabaseUnavailable extends StoreException {
    private final String database;

    public DatabaseUnavailable(String database, Throwable cause) {
        super("database " + database + " is unavailable: " + (cause == null ? "" : cause.getMessage()), cause);
        this.database = database;
    }

    /** Which database, as {@link GroundDatabase#toString()} names it (no credentials). */
    public String database() { return database; }
}
