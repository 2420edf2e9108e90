package io.orchide.ground;

import io.orchide.ground.audit.AuditRetention;
import io.orchide.ground.auth.AuthSettings;
import io.orchide.link.LinkConfig;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How a ground server runs: its {@code dataDir} (where the SQLite database lives; not used, and may be null, with a
 * {@code dbUrl}), {@code dbUrl} (a {@code jdbc:postgresql://} URL to share one PostgreSQL between replicas, or null
 * for SQLite in the data dir), the API's {@code listen} address, {@code linkListen} ({@code host:port} nodes dial;
 * null = no listener), the link's transmit rate ({@code 0} = unlimited), the {@code clock}, the
 * {@code sessionLease} (how long a replica that stops renewing, because it crashed, keeps a satellite's session from
 * the others; null = {@link LinkConfig#DEFAULT_LEASE}) and the {@code dbPassword} (null: the URL's, or the one
 * {@code ~/.pgpass} or {@code PGPASSFILE} gives the driver, or none); the link sessions' liveness: the silence
 * after which ground sends a keepalive ({@code linkKeepalive}) and after which it takes a satellite for gone, ends its
 * session and hands its lease back ({@code linkIdleTimeout}); null: {@link LinkConfig#DEFAULT_KEEPALIVE} and
 * {@link LinkConfig#DEFAULT_IDLE_TIMEOUT}; how much of the audit log is kept ({@code auditRetention}; null =
 * {@link AuditRetention#DEFAULT}); and how requests are authenticated ({@code auth}: null for
 * {@link AuthSettings#DEFAULT}, a token on every request); and {@code groundKeyFile}, ground's private Ed25519 key for
 * the link (null: {@code ground.key} in the data dir; its public key beside it, see {@link #groundKey()}), made at the
 * first start when missing. Every replica of one ground uses the same key: nodes pin it.
 */
public record GroundConfig(Path dataDir, String dbUrl, InetSocketAddress listen, String linkListen,
                           long linkRateBytesPerSecond, Clock clock, Duration sessionLease, String dbPassword,
                           Duration linkKeepalive, Duration linkIdleTimeout, AuditRetention auditRetention,
                           AuthSettings auth, Path groundKeyFile) {
    public GroundConfig {
        auth = auth == null ? AuthSettings.DEFAULT : auth;
        if (dbUrl != null && dbUrl.isBlank()) dbUrl = null;
        if (dataDir == null && dbUrl == null) {
            throw new IllegalArgumentException("dataDir is required without a dbUrl (the SQLite database lives there)");
        }
        if (dbPassword != null && dbUrl == null) {
            throw new IllegalArgumentException("dbPassword is only for a PostgreSQL dbUrl");
        }
        listen = listen == null ? new InetSocketAddress("127.0.0.1", 0) : listen;
        clock = clock == null ? Clock.systemUTC() : clock;
        sessionLease = sessionLease == null ? LinkConfig.DEFAULT_LEASE : sessionLease;
        if (sessionLease.isNegative() || sessionLease.isZero()) {
            throw new IllegalArgumentException("sessionLease must be positive (got " + sessionLease + ")");
        }
        auditRetention = auditRetention == null ? AuditRetention.DEFAULT : auditRetention;
    }

    public GroundConfig(Path dataDir, String dbUrl, InetSocketAddress listen, String linkListen,
                        long linkRateBytesPerSecond, Clock clock, Duration sessionLease, String dbPassword,
                        Duration linkKeepalive, Duration linkIdleTimeout, AuditRetention auditRetention,
                        AuthSettings auth) {
        this(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, sessionLease, dbPassword, linkKeepalive,
                linkIdleTimeout, auditRetention, auth, null);
    }

    /**
     * Ground's key files for the link, private then public ({@code ground.key} and {@code ground.pub}, or the given
     * file and the same name ending in {@code .pub}), or null when neither a key file nor a data dir was given.
     */
    public Path[] groundKey() {
        Path key = groundKeyFile != null ? groundKeyFile : dataDir == null ? null : dataDir.resolve("ground.key");
        if (key == null) return null;
        String n = key.getFileName().toString();
        String pub = (n.endsWith(".key") ? n.substring(0, n.length() - 4) : n) + ".pub";
        return new Path[]{key, key.resolveSibling(pub)};
    }

    /** The same, with ground's key in another file. */
    public GroundConfig withGroundKeyFile(Path file) {
        return new GroundConfig(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, sessionLease,
                dbPassword, linkKeepalive, linkIdleTimeout, auditRetention, auth, file);
    }

    public GroundConfig(Path dataDir, String dbUrl, InetSocketAddress listen, String linkListen,
                        long linkRateBytesPerSecond, Clock clock) {
        this(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, null, null);
    }

    public GroundConfig(Path dataDir, String dbUrl, InetSocketAddress listen, String linkListen,
                        long linkRateBytesPerSecond, Clock clock, Duration sessionLease, String dbPassword) {
        this(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, sessionLease, dbPassword, null, null);
    }

    public GroundConfig(Path dataDir, String dbUrl, InetSocketAddress listen, String linkListen,
                        long linkRateBytesPerSecond, Clock clock, Duration sessionLease, String dbPassword,
                        Duration linkKeepalive, Duration linkIdleTimeout) {
        this(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, sessionLease, dbPassword, linkKeepalive,
                linkIdleTimeout, null, null);
    }

    /** The same, with other authentication settings. */
    public GroundConfig withAuth(AuthSettings a) {
        return new GroundConfig(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, sessionLease, dbPassword,
                linkKeepalive, linkIdleTimeout, auditRetention, a, groundKeyFile);
    }

    /**
     * The same with authentication bypassed: every request is a platform admin's. For tests and benchmarks only
     * ({@link AuthSettings#BYPASS_FOR_TESTS}).
     */
    public GroundConfig withAuthBypassedForTests() {
        return withAuth(AuthSettings.BYPASS_FOR_TESTS);
    }

    /** The same, with another session lease. */
    public GroundConfig withSessionLease(Duration lease) {
        return new GroundConfig(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, lease, dbPassword,
                linkKeepalive, linkIdleTimeout, auditRetention, auth, groundKeyFile);
    }

    /** The same, with the database's password. */
    public GroundConfig withDbPassword(String password) {
        return new GroundConfig(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, sessionLease, password,
                linkKeepalive, linkIdleTimeout, auditRetention, auth, groundKeyFile);
    }

    /** The same, keeping another share of the audit log. */
    public GroundConfig withAuditRetention(AuditRetention retention) {
        return new GroundConfig(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, sessionLease,
                dbPassword, linkKeepalive, linkIdleTimeout, retention, auth, groundKeyFile);
    }

    /** The database's URL to connect with: {@link #dbUrl} with {@link #dbPassword} added when there is one. */
    public String connectUrl() {
        return dbUrl == null ? null : PostgresUrl.withPassword(dbUrl, dbPassword);
    }

    /** Never shows a password: neither {@link #dbPassword} nor one in the URL. */
    @Override
    public String toString() {
        return "GroundConfig[dataDir=" + dataDir + ", db=" + (dbUrl == null ? "sqlite" : PostgresUrl.redacted(dbUrl))
                + (dbPassword == null ? "" : " (password given)") + ", listen=" + listen + ", linkListen=" + linkListen
                + ", linkRate=" + linkRateBytesPerSecond + ", sessionLease=" + sessionLease
                + ", auditRetention=" + auditRetention + (auth.bypass() ? ", auth=BYPASSED" : "") + "]";
    }
}
