package io.orchide.ground;

import io.orchide.ground.audit.AuditRetention;
import io.orchide.ground.auth.AuthSettings;
import io.orchide.ground.series.SeriesStore;
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
 * first start when missing. Every replica of one ground uses the same key: nodes pin it. {@code seriesRetention}: how long
 * the satellites' housekeeping (series, gaps, log summaries) is kept (null: {@link SeriesStore#DEFAULT_RETENTION}).
 */
public record GroundConfig(Path dataDir, String dbUrl, InetSocketAddress listen, String linkListen,
                           long linkRateBytesPerSecond, Clock clock, Duration sessionLease, String dbPassword,
                           Duration linkKeepalive, Duration linkIdleTimeout, AuditRetention auditRetention,
                           AuthSettings auth, Path groundKeyFile, io.orchide.link.secure.Passphrase keyPassphrase,
                           Duration seriesRetention) {
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
        seriesRetention = seriesRetention == null ? SeriesStore.DEFAULT_RETENTION : seriesRetention;
        if (!seriesRetention.isPositive()) {
            throw new IllegalArgumentException("seriesRetention must be positive (got " + seriesRetention + ")");
        }
    }

    /** A builder with every field unset: the defaults above, and SQLite in the data dir it must be given. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's fields, to change some. */
    public Builder toBuilder() {
        return new Builder().dataDir(dataDir).dbUrl(dbUrl).listen(listen).linkListen(linkListen)
                .linkRateBytesPerSecond(linkRateBytesPerSecond).clock(clock).sessionLease(sessionLease)
                .dbPassword(dbPassword).linkKeepalive(linkKeepalive).linkIdleTimeout(linkIdleTimeout)
                .auditRetention(auditRetention).auth(auth).groundKeyFile(groundKeyFile)
                .keyPassphrase(keyPassphrase).seriesRetention(seriesRetention);
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
        return toBuilder().groundKeyFile(file).build();
    }

    /** The same, with other authentication settings. */
    public GroundConfig withAuth(AuthSettings a) {
        return toBuilder().auth(a).build();
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
        return toBuilder().sessionLease(lease).build();
    }

    /** The same, with the database's password. */
    public GroundConfig withDbPassword(String password) {
        return toBuilder().dbPassword(password).build();
    }

    /** The same, keeping another share of the audit log. */
    public GroundConfig withAuditRetention(AuditRetention retention) {
        return toBuilder().auditRetention(retention).build();
    }

    /**
     * A {@link GroundConfig} field by field; what is not set takes the record's default. {@link #build()} checks the
     * whole as the record does (a data dir or a database URL, a positive lease, a password only with a URL).
     */
    public static final class Builder {
        private Path dataDir;
        private String dbUrl;
        private InetSocketAddress listen;
        private String linkListen;
        private long linkRateBytesPerSecond;
        private Clock clock;
        private Duration sessionLease;
        private String dbPassword;
        private Duration linkKeepalive;
        private Duration linkIdleTimeout;
        private AuditRetention auditRetention;
        private AuthSettings auth;
        private Path groundKeyFile;
        private io.orchide.link.secure.Passphrase keyPassphrase;
        private Duration seriesRetention;

        private Builder() {
        }

        public Builder dataDir(Path v) { dataDir = v; return this; }

        public Builder dbUrl(String v) { dbUrl = v; return this; }

        public Builder listen(InetSocketAddress v) { listen = v; return this; }

        public Builder linkListen(String v) { linkListen = v; return this; }

        public Builder linkRateBytesPerSecond(long v) { linkRateBytesPerSecond = v; return this; }

        public Builder clock(Clock v) { clock = v; return this; }

        public Builder sessionLease(Duration v) { sessionLease = v; return this; }

        public Builder dbPassword(String v) { dbPassword = v; return this; }

        public Builder linkKeepalive(Duration v) { linkKeepalive = v; return this; }

        public Builder linkIdleTimeout(Duration v) { linkIdleTimeout = v; return this; }

        public Builder auditRetention(AuditRetention v) { auditRetention = v; return this; }

        public Builder auth(AuthSettings v) { auth = v; return this; }

        public Builder groundKeyFile(Path v) { groundKeyFile = v; return this; }

        /** The passphrase ground's private key is (or, made at the first start, will be) encrypted with; null: none. */
        public Builder keyPassphrase(io.orchide.link.secure.Passphrase v) { keyPassphrase = v; return this; }

        /** How long the satellites' housekeeping is kept; null: {@link SeriesStore#DEFAULT_RETENTION}. */
        public Builder seriesRetention(Duration v) { seriesRetention = v; return this; }

        public GroundConfig build() {
            return new GroundConfig(dataDir, dbUrl, listen, linkListen, linkRateBytesPerSecond, clock, sessionLease,
                    dbPassword, linkKeepalive, linkIdleTimeout, auditRetention, auth, groundKeyFile,
                    keyPassphrase, seriesRetention);
        }
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
                + ", auditRetention=" + auditRetention + ", seriesRetention=" + seriesRetention + (auth.bypass() ? ", auth=BYPASSED" : "") + "]";
    }
}
