package io.orchide.node.store;

/** The embedded database failed; the operation was not recorded. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
