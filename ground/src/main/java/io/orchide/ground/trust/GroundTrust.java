package io.orchide.ground.trust;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.ImageStatement;
import io.orchide.link.trust.ImageVerifier;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ground holds of the operator's chain of trust: every version of the root metadata (a node that was offline
 * walks them in turn), each tenant's delegations, the root's director keys (which ground keys nodes take desired
 * state from), and the signatures of the tenants' images. Ground checks each
 * document as a node will, so that it refuses early what a node would refuse; but a node trusts none of ground's
 * checks: it verifies everything again against the root pinned on it. Ground keeps no private key of this chain.
 */
public final class GroundTrust {
    public static final String ROOT = "root";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private final GroundDatabase db;
    private final Clock clock;
    private final io.orchide.ground.desired.Outbox outbox;
    private final PublicKey ownKey;

    /** With {@code outbox} (null: none) through which each document taken goes to every satellite at once. */
    public GroundTrust(GroundDatabase db, Clock clock, io.orchide.ground.desired.Outbox outbox) {
        this(db, clock, outbox, null);
    }

    /**
     * As above, for a ground whose desired state is sealed by {@code ownKey} (null: a ground that seals nothing): a
     * director document that leaves that key out is refused unless its hand-over is forced.
     */
    public GroundTrust(GroundDatabase db, Clock clock, io.orchide.ground.desired.Outbox outbox, PublicKey ownKey) {
        this.db = db;
        this.clock = clock;
        this.outbox = outbox;
        this.ownKey = ownKey;
    }

    /**
     * A document taken: its type, its subject (the tenant of a delegation, {@code root}) and version; {@code handedOver}
     * names ground's own key when the document was director keys that leave it out, taken because that was forced.
     */
    public record Accepted(String type, String subject, long version, boolean unchanged, String handedOver) {
        public Accepted(String type, String subject, long version, boolean unchanged) {
            this(type, subject, version, unchanged, null);
        }
    }

    /**
     * Director keys that do not name ground's own key: once nodes take them, they refuse this ground at the handshake
     * and every desired state it seals, until an operator reaches them with another ground. Carries the key left out
     * and the version that leaves it out.
     */
    public static final class OwnKeyLeftOut extends Exception {
        private final String key;
        private final long version;

        OwnKeyLeftOut(String key, long version, String named) {
            super("director keys version " + version + " do not name this ground's key " + key + " (they name " + named
                    + "): nodes that take them would refuse this ground at the next contact. Name this key beside the "
                    + "new one until ground has moved to it (orchide keys delegate --director --key ground.pub --key "
                    + "NEW.pub), or, for a planned hand-over to another ground key, push with --allow-foreign-director");
            this.key = key;
            this.version = version;
        }

        /** The fingerprint of ground's key that the document leaves out. */
        public String key() { return key; }

        public long version() { return version; }
    }

    /**
     * Takes a root (the first one signed by its own threshold; each later one the next version, signed by the
     * threshold of the one before and of its own) or a delegation (signed by the threshold of the current root, newer
     * than the tenant's last). The same document again changes nothing.
     */
    public Accepted put(SignedDocument d) throws TrustException {
        try {
            return put(d, false);
        } catch (OwnKeyLeftOut e) {
            throw new TrustException("director keys version " + e.version(), e.getMessage());
        }
    }

    /**
     * As {@link #put(SignedDocument)}; director keys that leave out ground's own key are refused
     * ({@link OwnKeyLeftOut}, nothing stored or sent) unless {@code allowForeignDirector}, a planned hand-over of
     * desired state to another ground key, and then taken with {@link Accepted#handedOver()} set.
     */
    public Accepted put(SignedDocument d, boolean allowForeignDirector) throws TrustException, OwnKeyLeftOut {
        List<String> bundles = new ArrayList<>();
        Accepted a;
        try {
            a = db.tx(c -> {
                bundles.clear(); // a transaction run again starts over
                try {
                    Accepted taken = put(c, d, allowForeignDirector);
                    if (!taken.unchanged()) bundles.addAll(sendToEverySatellite(c, taken, d));
                    return taken;
                } catch (TrustException e) {
                    throw new Refusal(e);
                } catch (OwnKeyLeftOut e) {
                    throw new Refusal(e);
                }
            });
        } catch (Refusal r) {
            if (r.getCause() instanceof OwnKeyLeftOut o) throw o;
            throw r.refusal();
        }
        if (outbox != null) outbox.send(bundles);
        return a;
    }

    /**
     * Queues the document taken for every satellite ground knows, with every root version before it (a node offline
     * through several rotations walks them in turn); returns the bundles' ids.
     */
    private List<String> sendToEverySatellite(Connection c, Accepted a, SignedDocument d) throws SQLException {
        if (outbox == null) return List.of();
        List<String> docs = new ArrayList<>(documents(c, "SELECT document FROM trust_document WHERE kind = ? ORDER BY version", ROOT));
        if (!a.type().equals(ROOT)) docs.add(d.toJson());
        byte[] payload = new io.orchide.model.message.TrustUpdate(docs).encode();
        java.time.Instant now = clock.instant();
        List<String> ids = new ArrayList<>();
        for (String sat : documents(c, "SELECT name FROM satellite ORDER BY name")) {
            String id = io.orchide.model.message.BundleIds.trust(sat, a.type(), a.subject(), a.version());
            io.orchide.ground.desired.Outbox.add(c, id, sat, io.orchide.model.message.BundleKind.TRUST.wire(),
                    io.orchide.model.message.BundleKind.TRUST.priority(), io.orchide.model.message.BundleKind.TRUST.lifetime(),
                    payload, now);
            ids.add(id);
        }
        return ids;
    }

    private Accepted put(Connection c, SignedDocument d, boolean allowForeignDirector)
            throws TrustException, SQLException, OwnKeyLeftOut {
        String text = d.toJson();
        switch (d.type()) {
            case RootMetadata.TYPE -> {
                Optional<RootMetadata> held = root(c);
                RootMetadata r = RootMetadata.read(d);
                if (held.isPresent() && same(c, ROOT, ROOT, r.version(), text)) return new Accepted(ROOT, ROOT, r.version(), true);
                RootMetadata taken = held.isEmpty() ? RootMetadata.pinned(d) : held.get().next(d);
                store(c, ROOT, ROOT, taken.version(), text);
                return new Accepted(ROOT, ROOT, taken.version(), false);
            }
            case Delegation.TYPE -> {
                RootMetadata root = root(c).orElseThrow(() -> new TrustException("delegation",
                        "ground holds no root metadata yet; give it the root first (orchide keys push root.json)"));
                Delegation stated = Delegation.read(d);
                if (same(c, Delegation.TYPE, stated.tenant(), stated.version(), text))
                    return new Accepted(Delegation.TYPE, stated.tenant(), stated.version(), true);
                Delegation taken = Delegation.verify(root, d, delegation(c, root, stated.tenant()).orElse(null));
                store(c, Delegation.TYPE, taken.tenant(), taken.version(), text);
                return new Accepted(Delegation.TYPE, taken.tenant(), taken.version(), false);
            }
            case DirectorKeys.TYPE -> {
                RootMetadata root = root(c).orElseThrow(() -> new TrustException("director keys",
                        "ground holds no root metadata yet; give it the root first (orchide keys push root.json)"));
                DirectorKeys stated = DirectorKeys.read(d);
                if (same(c, DirectorKeys.TYPE, DirectorKeys.TYPE, stated.version(), text))
                    return new Accepted(DirectorKeys.TYPE, DirectorKeys.TYPE, stated.version(), true);
                DirectorKeys taken = DirectorKeys.verify(root, d, directors(c).orElse(null));
                String leftOut = ownKey == null || taken.names(ownKey) ? null : KeyFiles.fingerprint(ownKey);
                if (leftOut != null && !allowForeignDirector)
                    throw new OwnKeyLeftOut(leftOut, taken.version(), taken.describe());
                store(c, DirectorKeys.TYPE, DirectorKeys.TYPE, taken.version(), text);
                return new Accepted(DirectorKeys.TYPE, DirectorKeys.TYPE, taken.version(), false, leftOut);
            }
            default -> throw new TrustException("document", "type '" + d.type() + "' is not root, delegation or director");
        }
    }

    /**
     * Keeps the signature {@code d} of an image pushed by {@code tenant}: it must state that tenant and
     * {@code digest} and be valid by a key the root delegates to the tenant.
     */
    public ImageStatement signImage(String tenant, String digest, SignedDocument d) throws TrustException {
        try {
            return keep(tenant, digest, d);
        } catch (Refusal r) {
            throw r.refusal();
        }
    }

    private ImageStatement keep(String tenant, String digest, SignedDocument d) {
        return db.tx(c -> {
            try {
                ImageStatement s = ImageStatement.read(d);
                if (!s.tenant().equals(tenant))
                    throw new TrustException("image signature", "states tenant " + s.tenant() + ", but the image is "
                            + "pushed for tenant " + tenant);
                RootMetadata root = root(c).orElseThrow(() -> new TrustException("image signature",
                        "ground holds no root metadata: no key is delegated to sign images yet"));
                ImageVerifier.verify(tenant, digest, delegation(c, root, tenant).orElse(null), List.of(d));
                Sql.update(c, "INSERT INTO image_signature (digest, tenant, document, created_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (digest, tenant) DO UPDATE SET document = excluded.document, created_at = "
                        + "excluded.created_at", digest, tenant, d.toJson(), clock.millis());
                return s;
            } catch (TrustException e) {
                throw new Refusal(e);
            }
        });
    }

    /**
     * The signed documents that travel with a desired-state change of {@code tenant} whose manifest is
     * {@code manifest}: every root version, the root's newest director keys (a node takes them before it judges the
     * change's seal, so a change sealed by a newly named director key opens), the tenant's newest delegation, and the signatures of the images it names
     * (whichever tenant signed them).
     * None when ground holds no root (a fleet that does not sign).
     */
    public List<String> attachments(Connection c, String tenant, String manifest) throws SQLException {
        List<String> out = new ArrayList<>(documents(c, "SELECT document FROM trust_document WHERE kind = ? ORDER BY version", ROOT));
        if (out.isEmpty()) return out;
        out.addAll(newestDirectors(c));
        if (tenant == null || manifest == null) return out;
        List<String> d = documents(c, "SELECT document FROM trust_document WHERE kind = ? AND subject = ? ORDER BY version DESC",
                Delegation.TYPE, tenant);
        if (!d.isEmpty()) out.add(d.getFirst());
        Set<String> digests = new LinkedHashSet<>();
        for (Matcher m = DIGEST.matcher(manifest); m.find(); ) digests.add(m.group());
        for (String digest : digests) {
            // every tenant's: a node refusing another tenant's image says whose it is
            out.addAll(documents(c, "SELECT document FROM image_signature WHERE digest = ? ORDER BY tenant", digest));
        }
        return out;
    }

    /**
     * Every root version, the newest director keys and each tenant's newest delegation (what {@code GET /api/v1/trust}
     * shows).
     */
    public List<String> documents() {
        return db.read(c -> {
            List<String> out = new ArrayList<>(documents(c, "SELECT document FROM trust_document WHERE kind = ? ORDER BY version", ROOT));
            out.addAll(newestDirectors(c));
            out.addAll(documents(c, "SELECT t.document FROM trust_document t WHERE t.kind = ? AND t.version = "
                    + "(SELECT MAX(u.version) FROM trust_document u WHERE u.kind = t.kind AND u.subject = t.subject) "
                    + "ORDER BY t.subject", Delegation.TYPE));
            return out;
        });
    }

    /** The signature kept for {@code tenant}'s image {@code digest}, if any. */
    public Optional<String> imageSignature(String tenant, String digest) {
        return db.read(c -> documents(c, "SELECT document FROM image_signature WHERE digest = ? AND tenant = ?", digest, tenant)
                .stream().findFirst());
    }

    private static Optional<RootMetadata> root(Connection c) throws SQLException {
        List<String> d = documents(c, "SELECT document FROM trust_document WHERE kind = ? ORDER BY version DESC", ROOT);
        return d.isEmpty() ? Optional.empty() : Optional.of(parse(d.getFirst(), RootMetadata::read));
    }

    private static List<String> newestDirectors(Connection c) throws SQLException {
        List<String> d = documents(c, "SELECT document FROM trust_document WHERE kind = ? ORDER BY version DESC", DirectorKeys.TYPE);
        return d.isEmpty() ? List.of() : List.of(d.getFirst());
    }

    private static Optional<DirectorKeys> directors(Connection c) throws SQLException {
        List<String> d = newestDirectors(c);
        return d.isEmpty() ? Optional.empty() : Optional.of(parse(d.getFirst(), DirectorKeys::read));
    }

    private static Optional<Delegation> delegation(Connection c, RootMetadata root, String tenant) throws SQLException {
        List<String> d = documents(c, "SELECT document FROM trust_document WHERE kind = ? AND subject = ? ORDER BY version DESC",
                Delegation.TYPE, tenant);
        return d.isEmpty() ? Optional.empty() : Optional.of(parse(d.getFirst(), Delegation::read));
    }

    private interface Reader<T> {
        T read(SignedDocument d) throws TrustException;
    }

    /** A document ground stored after it verified it: unreadable now only if the database was altered. */
    private static <T> T parse(String text, Reader<T> reader) {
        try {
            return reader.read(SignedDocument.parse(text, "stored document"));
        } catch (TrustException e) {
            throw new IllegalStateException("a stored trust document is unreadable: " + e.getMessage(), e);
        }
    }

    private static boolean same(Connection c, String kind, String subject, long version, String text) throws SQLException {
        List<String> d = documents(c, "SELECT document FROM trust_document WHERE kind = ? AND subject = ? AND version = ?",
                kind, subject, version);
        return !d.isEmpty() && d.getFirst().equals(text);
    }

    private void store(Connection c, String kind, String subject, long version, String text) throws SQLException {
        Sql.update(c, "INSERT INTO trust_document (kind, subject, version, document, created_at) VALUES (?, ?, ?, ?, ?)",
                kind, subject, version, text, clock.millis());
    }

    private static List<String> documents(Connection c, String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Carries a refusal out of a transaction, which rolls back. */
    private static final class Refusal extends RuntimeException {
        Refusal(TrustException e) {
            super(e.getMessage(), e);
        }

        Refusal(OwnKeyLeftOut e) {
            super(e.getMessage(), e);
        }

        TrustException refusal() {
            return (TrustException) getCause();
        }
    }

    /** The schema this feature adds (a migration entry of ground's store). */
    public static final String MIGRATION = """
            CREATE TABLE trust_document (
              kind VARCHAR(16) NOT NULL,
              subject VARCHAR(63) NOT NULL,
              version BIGINT NOT NULL,
              document TEXT NOT NULL,
              created_at BIGINT NOT NULL,
              PRIMARY KEY (kind, subject, version)
            );
            CREATE TABLE image_signature (
              digest VARCHAR(71) NOT NULL,
              tenant VARCHAR(63) NOT NULL,
              document TEXT NOT NULL,
              created_at BIGINT NOT NULL,
              PRIMARY KEY (digest, tenant)
            )
            """;
}
