package io.orchide.link.transport;

import java.io.Closeable;
import java.io.IOException;

/** A bound listening endpoint of a convergence layer. */
public interface Acceptor extends Closeable {
    /** Blocks until a peer connects; throws once closed. */
    Channel accept() throws IOException;

    /** The bound address as {@code host:port}. */
    String address();
}
