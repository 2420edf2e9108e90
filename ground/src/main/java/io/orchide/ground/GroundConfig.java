package io.orchide.ground;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

/**
 * How a ground server runs: its {@code dataDir} (SQLite database and anything local), {@code dbUrl} (a
 * {@code jdbc:postgresql://} URL to share one PostgreSQL between replicas, or null for SQLite in the data dir), the
 * API's {@code listen} address, {@code linkListen} ({@code host:port} nodes dial; null = no listener), the link's
 * transmit rate ({@code 0} = unlimited) and the {@code clock}.
 */
public record GroundConfig(Path dataDir, String dbUrl, InetSocketAddress listen, String linkListen,
                           long linkRateBytesPerSecond, Clock clock) {
    public GroundConfig {
        if (dataDir == null) throw new IllegalArgumentException("dataDir is required");
        listen = listen == null ? new InetSocketAddress("127.0.0.1", 0) : listen;
        clock = clock == null ? Clock.systemUTC() : clock;
    }
}
