package io.orchide.link;

/**
 * Where the link hands over a bundle it has stored whole and verified (custody taken). The link calls
 * {@link #deliver} for each bundle id until it returns normally, and never again after; a crash between the
 * effect and the return means a second call with the same id, so an implementation must take effect once per
 * {@code bundle.id()} (an idempotent write keyed by the id, or a check of ids already applied).
 * An exception leaves the bundle undelivered; it is offered again later.
 */
@FunctionalInterface
public interface Deliveries {
    void deliver(Bundle bundle, byte[] payload) throws Exception;
}
