package io.orchide.link.transport;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/** One open byte stream to a peer, as a convergence layer gives it. Closing it cuts the contact. */
public interface Channel extends Closeable {
    InputStream input();

    OutputStream output();

    /** The far end, for messages. */
    String remote();
}
