package io.orchide.link.secure;

import java.time.Duration;

/** What one TLS handshake cost on the wire: the bytes each way and the time from the first byte to the end. */
public record HandshakeCost(String remote, long bytesSent, long bytesReceived, Duration time) {
    public long bytes() { return bytesSent + bytesReceived; }
}
