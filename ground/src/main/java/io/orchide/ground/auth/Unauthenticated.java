package io.orchide.ground.auth;

/** A credential that proves nothing; the message says why (for the caller: never a secret). */
public final class Unauthenticated extends RuntimeException {
    public Unauthenticated(String message) {
        super(message);
    }
}
