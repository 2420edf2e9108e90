package io.orchide.ground;

import io.orchide.ground.api.GroundApi;
import io.orchide.ground.api.DatasetOpsApi;
import io.orchide.ground.dataset.DatasetOps;
import io.orchide.ground.web.Dashboard;
import io.orchide.ground.pass.Passes;
import io.orchide.ground.api.FullLogApi;
import io.orchide.ground.api.TrustApi;
import io.orchide.ground.series.FullLogRequests;
import io.orchide.ground.series.SeriesApi;
import io.orchide.ground.series.SeriesStore;
import io.orchide.ground.series.TelemetryBudgets;
import io.orchide.ground.quota.Quotas;
import io.orchide.ground.audit.AuditApi;
import io.orchide.ground.audit.AuditLog;
import io.orchide.ground.audit.AuditScope;
import io.orchide.ground.audit.AuditWriter;
import io.orchide.ground.audit.DecisionAudit;
import io.orchide.ground.audit.SatelliteAudit;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.AdminBootstrap;
import io.orchide.ground.auth.ApiTokens;
import io.orchide.ground.auth.AuthChanges;
import io.orchide.ground.auth.AuthStore;
import io.orchide.ground.auth.Authenticator;
import io.orchide.ground.auth.DecisionListener;
import io.orchide.ground.auth.OidcAuthenticator;
import io.orchide.ground.auth.oidc.OidcVerifier;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.desired.Outbox;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.fleet.SatelliteNames;
import io.orchide.ground.image.Images;
import io.orchide.link.Bundle;
import io.orchide.ground.intake.Intake;
import io.orchide.ground.link.EndpointUplink;
import io.orchide.ground.link.PendingUplink;
import io.orchide.ground.link.Uplink;
import io.orchide.ground.product.Products;
import io.orchide.ground.report.Reports;
import io.orchide.ground.api.HealthReport;
import io.orchide.ground.store.DatabaseHealth;
import io.orchide.ground.store.DatabaseUnavailable;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.link.Deliveries;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.PeerContact;
import io.orchide.link.store.LinkStore;
import io.orchide.link.store.StoreUnavailableException;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.LinkIdentity;
import io.orchide.link.secure.PinnedKeyTrust;
import io.orchide.link.secure.TlsConvergenceLayer;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.telemetry.GroundMetrics;
import io.orchide.ground.fleet.NodeKeys;
import io.orchide.ground.link.LinkTrust;
import io.orchide.web.ApiServer;
import io.orchide.web.telemetry.MetricsRoute;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The ground control plane in one process: the database (SQLite or a shared PostgreSQL), the link endpoint on the same
 * database, downlink intake, the uplink outbox, and the REST API. Stateless apart from the database, so several can
 * run on one PostgreSQL.
 *
 * <pre>{@code
 * try (GroundServer g = GroundServer.start(GroundConfig.builder().dataDir(dir)
 *         .listen(new InetSocketAddress("127.0.0.1", 8080)).linkListen("0.0.0.0:4700").build())) {
 *     g.apiAddress(); g.linkAddress();
 * }
 * }</pre>
 */
public final class GroundServer implements AutoCloseable {
    public static final String VERSION = "0.1.0";
    public static final int MAX_EVENTS_PER_SATELLITE = 1000;
    public static final int MAX_LOGS_PER_SATELLITE = 200;
    /** Audit entries kept in memory at most while the database is away (see {@link AuditWriter}). */
    public static final int AUDIT_QUEUE = 10_000;

    private final GroundConfig cfg;
    private final GroundDatabase db;
    private final Fleet fleet;
    private final NodeKeys nodeKeys;
    /** Ground's identity on the link; null on a ground without a link endpoint of its own. */
    private LinkIdentity identity;
    private final Reports reports;
    private final Products products;
    private final Intake intake;
    private final AuthStore authStore;
    private final ApiTokens apiTokens;
    private final Access access;
    private final GroundMetrics metrics;
    private volatile boolean adminChecked;
    private volatile java.nio.file.Path adminTokenWritten;
    private final LinkEvents events;
    private LinkStore linkStore;
    private LinkEndpoint endpoint;
    private Uplink uplink;
    private Outbox outbox;
    private io.orchide.ground.trust.GroundTrust trust;
    private DesiredState desired;
    private volatile Images images;
    private final AuditLog audit;
    /** Null on a ground with the check bypassed (tests, benchmarks): it makes no decision worth recording. */
    private final AuditWriter auditWriter;
    private final SatelliteAudit satelliteAudit;
    private ApiServer api;
    private volatile String linkAddress;
    /** The uplink before the link endpoint is open (while the database is away at start), then the endpoint's. */
    private final PendingUplink pendingUplink;
    private boolean ownLink;
    private volatile boolean ready;
    private volatile boolean closed;
    private Thread initialiser;
    private static final System.Logger LOG = System.getLogger("io.orchide.ground");

    private GroundServer(GroundConfig cfg, GroundDatabase db) {
        this.cfg = cfg;
        this.db = db;
        this.pendingUplink = new PendingUplink(db.toString());
        this.fleet = new Fleet(db, cfg.clock());
        this.nodeKeys = new NodeKeys(db, cfg.clock());
        this.reports = new Reports(db, MAX_EVENTS_PER_SATELLITE, MAX_LOGS_PER_SATELLITE);
        this.products = new Products(db);
        this.authStore = new AuthStore(db, AuthChanges.of(db));
        this.apiTokens = new ApiTokens(authStore, cfg.clock());
        this.audit = new AuditLog(db, cfg.clock(), cfg.auditRetention());
        this.auditWriter = cfg.auth().bypass() ? null : new AuditWriter(audit, AUDIT_QUEUE);
        // the nodes' audit records go through the one writer (with the check bypassed there is none: straight in)
        this.satelliteAudit = new SatelliteAudit(db, auditWriter == null ? audit::append
                : e -> auditWriter.record(e, AuditWriter.Kind.CHANGE));
        this.intake = new Intake(db, reports, products, cfg.clock(),
                () -> Thread.ofVirtual().name("satellite-audit").start(satelliteAudit::forward),
                new io.orchide.ground.series.SeriesStore(db), cfg.seriesRetention());
        this.metrics = new GroundMetrics(db, fleet, () -> uplink, audit, auditWriter);
        metrics.registry().register(new io.orchide.ground.series.SeriesMetrics(new io.orchide.ground.series.SeriesStore(db)));
        this.access = new Access(authenticators(), decisions(), cfg.auth().bypass(), cfg.clock());
        this.events = new LinkEvents() {
            @Override
            public void contactOpened(PeerContact peer) {
                metrics.sessionBegun();
                fleet.contact(peer);
                if (outbox != null) Thread.ofVirtual().name("ground-outbox").start(GroundServer.this::flushOutbox);
            }

            @Override
            public void contactClosed(String peer) {
                fleet.contactEnded(peer);
            }

            @Override
            public void acknowledged(Bundle bundle) {
                if (images != null) images.acknowledged(bundle);
            }

            @Override
            public void expired(Bundle bundle) {
                if (images != null) images.expired(bundle);
                if (!bundle.destination().equals("ground")) { // one of ours, to a satellite, never delivered
                    reports.linkEvent(bundle.destination(), cfg.clock().instant(), "bundle/" + bundle.id(),
                            bundle.kind() + " bundle expired before the satellite took it (created " + bundle.created()
                                    + ", lifetime " + bundle.lifetime() + ")");
                }
            }

            @Override
            public void rejected(String peer, String bundleId, String reason) {
                if (peer != null && !peer.equals("ground") && SatelliteNames.valid(peer)) {
                    reports.linkEvent(peer, cfg.clock().instant(), "bundle/" + bundleId, "refused: " + reason);
                }
            }
        };
    }

    /**
     * Who may prove a request's caller, asked in order: API tokens (recognised by their prefix), then, when configured,
     * OIDC JWTs (recognised by their form).
     */
    private List<Authenticator> authenticators() {
        if (cfg.auth().oidc() == null) return List.of(apiTokens);
        return List.of(apiTokens, new OidcAuthenticator(new OidcVerifier(cfg.auth().oidc(), cfg.clock()), authStore));
    }

    /** Where access decisions go: the audit log, and a log line for each refusal. */
    private DecisionListener decisions() {
        return metrics.decisions(auditWriter == null ? DecisionListener.LOG : new DecisionAudit(auditWriter, DecisionListener.LOG));
    }

    /**
     * Starts a ground with its own link endpoint on the database, listening for nodes at {@code cfg.linkListen()}.
     * A database that cannot be reached does not stop it: the API starts at once (answering 503
     * {@code database_unavailable} to whatever needs the database, and {@code /api/v1/ready} 503 with the reason), and
     * the schema, the link's store and its listener are set up, with backoff, once the database answers; until then
     * no link listener is open, so nodes' dials are refused and they try their other addresses.
     */
    public static GroundServer start(GroundConfig cfg) throws IOException {
        return start(cfg, null, true);
    }

    /**
     * Starts a ground whose uplink is {@code uplink} and that has no link endpoint of its own: deliveries and contacts
     * come through {@link #intake()} and {@link #linkEvents()} (tests, benchmarks, or an endpoint wired by the caller).
     */
    public static GroundServer start(GroundConfig cfg, Uplink uplink) throws IOException {
        return start(cfg, uplink, false);
    }

    private static GroundServer start(GroundConfig cfg, Uplink given, boolean ownLink) throws IOException {
        GroundDatabase db = GroundDatabase.connect(cfg.dataDir(), cfg.connectUrl(), cfg.clock());
        GroundServer g = new GroundServer(cfg, db);
        try {
            g.ownLink = ownLink;
            // a ground without a link listener (only its API, on a shared store) proves nothing to anyone: no key needed
            if (ownLink && cfg.linkListen() != null) g.identity = identity(cfg);
            g.uplink = ownLink ? g.pendingUplink : given;
            g.bootstrapBeforeListening();
            g.startRest();
            if (!g.initialise()) {
                g.initialiser = Thread.ofVirtual().name("ground-initialiser").start(g::initialiseUntilReady);
            }
            return g;
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /**
     * Sets up what needs the database (schema, the link's store, endpoint and listener), then catches up with what an
     * outage may have left behind (the outbox, image chunks acknowledged while their bookkeeping could not be
     * written). True once ready; false when the database could not be reached (what was set up is kept, and a later
     * call goes on from there). Any other failure is thrown.
     */
    private boolean initialise() throws IOException {
        try {
            db.migrate();
            bootstrapAdmin();
            synchronized (this) {
                if (closed) return false;
                if (ownLink && linkStore == null) linkStore = LinkStore.on(db.dataSource());
                if (ownLink && endpoint == null) {
                    LinkConfig lc = new LinkConfig("ground", "{\"ground\": \"" + VERSION + "\"}",
                            cfg.linkRateBytesPerSecond(), 0, 0, holder(), cfg.sessionLease(), null, cfg.clock(),
                            cfg.linkKeepalive(), cfg.linkIdleTimeout());
                    // without a listener the endpoint only queues: its transport is never used, and there is no key
                    io.orchide.link.transport.ConvergenceLayer transport = identity == null ? new TcpConvergenceLayer()
                            : new TlsConvergenceLayer(new TcpConvergenceLayer(), identity, PinnedKeyTrust.anyKey(),
                            c -> LOG.log(System.Logger.Level.DEBUG, "link: TLS handshake with {0}: {1} bytes, {2} ms",
                                    c.remote(), c.bytes(), c.time().toMillis()));
                    endpoint = LinkEndpoint.open(lc, linkStore, transport, intake, events, new LinkTrust(nodeKeys, auditWriter));
                    pendingUplink.open(new EndpointUplink(endpoint));
                }
                if (ownLink && cfg.linkListen() != null && linkAddress == null) linkAddress = endpoint.listen(cfg.linkListen());
            }
            outbox.flush(); // changes stored by an earlier run (or another replica) and not yet with the link
            reconcileImages();
            satelliteAudit.forward(); // nodes' records an earlier run took and had not yet appended
            ready = true;
            db.health().onBack(this::reconcileLater);
            return true;
        } catch (DatabaseUnavailable e) {
            return false;
        } catch (RuntimeException e) {
            if (StoreUnavailableException.isCause(e)) return false;
            throw e;
        }
    }

    /**
     * Ground's key pair for the link, made at the first start (every replica of one ground shares the file, so a
     * replica that finds it made by another in the meantime loads it). Without a data dir or a key file there is
     * nowhere to keep it: refused, naming the option.
     */
    private static LinkIdentity identity(GroundConfig cfg) throws IOException {
        java.nio.file.Path[] files = cfg.groundKey();
        if (files == null) throw new IllegalArgumentException("groundKeyFile: ground's link needs its key and has "
                + "nowhere to keep it without a data dir: give --ground-key-file PATH (every replica the same file)");
        if (!java.nio.file.Files.exists(files[0])) {
            try {
                io.orchide.link.secure.EncryptedKeys.create(files[0], files[1], cfg.keyPassphrase());
                LOG.log(System.Logger.Level.INFO, "first start: the link key of ground made in {0} (public key {1}: nodes pin it "
                        + "with --ground-key)", files[0], files[1]);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by another replica meanwhile: loaded below
            }
        }
        // an encrypted key needs its passphrase (refused at start without it, or with a wrong one); a clear one loads
        LinkIdentity id = LinkIdentity.of(io.orchide.link.secure.EncryptedKeys.load(files[0], files[1], cfg.keyPassphrase()), "ground");
        if (cfg.keyPassphrase() != null && !io.orchide.link.secure.EncryptedKeys.isEncrypted(files[0])) {
            LOG.log(System.Logger.Level.WARNING, "the link key of ground in {0} is not encrypted although a passphrase is given: "
                    + "encrypt it with orchide ground --encrypt-key (same options)", files[0]);
        }
        LOG.log(System.Logger.Level.INFO, "the link key of ground: {0} ({1})", id.fingerprint(), files[1]);
        return id;
    }

    /**
     * Ground's director key: its link key, which signs each satellite's desired-state changes. A replica serving only
     * the API (no link of its own) signs with the same key file where it can read it, since another replica sends what
     * it stores. Null when there is none.
     */
    private java.security.KeyPair directorKeys() throws IOException {
        java.security.KeyPair keys = identity != null ? identity.keys() : null;
        java.nio.file.Path[] files = cfg.groundKey();
        if (keys == null && files != null && java.nio.file.Files.exists(files[0]) && java.nio.file.Files.exists(files[1])) {
            keys = KeyFiles.load(files[0], files[1]);
        }
        return keys;
    }

    private static io.orchide.ground.desired.Director director(java.security.KeyPair keys) {
        if (keys == null) return io.orchide.ground.desired.Director.NONE;
        return (satellite, change) -> io.orchide.link.trust.DesiredStateSignature.seal(satellite, change, keys);
    }

    /** Ground's public key file (what nodes pin), or null on a ground without a link endpoint of its own. */
    public java.nio.file.Path groundPublicKey() { return identity == null ? null : cfg.groundKey()[1]; }

    /** The fingerprint of ground's link key, or null on a ground without a link endpoint of its own. */
    public String groundKeyFingerprint() { return identity == null ? null : identity.fingerprint(); }

    /** The node keys registered for each satellite. */
    public NodeKeys nodeKeys() { return nodeKeys; }

    /**
     * On a ground nobody can use yet (no principal), writes the first platform admin's token to the admin token file;
     * without one (PostgreSQL and neither a data dir nor {@code adminTokenFile}) says how to get one.
     */
    private void bootstrapAdmin() throws IOException {
        if (adminChecked || cfg.auth().bypass()) return;
        java.nio.file.Path file = cfg.auth().adminTokenFile(cfg.dataDir());
        if (AdminBootstrap.ensure(authStore, apiTokens, file, cfg.clock())) {
            adminTokenWritten = file;
            LOG.log(System.Logger.Level.INFO, "first start: platform admin token written to {0}", file);
        } else if (file == null && !authStore.anyPrincipal()) {
            LOG.log(System.Logger.Level.WARNING, "ground has no principal and no admin token file: nobody can use its API; "
                    + "restart it with --admin-token-file PATH to have the first platform admin token written there");
        }
        adminChecked = true;
    }

    /**
     * With a database that answers now, the schema and the first admin's token are made before the API listens: a
     * client that waits for the port finds the token file there. Without one, {@link #initialise()} makes them later.
     */
    private void bootstrapBeforeListening() throws IOException {
        try {
            db.migrate();
            bootstrapAdmin();
        } catch (DatabaseUnavailable e) {
            // initialise() tries again, with backoff
        }
    }

    /** Where this start wrote the first platform admin's token (the principal table was empty), or null. */
    public java.nio.file.Path adminTokenWritten() { return adminTokenWritten; }

    public AuthStore authStore() { return authStore; }

    public ApiTokens apiTokens() { return apiTokens; }

    /** Retries {@link #initialise()} with backoff until it succeeds or the server closes. */
    private void initialiseUntilReady() {
        LOG.log(System.Logger.Level.WARNING, "ground started without its database {0}: the API answers 503 "
                + "database_unavailable and the link accepts no session until it answers; retrying", db);
        StartBackoff backoff = StartBackoff.DEFAULT;
        for (int attempt = 0; !closed; attempt++) {
            try {
                // real time, not cfg.clock(): the database comes back on the wall clock, whatever pace a twin's
                // simulated clock keeps (at 200x, its five seconds would be a retry every 25 ms)
                Thread.sleep(backoff.delay(attempt));
            } catch (InterruptedException e) {
                return; // closed
            }
            try {
                if (initialise()) {
                    LOG.log(System.Logger.Level.INFO, "ground is ready on database {0}", db);
                    return;
                }
            } catch (IOException | RuntimeException e) {
                if (closed) return;
                // not an outage (the link port taken by another process): said each time, at the backoff's pace
                LOG.log(System.Logger.Level.ERROR, "ground could not initialise: " + e);
            }
        }
    }

    /**
     * Chunks whose acknowledgement reached the link's store while their bookkeeping on ground could not be written
     * (the database went away in between) are marked as the link says.
     */
    private void reconcileImages() {
        if (linkStore != null) images.reconcile(linkStore::outState);
    }

    private void reconcileLater() {
        if (closed) return;
        Thread.ofVirtual().name("ground-reconcile").start(() -> {
            try {
                reconcileImages();
            } catch (RuntimeException e) {
                // gone again: the next time it is back runs this again
                LOG.log(System.Logger.Level.DEBUG, "image bookkeeping not reconciled: " + e);
            }
        });
    }

    /** Whether this replica serves: initialised, and its database answering when asked now. */
    public HealthReport health() {
        boolean answers = db.probe();
        DatabaseHealth.State s = db.health().state();
        String reason = !ready ? "starting: waiting for the database to set up the schema and the link"
                : !answers ? "the database is unavailable" : null;
        return new HealthReport(ready && answers, reason, db.toString(), s.available(), s.since());
    }

    /** Whether the schema and (for a ground with its own link) the link endpoint are set up. */
    public boolean ready() { return ready; }

    /**
     * This process's name on the leases of satellites' sessions: the host and the process, which an operator reads
     * in a refusal, and a random part, because replicas on two hosts (or in two containers) may share a pid.
     */
    static String holder() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return "ground-" + host + "-" + ProcessHandle.current().pid() + "-"
                + String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));
    }

    /** Hands the outbox to the link; while the database is away it stays for the next contact (the outage is logged once). */
    private void flushOutbox() {
        try {
            outbox.flush();
        } catch (DatabaseUnavailable e) {
            System.getLogger("io.orchide.ground").log(System.Logger.Level.DEBUG, "outbox not flushed: " + e.getMessage());
        }
    }

    private void startRest() throws IOException {
        outbox = new Outbox(db, uplink, cfg.clock());
        java.security.KeyPair directorKeys = directorKeys();
        trust = new io.orchide.ground.trust.GroundTrust(db, cfg.clock(), outbox,
                directorKeys == null ? null : directorKeys.getPublic());
        desired = new DesiredState(db, outbox, cfg.clock(), trust::attachments, director(directorKeys));
        images = new Images(db, uplink, cfg.clock());
        api = new ApiServer(cfg.listen());
        api.gate(access::admit);
        api.observe(metrics.requests());
        MetricsRoute.register(api, metrics.registry(), ex -> access.require(ex, Verb.GET, Resource.METRICS, null, null));
        new GroundApi(fleet, desired, reports, products, uplink, images, cfg.clock(), VERSION, this::health, access,
                authStore, apiTokens, new Quotas(db, cfg.clock()),
                new io.orchide.ground.pass.Passes(db, cfg.clock())).register(api);
        new io.orchide.ground.api.NodeKeyApi(nodeKeys, access).register(api);
        new Dashboard().register(api);
        new DatasetOpsApi(new DatasetOps(db, cfg.clock()), desired, outbox, access, cfg.clock(), images, authStore)
                .register(api);
        new SeriesApi(new SeriesStore(db), new TelemetryBudgets(db, outbox, cfg.clock()), desired, access, cfg.clock())
                .register(api);
        new FullLogApi(new FullLogRequests(db, outbox, cfg.clock()), desired, new Passes(db, cfg.clock()), access,
                cfg.clock()).register(api);
        new TrustApi(trust, access, authStore).register(api);
        new AuditApi(audit, cfg.clock(), cfg.auth().bypass() ? AuditApi.Scope.ALL : new AuditScope(access)).register(api);
        api.start();
    }

    public InetSocketAddress apiAddress() { return api.address(); }

    /** The {@code host:port} nodes dial, or null when no link listener was asked for or it is not open yet ({@link #ready()}). */
    public String linkAddress() { return linkAddress; }

    public GroundDatabase database() { return db; }

    public Deliveries intake() { return intake; }

    public LinkEvents linkEvents() { return events; }

    public Fleet fleet() { return fleet; }

    public DesiredState desired() { return desired; }

    public Outbox outbox() { return outbox; }

    public Reports reports() { return reports; }

    public Products products() { return products; }

    public Images images() { return images; }

    /** The audit log: what the API's authorization decisions are appended to. */
    public AuditLog audit() { return audit; }

    /** The writer that appends decisions to {@link #audit()}; null with the check bypassed. */
    public AuditWriter auditWriter() { return auditWriter; }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        // not joined: it may be inside a statement; what it sets up after this point it checks closed for
        if (initialiser != null) initialiser.interrupt();
        if (api != null) api.close();
        if (auditWriter != null) auditWriter.close(); // what is queued is written before the database closes
        apiTokens.close();
        authStore.changes().close();
        if (endpoint != null) endpoint.close();
        if (linkStore != null) linkStore.close();
        db.close();
    }

}
