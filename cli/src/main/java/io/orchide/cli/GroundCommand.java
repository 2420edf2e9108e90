package io.orchide.cli;

import io.orchide.ground.GroundConfig;
import io.orchide.ground.auth.AuthSettings;
import io.orchide.ground.GroundServer;
import io.orchide.ground.PostgresUrl;
import io.orchide.ground.audit.AuditRetention;
import io.orchide.ground.auth.oidc.OidcConfig;
import io.orchide.model.codec.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code orchide ground}: the ground control plane, until it is signalled. */
@Command(name = "ground", description = "Run the ground control plane: REST API, fleet, desired state, link to the satellites.")
final class GroundCommand implements Runnable {
    static final Duration MIN_LEASE = Duration.ofSeconds(1), MAX_LEASE = Duration.ofHours(1);

    @Option(names = "--data-dir", description = "Where ground keeps its SQLite database (required without --db; not used with it)")
    Path dataDir;

    @Option(names = "--db", paramLabel = "JDBC-URL",
            description = "A jdbc:postgresql://HOST:PORT/DB?user=ROLE URL to share one PostgreSQL between several ground "
                    + "replicas (default: SQLite in --data-dir). Leave the password out of it: see --db-password-file")
    String db;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "A file whose first line is the database's password (else PGPASSWORD, else ~/.pgpass or "
                    + "PGPASSFILE, which the driver reads itself)")
    Path dbPasswordFile;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "Where the first start (no principal yet) writes the platform admin's API token, mode 0600 "
                    + "(default: <data-dir>/admin.token; with --db and no --data-dir, give it, or nobody can use the API)")
    Path adminTokenFile;

    @Option(names = "--ground-key-file", paramLabel = "FILE",
            description = "Ground's private key for the link, mode 0600, made at the first start if missing, with its "
                    + "public key beside it (FILE without .key, plus .pub): nodes pin that one with --ground-key. Every "
                    + "replica of one ground uses the same file (default: <data-dir>/ground.key; with --db and no "
                    + "--data-dir, required)")
    Path groundKeyFile;

    @Option(names = "--key-passphrase-file", paramLabel = "FILE",
            description = "A file whose first line is the passphrase ground's private key is encrypted with (made "
                    + "encrypted at the first start; a wrong passphrase stops the start). Without it, the environment "
                    + "variable " + KEY_PASSPHRASE_ENV + "; without either, the key is kept in clear")
    Path keyPassphraseFile;

    @Option(names = "--encrypt-key", description = "Encrypt ground's existing clear private key in place with the "
            + "passphrase (--key-passphrase-file or " + KEY_PASSPHRASE_ENV + "), then exit")
    boolean encryptKey;

    @Option(names = "--oidc-issuer", paramLabel = "URL",
            description = "Also accept bearer JWTs of this OpenID Connect issuer (its exact iss; keys found through "
                    + "<URL>/.well-known/openid-configuration); needs --oidc-audience")
    String oidcIssuer;

    @Option(names = "--oidc-audience", paramLabel = "AUD",
            description = "The audience an OIDC token's aud must contain (the client id tokens are issued to)")
    String oidcAudience;

    @Option(names = "--oidc-tenant-claim", paramLabel = "NAME",
            description = "The claim naming an OIDC user's tenant (default tenant)")
    String oidcTenantClaim;

    @Option(names = "--oidc-groups-claim", paramLabel = "NAME",
            description = "The claim listing an OIDC user's groups; orchide:ROLE and orchide:TENANT:ROLE give roles "
                    + "(default groups)")
    String oidcGroupsClaim;

    @Option(names = "--session-lease", paramLabel = "DURATION",
            description = "How long a replica that crashed keeps its satellites' sessions from the other replicas "
                    + "(default 10s; renewed every third of it; a replica that stops cleanly hands them back at once)")
    String sessionLease;

    @Option(names = "--audit-max-entries", paramLabel = "N",
            description = "Keep at most N entries of the audit log; the oldest go first (default 1000000)")
    String auditMaxEntries;

    @Option(names = "--audit-max-age", paramLabel = "DURATION",
            description = "Keep no audit entry older than DURATION, such as 90d (default 365d)")
    String auditMaxAge;

    @Option(names = "--series-retention", paramLabel = "DURATION",
            description = "Keep the satellites' housekeeping (series, gaps, log summaries) this long, from 1h to 10y, "
                    + "such as 90d (default 30d)")
    String seriesRetention;

    @Option(names = "--link-keepalive", paramLabel = "DURATION",
            description = "After this long without sending to a satellite, ground sends a keepalive (31 bytes; default 5s)")
    String linkKeepalive;

    @Option(names = "--link-idle-timeout", paramLabel = "DURATION",
            description = "After this long without a byte from a satellite's node that keeps sessions alive, ground ends "
                    + "the session as dead and hands its lease back (default 20s; longer than the nodes' keepalive)")
    String linkIdleTimeout;

    @Option(names = "--listen", defaultValue = "127.0.0.1:7000", description = "API address (default ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--link-listen", defaultValue = "127.0.0.1:7001",
            description = "Address the nodes' links dial (default ${DEFAULT-VALUE})")
    String linkListen;

    @Option(names = "--link-rate", paramLabel = "BITS/S", description = "Uplink transmit rate, e.g. 2M or 512k (default: unlimited)")
    String linkRate;

    @Option(names = "--clock-speed", paramLabel = "N", description = "Simulated time for the digital twin and tests: "
            + "ground's clock runs N times faster (default 1: the real clock)")
    String clockSpeed;

    @Option(names = "--clock-start", paramLabel = "INSTANT",
            description = "Where simulated time starts (ISO-8601; default now), shared with the twin's nodes")
    String clockStart;

    @Option(names = "--clock-origin", paramLabel = "INSTANT",
            description = "The real instant at which simulated time was --clock-start (default: when ground starts), "
                    + "so that a ground restarted mid-scenario rejoins the twin's time")
    String clockOrigin;

    /** The environment PGPASSWORD is read from (a test's own map in tests). */
    Map<String, String> env = System.getenv();

    /** The environment variable that may carry the key's passphrase. */
    static final String KEY_PASSPHRASE_ENV = "ORCHIDE_GROUND_KEY_PASSPHRASE";

    @Override
    public void run() {
        GroundConfig cfg = config();
        if (encryptKey) {
            encryptKey(cfg);
            return;
        }
        GroundServer g;
        try {
            g = GroundServer.start(cfg);
        } catch (Exception e) {
            throw new CliException("ground failed to start: " + e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(g::close, "ground-shutdown"));
        System.out.println("orchide ground " + GroundServer.VERSION + " API " + OptionValues.listening(g.apiAddress())
                + " link " + (g.linkAddress() != null ? g.linkAddress() : cfg.linkListen() + " (once the database answers)")
                + " (store " + store(cfg) + ", session lease " + Durations.format(cfg.sessionLease()) + ")"
                + (g.adminTokenWritten() != null ? "; first start: platform admin token written to " + g.adminTokenWritten()
                        + " (export ORCHIDE_TOKEN=$(cat " + g.adminTokenWritten() + "))" : ""));
        if (g.groundPublicKey() != null) {
            System.out.println("link key " + g.groundPublicKey() + " (" + g.groundKeyFingerprint() + "): give it to each "
                    + "node with --ground-key");
        }
        System.out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The configuration the options describe; a bad option is refused naming it and its value. */
    GroundConfig config() {
        if (db == null && dataDir == null) {
            throw new CliException("--data-dir is required without --db (ground keeps its SQLite database there)");
        }
        if (db != null && !db.startsWith("jdbc:postgresql://")) {
            throw new CliException("--db: expected a jdbc:postgresql://HOST:PORT/DB URL (got " + PostgresUrl.redacted(db) + ")");
        }
        if (dbPasswordFile != null && db == null) {
            throw new CliException("--db-password-file: only with --db (got " + dbPasswordFile + " without --db)");
        }
        if (dbPasswordFile != null && PostgresUrl.hasPassword(db)) {
            throw new CliException("--db-password-file " + dbPasswordFile + ": the --db URL " + PostgresUrl.redacted(db)
                    + " carries a password already; keep one of them");
        }
        String password = password();
        long rate = linkRate == null ? 0 : OptionValues.rate("--link-rate", linkRate) / 8;
        LinkLiveness live = LinkLiveness.parse(linkKeepalive, linkIdleTimeout);
        return GroundConfig.builder()
                .dataDir(db == null ? dataDir.toAbsolutePath() : null)
                .dbUrl(db)
                .listen(OptionValues.address("--listen", listen))
                .linkListen(checkListen(linkListen))
                .linkRateBytesPerSecond(rate)
                .clock(OptionValues.simulatedClock( clockSpeed == null ? 1 : OptionValues.speed("--clock-speed", clockSpeed), clockStart == null ? null : OptionValues.instant("--clock-start", clockStart), clockOrigin == null ? null : OptionValues.instant("--clock-origin", clockOrigin)))
                .sessionLease(sessionLease == null ? null : lease(sessionLease))
                .dbPassword(password)
                .linkKeepalive(live.keepalive())
                .linkIdleTimeout(live.idleTimeout())
                .auditRetention(auditRetention())
                .seriesRetention(seriesRetention == null ? null : OptionValues.duration("--series-retention",
                        seriesRetention, Duration.ofHours(1), Duration.ofDays(3650), "90d or 7d"))
                .auth(new AuthSettings(adminTokenFile == null ? null : adminTokenFile.toAbsolutePath(), false, oidc()))
                .groundKeyFile(groundKeyFile())
                .keyPassphrase(keyPassphrase())
                .build();
    }

    /** Null without the option: ground keeps its key in its data dir, and without one refuses to start, naming it. */
    private Path groundKeyFile() {
        return groundKeyFile == null ? null : groundKeyFile.toAbsolutePath();
    }

    /** The OIDC issuer the options name, or null without --oidc-issuer; each option refused naming it and its value. */
    OidcConfig oidc() {
        if (oidcIssuer == null) {
            for (String[] o : new String[][]{{"--oidc-audience", oidcAudience}, {"--oidc-tenant-claim", oidcTenantClaim},
                    {"--oidc-groups-claim", oidcGroupsClaim}}) {
                if (o[1] != null) throw new CliException(o[0] + ": only with --oidc-issuer (got " + o[1] + " without it)");
            }
            return null;
        }
        String issuerProblem = OidcConfig.issuerProblem(oidcIssuer);
        if (issuerProblem != null) throw new CliException("--oidc-issuer: " + issuerProblem + " (got " + oidcIssuer + ")");
        if (oidcAudience == null || oidcAudience.isBlank()) {
            throw new CliException("--oidc-audience: required with --oidc-issuer (got " + (oidcAudience == null ? "none" : "\"" + oidcAudience + "\"") + ")");
        }
        claim("--oidc-tenant-claim", oidcTenantClaim);
        claim("--oidc-groups-claim", oidcGroupsClaim);
        return OidcConfig.of(oidcIssuer, oidcAudience).withClaims(
                oidcTenantClaim == null ? OidcConfig.DEFAULT_TENANT_CLAIM : oidcTenantClaim,
                oidcGroupsClaim == null ? OidcConfig.DEFAULT_GROUPS_CLAIM : oidcGroupsClaim);
    }

    private static void claim(String option, String v) {
        if (v != null && (v.isBlank() || !v.strip().equals(v))) {
            throw new CliException(option + ": expected a claim name, not blank and without surrounding spaces (got \"" + v + "\")");
        }
    }

    /** The audit log's bounds: each option refused naming it and its value. */
    private AuditRetention auditRetention() {
        long entries = AuditRetention.DEFAULT_MAX_ENTRIES;
        if (auditMaxEntries != null) {
            try {
                entries = Long.parseLong(auditMaxEntries);
            } catch (NumberFormatException e) {
                entries = 0;
            }
            if (entries < 1) {
                throw new CliException("--audit-max-entries: expected a number of entries, at least 1 (got " + auditMaxEntries + ")");
            }
        }
        Duration age = AuditRetention.DEFAULT_MAX_AGE;
        if (auditMaxAge != null) {
            try {
                age = Durations.parse(auditMaxAge);
            } catch (IllegalArgumentException e) {
                throw new CliException("--audit-max-age: expected a duration such as 90d or 12h (got " + auditMaxAge + ")");
            }
        }
        return new AuditRetention(entries, age);
    }

    /** Where the state lives, for the start line: never the password. */
    private String store(GroundConfig cfg) {
        if (cfg.dbUrl() == null) return cfg.dataDir().resolve("ground.db").toString();
        String where = "PostgreSQL " + PostgresUrl.redacted(cfg.dbUrl());
        return dataDir == null ? where : where + "; --data-dir " + dataDir + " is not used with --db";
    }

    /**
     * The password from --db-password-file, else the URL's, else PGPASSWORD (as libpq ranks them), else null: the
     * driver then looks in PGPASSFILE or ~/.pgpass itself.
     */
    /** The key's passphrase from --key-passphrase-file (its first line) or the environment; null without either. */
    io.orchide.link.secure.Passphrase keyPassphrase() {
        if (keyPassphraseFile != null) {
            String text;
            try {
                text = Files.readString(keyPassphraseFile, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new CliException("--key-passphrase-file: cannot read " + keyPassphraseFile + " ("
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + ")");
            }
            int nl = text.indexOf('\n');
            String line = nl < 0 ? text : text.substring(0, nl);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) {
                throw new CliException("--key-passphrase-file: the first line of " + keyPassphraseFile + " is empty (expected the passphrase)");
            }
            return io.orchide.link.secure.Passphrase.of(line);
        }
        String v = env.get(KEY_PASSPHRASE_ENV);
        return v == null || v.isEmpty() ? null : io.orchide.link.secure.Passphrase.of(v);
    }

    /** --encrypt-key: the clear key file encrypted in place with the passphrase given; said when it was already. */
    private void encryptKey(GroundConfig cfg) {
        if (cfg.keyPassphrase() == null) {
            throw new CliException("--encrypt-key needs the passphrase: --key-passphrase-file FILE or " + KEY_PASSPHRASE_ENV);
        }
        Path[] files = cfg.groundKey();
        if (files == null || !Files.exists(files[0])) {
            throw new CliException("--encrypt-key: there is no key to encrypt (" + (files == null ? "give --ground-key-file" : files[0] + " is missing") + ")");
        }
        try {
            boolean done = io.orchide.link.secure.EncryptedKeys.encryptInPlace(files[0], cfg.keyPassphrase());
            System.out.println(files[0] + (done ? " encrypted: give the same passphrase at each start"
                    : " is encrypted already: unchanged"));
        } catch (IOException | RuntimeException e) {
            throw new CliException("--encrypt-key: cannot encrypt " + files[0] + ": " + e.getMessage());
        }
    }

    private String password() {
        if (db == null) return null;
        if (dbPasswordFile != null) {
            String text;
            try {
                text = Files.readString(dbPasswordFile, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new CliException("--db-password-file: cannot read " + dbPasswordFile + " ("
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + ")");
            }
            int nl = text.indexOf('\n');
            String line = (nl < 0 ? text : text.substring(0, nl));
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.isEmpty()) {
                throw new CliException("--db-password-file: the first line of " + dbPasswordFile + " is empty (expected the password)");
            }
            return line;
        }
        if (PostgresUrl.hasPassword(db)) return null;
        String env = this.env.get("PGPASSWORD");
        return env == null || env.isEmpty() ? null : env;
    }

    private static Duration lease(String v) {
        return OptionValues.duration("--session-lease", v, MIN_LEASE, MAX_LEASE, "10s");
    }

    private static String checkListen(String v) {
        OptionValues.address("--link-listen", v);
        return v;
    }
}
