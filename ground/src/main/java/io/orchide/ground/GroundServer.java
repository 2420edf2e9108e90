package io.orchide.ground;

import io.orchide.ground.api.GroundApi;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.desired.Outbox;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.fleet.SatelliteNames;
import io.orchide.ground.image.Images;
import io.orchide.link.Bundle;
import io.orchide.ground.intake.Intake;
import io.orchide.ground.link.EndpointUplink;
import io.orchide.ground.link.Uplink;
import io.orchide.ground.product.Products;
import io.orchide.ground.report.Reports;
import io.orchide.ground.store.DatabaseUnavailable;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.link.Deliveries;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.PeerContact;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.web.ApiServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The ground control plane in one process: the database (SQLite or a shared PostgreSQL), the link endpoint on the same
 * database, downlink intake, the uplink outbox, and the REST API. Stateless apart from the database, so several can
 * run on one PostgreSQL.
 *
 * <pre>{@code
 * try (GroundServer g = GroundServer.start(new GroundConfig(dir, null, new InetSocketAddress("127.0.0.1", 8080),
 *         "0.0.0.0:4700", 0, Clock.systemUTC()))) {
 *     g.apiAddress(); g.linkAddress();
 * }
 * }</pre>
 */
public final class GroundServer implements AutoCloseable {
    public static final String VERSION = "0.1.0";
    public static final int MAX_EVENTS_PER_SATELLITE = 1000;
    public static final int MAX_LOGS_PER_SATELLITE = 200;

    private final GroundConfig cfg;
    private final GroundDatabase db;
    private final Fleet fleet;
    private final Reports reports;
    private final Products products;
    private final Intake intake;
    private final LinkEvents events;
    private LinkStore linkStore;
    private LinkEndpoint endpoint;
    private Uplink uplink;
    private Outbox outbox;
    private DesiredState desired;
    private volatile Images images;
    private ApiServer api;
    private String linkAddress;

    private GroundServer(GroundConfig cfg, GroundDatabase db) {
        this.cfg = cfg;
        this.db = db;
        this.fleet = new Fleet(db, cfg.clock());
        this.reports = new Reports(db, MAX_EVENTS_PER_SATELLITE, MAX_LOGS_PER_SATELLITE);
        this.products = new Products(db);
        this.intake = new Intake(db, reports, products, cfg.clock());
        this.events = new LinkEvents() {
            @Override
            public void contactOpened(PeerContact peer) {
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

    /** Starts a ground with its own link endpoint on the database, listening for nodes at {@code cfg.linkListen()}. */
    public static GroundServer start(GroundConfig cfg) throws IOException {
        GroundDatabase db = GroundDatabase.open(cfg.dataDir(), cfg.connectUrl(), cfg.clock());
        GroundServer g = new GroundServer(cfg, db);
        try {
            g.linkStore = LinkStore.on(db.dataSource());
            LinkConfig lc = new LinkConfig("ground", "{\"ground\": \"" + VERSION + "\"}", cfg.linkRateBytesPerSecond(),
                    0, 0, holder(), cfg.sessionLease(), null, cfg.clock());
            g.endpoint = LinkEndpoint.open(lc, g.linkStore, new TcpConvergenceLayer(), g.intake, g.events);
            g.uplink = new EndpointUplink(g.endpoint);
            if (cfg.linkListen() != null) g.linkAddress = g.endpoint.listen(cfg.linkListen());
            g.startRest();
            return g;
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /**
     * Starts a ground whose uplink is {@code uplink} and that has no link endpoint of its own: deliveries and contacts
     * come through {@link #intake()} and {@link #linkEvents()} (tests, benchmarks, or an endpoint wired by the caller).
     */
    public static GroundServer start(GroundConfig cfg, Uplink uplink) throws IOException {
        GroundDatabase db = GroundDatabase.open(cfg.dataDir(), cfg.connectUrl(), cfg.clock());
        GroundServer g = new GroundServer(cfg, db);
        try {
            g.uplink = uplink;
            g.startRest();
            return g;
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** Hands the outbox to the link; while the database is away it stays for the next contact (the outage is logged once). */
    private void flushOutbox() {
        try {
            outbox.flush();
        } catch (DatabaseUnavailable e) {
            System.getLogger("io.orchide.ground").log(System.Logger.Level.DEBUG, "outbox not flushed: " + e.getMessage());
        }
    }

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

    private void startRest() throws IOException {
        outbox = new Outbox(db, uplink, cfg.clock());
        desired = new DesiredState(db, outbox, cfg.clock());
        images = new Images(db, uplink, cfg.clock());
        outbox.flush(); // changes stored by an earlier run (or another replica) and not yet with the link
        api = new ApiServer(cfg.listen());
        new GroundApi(fleet, desired, reports, products, uplink, images, cfg.clock(), VERSION).register(api);
        api.start();
    }

    public InetSocketAddress apiAddress() { return api.address(); }

    /** The {@code host:port} nodes dial, or null when no link listener was asked for. */
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

    @Override
    public void close() {
        if (api != null) api.close();
        if (endpoint != null) endpoint.close();
        if (linkStore != null) linkStore.close();
        db.close();
    }

}
