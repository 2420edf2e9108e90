package io.orchide.ground.desired;

import io.orchide.model.message.BundleIds;
import io.orchide.model.Manifest;
import io.orchide.model.Secret;
import io.orchide.ground.secret.SecretSealer;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.EventCommand;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each satellite's desired state: Apps, Pipelines, Datasets, Secrets (sealed, {@link SecretSealer}), DeviceGrants and Models
 * applied or deleted. A change bumps the object's generation,
 * is recorded in {@code desired_change}, and goes into the outbox as a {@code desired} bundle with the deterministic
 * id {@code desired.<satellite>.<kind>.<name>.<generation>}, all in one transaction; the bundle is handed to the link
 * after the commit. The tenant's on-board quota goes with its changes ({@link QuotaBundles}).
 */
public final class DesiredState {
    private final GroundDatabase db;
    private final Outbox outbox;
    private final Clock clock;
    private final Attachments attachments;
    private final Director director;

    public DesiredState(GroundDatabase db, Outbox outbox, Clock clock) {
        this(db, outbox, clock, Attachments.NONE, Director.NONE);
    }

    /**
     * With {@code attachments}, the signed documents each change carries (see {@link Attachments}), and
     * {@code director}, which seals each change for its satellite.
     */
    public DesiredState(GroundDatabase db, Outbox outbox, Clock clock, Attachments attachments, Director director) {
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
        this.attachments = attachments;
        this.director = director;
    }

    public static String bundleId(String satellite, String kind, String name, int generation) {
        return BundleIds.desired(satellite, kind, name, generation);
    }

    /**
     * Validates every document of {@code text} (YAML or JSON, several separated by {@code ---}) and, only if all are
     * valid, applies them to {@code satellite} in one transaction.
     *
     * @throws ManifestException naming each field at fault; nothing is stored then
     */
    public List<ApplyOutcome> apply(String satellite, String text) throws ManifestException {
        return apply(satellite, Manifests.parseAll(text, null));
    }

    /**
     * Applies documents already read and validated ({@link Manifests#parseAll}) to {@code satellite} in one transaction.
     *
     * @throws NameTaken when a document's name is another tenant's on this satellite; nothing is stored then
     */
    public List<ApplyOutcome> apply(String satellite, List<Manifest> docs) {
        return apply(satellite, docs, Admission.NONE);
    }

    /**
     * Like {@link #apply(String, List)}, with {@code admission} asked in the same transaction once the changes are
     * written; what it throws leaves nothing stored.
     */
    public List<ApplyOutcome> apply(String satellite, List<Manifest> docs, Admission admission) {
        record Doc(String kind, String name, String tenant, String json, Secret secret) {
        }
        List<Doc> parsed = new ArrayList<>();
        for (Manifest m : docs) {
            // a Secret's clear data is never written: it is sealed in the transaction, at the generation it takes
            if (m instanceof Secret s && !s.isSealed()) parsed.add(new Doc(m.kind(), m.name(), m.metadata().tenant(), null, s));
            else parsed.add(new Doc(m.kind(), m.name(), m.metadata().tenant(), Manifests.toJson(m), null));
        }
        List<String> quotas = new ArrayList<>();
        List<ApplyOutcome> outcomes = db.tx(c -> {
            quotas.clear(); // a transaction run again starts over
            Instant now = clock.instant();
            Fleet.ensure(c, satellite, now);
            List<ApplyOutcome> out = new ArrayList<>();
            List<Admission.Change> changes = new ArrayList<>();
            for (Doc d : parsed) {
                String q = QuotaBundles.sendIfChanged(c, satellite, d.tenant(), now);
                if (q != null) quotas.add(q);
                String json = d.secret() == null ? d.json() : sealed(c, satellite, d.secret());
                ApplyOutcome o = change(c, satellite, d.kind(), d.name(), d.tenant(), json, now, attachments, director);
                out.add(o);
                // a grant or a model's allowance is the operator's act: not charged to the quotas of the tenant it names
                String charged = d.kind().equals(DesiredChange.DEVICE_GRANT) || d.kind().equals(DesiredChange.MODEL)
                        ? null : d.tenant();
                changes.add(new Admission.Change(charged, d.kind(), o.result(), o.result().equals(ApplyOutcome.UNCHANGED)
                        ? 0 : new DesiredChange(d.kind(), d.name(), o.generation(), json).encode().length));
            }
            admission.admit(c, satellite, now, changes);
            return out;
        });
        List<String> bundles = new ArrayList<>(quotas);
        outcomes.stream().filter(o -> !o.result().equals(ApplyOutcome.UNCHANGED)).map(ApplyOutcome::bundleId).forEach(bundles::add);
        outbox.send(bundles);
        return outcomes;
    }

    /** Deletes an App or Pipeline from the satellite's desired state; empty when there is none to delete. */
    public Optional<ApplyOutcome> delete(String satellite, String kind, String name) {
        ApplyOutcome o = db.tx(c -> {
            Current cur = current(c, satellite, kind, name);
            if (cur == null || cur.manifest() == null) return null;
            return change(c, satellite, kind, name, cur.tenant(), null, clock.instant(), attachments, director);
        });
        if (o == null) return Optional.empty();
        outbox.send(List.of(o.bundleId()));
        return Optional.of(o);
    }

    /**
     * Sends {@code tenant}'s on-board quota, as it is declared now, to every satellite that holds an object of the
     * tenant's and was sent another (to be called once a tenant's quota changed); returns the bundles' ids.
     */
    public List<String> quotaChanged(String tenant) {
        List<String> ids = db.tx(c -> {
            Instant now = clock.instant();
            List<String> sats = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT satellite FROM desired_object WHERE tenant = ? "
                    + "AND manifest IS NOT NULL ORDER BY satellite")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) sats.add(rs.getString(1));
                }
            }
            List<String> out = new ArrayList<>();
            for (String sat : sats) {
                String q = QuotaBundles.sendIfChanged(c, sat, tenant, now);
                if (q != null) out.add(q);
            }
            return out;
        });
        outbox.send(ids);
        return ids;
    }

    /** The migration of what this package adds to ground's schema after its first entry ({@code sent_quota}). */
    public static String migration() {
        return QuotaBundles.MIGRATION;
    }

    /** Queues a named event for the satellite's onEvent triggers; returns the bundle id. */
    public String event(String satellite, String name) {
        String id = db.tx(c -> {
            Instant now = clock.instant();
            Fleet.ensure(c, satellite, now);
            long seq;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sent_event (satellite, name, at) VALUES (?, ?, ?) RETURNING id")) {
                Sql.bind(ps, satellite, name, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            String bundle = BundleIds.event(satellite, seq);
            Outbox.add(c, bundle, satellite, BundleKind.EVENT.wire(), BundleKind.EVENT.priority(), BundleKind.EVENT.lifetime(),
                    new EventCommand(name, now).encode(), now);
            return bundle;
        });
        outbox.send(List.of(id));
        return id;
    }

    /** The satellite's desired objects (deleted ones included when {@code withDeleted}), by kind and name. */
    public List<DesiredObject> list(String satellite, boolean withDeleted) {
        return db.read(c -> {
            List<DesiredObject> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT o.*, x.queued_at AS queued_at FROM desired_object o JOIN desired_change d ON d.satellite = o.satellite "
                            + "AND d.kind = o.kind AND d.name = o.name AND d.generation = o.generation "
                            + "LEFT JOIN uplink_outbox x ON x.bundle_id = d.bundle_id WHERE o.satellite = ? ORDER BY o.kind, o.name")) {
                ps.setString(1, satellite);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        DesiredObject d = new DesiredObject(rs.getString("satellite"), rs.getString("kind"),
                                rs.getString("name"), rs.getString("tenant"), rs.getInt("generation"),
                                rs.getString("manifest"), Sql.instant(rs, "updated_at"),
                                bundleId(satellite, rs.getString("kind"), rs.getString("name"), rs.getInt("generation")),
                                Sql.instant(rs, "queued_at") != null);
                        if (withDeleted || !d.deleted()) out.add(d);
                    }
                }
            }
            return out;
        });
    }

    private record Current(int generation, String manifest, String tenant) {
    }

    /**
     * {@code secret} sealed to the satellite's node keys at the generation its change takes: every sealing differs
     * (a fresh ephemeral key), so a Secret applied again is always a new generation.
     */
    private static String sealed(Connection c, String sat, Secret secret) throws SQLException {
        Current cur = current(c, sat, secret.kind(), secret.name());
        if (cur != null && cur.tenant() != null && !cur.tenant().equals(secret.metadata().tenant())) {
            throw new NameTaken(secret.kind(), secret.name(), secret.metadata().tenant());
        }
        return Manifests.toJson(SecretSealer.seal(c, sat, secret, cur == null ? 1 : cur.generation() + 1));
    }

    private static Current current(Connection c, String sat, String kind, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT generation, manifest, tenant FROM desired_object WHERE satellite = ? AND kind = ? AND name = ?")) {
            Sql.bind(ps, sat, kind, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Current(rs.getInt(1), rs.getString(2), rs.getString(3)) : null;
            }
        }
    }

    private static ApplyOutcome change(Connection c, String sat, String kind, String name, String tenant, String json,
                                       Instant now, Attachments attachments, Director director) throws SQLException {
        Current cur = current(c, sat, kind, name);
        if (cur != null && cur.tenant() != null && tenant != null && !cur.tenant().equals(tenant)) {
            throw new NameTaken(kind, name, tenant);
        }
        if (cur != null && json != null && json.equals(cur.manifest())) {
            return new ApplyOutcome(kind, name, ApplyOutcome.UNCHANGED, cur.generation(),
                    bundleId(sat, kind, name, cur.generation()));
        }
        int gen = cur == null ? 1 : cur.generation() + 1;
        String result = json == null ? ApplyOutcome.DELETED
                : cur == null || cur.manifest() == null ? ApplyOutcome.CREATED : ApplyOutcome.CONFIGURED;
        String bundle = bundleId(sat, kind, name, gen);
        // the change's primary key (satellite, kind, name, generation) stops a concurrent replica taking the same
        // generation: its transaction fails, runs again, and reads ours
        Sql.update(c, "INSERT INTO desired_change (satellite, kind, name, generation, manifest, changed_at, bundle_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", sat, kind, name, gen, json, now, bundle);
        Sql.update(c, "INSERT INTO desired_object (satellite, kind, name, tenant, generation, manifest, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (satellite, kind, name) DO UPDATE SET tenant = excluded.tenant, "
                + "generation = excluded.generation, manifest = excluded.manifest, updated_at = excluded.updated_at",
                sat, kind, name, tenant, gen, json, now);
        Outbox.add(c, bundle, sat, BundleKind.DESIRED.wire(), BundleKind.DESIRED.priority(), BundleKind.DESIRED.lifetime(),
                director.seal(sat, new DesiredChange(kind, name, gen, json, attachments.of(c, tenant, json)).encode()), now);
        return new ApplyOutcome(kind, name, result, gen, bundle);
    }
}
