package io.orchide.link.trust;

/**
 * Signed content refused: {@code what} names the document or image at fault (a tenant, a digest, a key id), and the
 * message says which check failed.
 */
public final class TrustException extends Exception {
    private final String what;

    public TrustException(String what, String message) {
        super(what + ": " + message);
        this.what = what;
    }

    public String what() { return what; }
}
