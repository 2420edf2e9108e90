package io.orchide.link.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * The link's store could not reach its database (refused, closed, shutting down): what was asked was not done (a
 * failed write is rolled back whole) and may be asked again once the database is back.
 */
public final class StoreUnavailableException extends IllegalStateException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code e}, or a cause of it, says the database cannot be reached: this exception, a connection exception
     * (SQLSTATE class 08), the server shutting down or starting up (57P01..57P03), or a driver's connection exception.
     */
    public static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreUnavailableException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof java.net.ConnectException) return true;
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03"))) return true;
            }
        }
        return false;
    }
}
