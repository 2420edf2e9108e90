package io.orchide.ground.store;

/** A database operation failed (not the caller's fault). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
