package io.orchide.link.transport;

import java.io.IOException;
import java.time.Duration;

/**
 * How bundles' frames cross to the other side: a reliable ordered byte stream per contact. TCP is the one shipped;
 * another layer (a radio's framing, a test's cutting proxy) implements this interface.
 */
public interface ConvergenceLayer {
    Channel connect(String address, Duration timeout) throws IOException;

    Acceptor bind(String address) throws IOException;
}
