package io.orchide.client;

/** Applying could not go on (a file unreadable, a tree that cannot be packed); the message names the path. */
public final class ApplyException extends RuntimeException {
    public ApplyException(String message) {
        super(message);
    }
}
