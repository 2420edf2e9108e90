package io.orchide.node.trust;

import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.ImageStatement;
import io.orchide.link.trust.ImageVerifier;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.ContentRef;
import io.orchide.model.Manifest;
import io.orchide.model.Model;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.node.store.Database;
import io.orchide.node.store.StoreException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The chain of trust on board, verified without ground. A node with a root pinned at install
 * ({@code <data-dir>/root.json}) requires signatures: an App or Pipeline from ground is applied only if every content
 * image it names is signed, for the manifest's tenant and that digest, by a key the root delegates to that tenant
 * (the image's bytes are then checked against the digest as they are assembled). The signed documents come with
 * the desired state; the node keeps the newest root it verified (each one signed by the threshold of the one before
 * and of its own, so a node offline for months walks the chain), each tenant's newest delegation (a rotation or a
 * revocation is a newer one), the root's newest director keys (which ground keys may sign desired state and be the
 * ground the link accepts: {@link #directors}) and the image signatures. Nothing here expires.
 */
public final class OnBoardTrust {
    private static final String ROOT = "root";

    private final Connection c;
    private final Object lock;
    private final RootMetadata pinned;

    private OnBoardTrust(Database db, RootMetadata pinned) {
        this.c = db.connection();
        this.lock = db.lock();
        this.pinned = pinned;
    }

    /**
     * Over the node's database, with the root pinned in {@code rootFile}; a node without that file requires no
     * signature. A pinned file that does not verify stops the node at its start (it would refuse everything).
     */
    public static OnBoardTrust open(Database db, Path rootFile) throws IOException, TrustException {
        if (!Files.exists(rootFile)) return new OnBoardTrust(db, null);
        String text = Files.readString(rootFile, StandardCharsets.UTF_8);
        return new OnBoardTrust(db, RootMetadata.pinned(SignedDocument.parse(text, rootFile.toString())));
    }

    /** Whether the node requires signatures (a root is pinned). */
    public boolean required() {
        return pinned != null;
    }

    /** The newest root the node verified, or the pinned one. */
    public Optional<RootMetadata> root() {
        if (pinned == null) return Optional.empty();
        return Optional.of(stored(ROOT, ROOT).map(d -> read(d, RootMetadata::read)).filter(r -> r.version() > pinned.version())
                .orElse(pinned));
    }

    /**
     * Takes the signed documents that came with a change: roots first (in version order), then delegations, then
     * image signatures, each verified against what is held. Returns a line for each document refused (it changes
     * nothing); a document the node holds already, or an older root, is passed over silently.
     */
    public List<String> take(List<String> documents) {
        List<String> refused = new ArrayList<>();
        if (pinned == null || documents.isEmpty()) return refused;
        List<SignedDocument> roots = new ArrayList<>(), delegations = new ArrayList<>(), images = new ArrayList<>();
        List<SignedDocument> directors = new ArrayList<>();
        for (String text : documents) {
            try {
                SignedDocument d = SignedDocument.parse(text, "signed document");
                switch (d.type()) {
                    case RootMetadata.TYPE -> roots.add(d);
                    case Delegation.TYPE -> delegations.add(d);
                    case DirectorKeys.TYPE -> directors.add(d);
                    case ImageStatement.TYPE -> images.add(d);
                    default -> refused.add("signed document of type '" + d.type() + "' is not one a node takes");
                }
            } catch (TrustException e) {
                refused.add(e.getMessage());
            }
        }
        roots.sort(Comparator.comparingLong(d -> d.signed().path("version").asLong()));
        directors.sort(Comparator.comparingLong(d -> d.signed().path("version").asLong()));
        synchronized (lock) {
            for (SignedDocument d : roots) takeRoot(d, refused);
            for (SignedDocument d : directors) takeDirectors(d, refused);
            for (SignedDocument d : delegations) takeDelegation(d, refused);
            for (SignedDocument d : images) takeImage(d, refused);
        }
        return refused;
    }

    private void takeRoot(SignedDocument d, List<String> refused) {
        try {
            RootMetadata held = root().orElseThrow();
            if (RootMetadata.read(d).version() <= held.version()) return;
            RootMetadata next = held.next(d);
            put(ROOT, ROOT, next.version(), d.toJson());
        } catch (TrustException e) {
            refused.add(e.getMessage());
        }
    }

    private void takeDelegation(SignedDocument d, List<String> refused) {
        try {
            Delegation stated = Delegation.read(d);
            Optional<String> heldText = stored(Delegation.TYPE, stated.tenant());
            if (heldText.isPresent() && heldText.get().equals(d.toJson())) return;
            Delegation held = heldText.map(t -> read(t, Delegation::read)).orElse(null);
            Delegation taken = Delegation.verify(root().orElseThrow(), d, held);
            put(Delegation.TYPE, taken.tenant(), taken.version(), d.toJson());
        } catch (TrustException e) {
            refused.add(e.getMessage());
        }
    }

    private void takeDirectors(SignedDocument d, List<String> refused) {
        try {
            Optional<String> heldText = stored(DirectorKeys.TYPE, DirectorKeys.TYPE);
            if (heldText.isPresent() && heldText.get().equals(d.toJson())) return;
            DirectorKeys held = heldText.map(t -> read(t, DirectorKeys::read)).orElse(null);
            DirectorKeys taken = DirectorKeys.verify(root().orElseThrow(), d, held);
            put(DirectorKeys.TYPE, DirectorKeys.TYPE, taken.version(), d.toJson());
        } catch (TrustException e) {
            refused.add(e.getMessage());
        }
    }

    /**
     * The newest director keys the root named, if it named any: from then on they alone are ground's keys for this
     * node (a key pinned with {@code --ground-key} but left out of them, or revoked from them, is refused); empty on a
     * node without a root or whose root named none yet, which keeps to its pinned key.
     */
    public Optional<DirectorKeys> directors() {
        if (pinned == null) return Optional.empty();
        return stored(DirectorKeys.TYPE, DirectorKeys.TYPE).map(t -> read(t, DirectorKeys::read));
    }

    private void takeImage(SignedDocument d, List<String> refused) {
        try {
            ImageStatement s = ImageStatement.read(d);
            // judged now against the tenant's delegation where one is held (a bad one never replaces a good one), and
            // in any case again before the image is applied
            Optional<Delegation> delegation = delegation(s.tenant());
            if (delegation.isPresent()) ImageVerifier.verify(s.tenant(), s.digest(), delegation.get(), List.of(d));
            update("INSERT INTO image_signature(digest, tenant, document) VALUES (?,?,?) ON CONFLICT(digest, tenant) "
                    + "DO UPDATE SET document=excluded.document", s.digest(), s.tenant(), d.toJson());
        } catch (TrustException e) {
            refused.add(e.getMessage());
        }
    }

    /**
     * Throws, naming the image and what failed, unless every content image {@code doc} names is signed for its tenant
     * by a key the newest root delegates to that tenant. Passes everything when no root is pinned.
     */
    public void check(Manifest doc) throws TrustException {
        if (pinned == null) return;
        for (var image : images(doc).keySet()) verify(doc, image);
    }

    /** Why {@code doc} may not be applied on this node: the first content image not signed as the root requires. */
    public record Refusal(String field, String image, String reason) {
    }

    /** As {@link #check}, naming the manifest's field that names the image refused; empty when it may be applied. */
    public Optional<Refusal> refusal(Manifest doc) {
        if (pinned == null) return Optional.empty();
        for (var image : images(doc).entrySet()) {
            try {
                verify(doc, image.getKey());
            } catch (TrustException e) {
                return Optional.of(new Refusal(image.getValue(), image.getKey(), e.getMessage()));
            }
        }
        return Optional.empty();
    }

    private void verify(Manifest doc, String digest) throws TrustException {
        String tenant = doc.metadata().tenant();
        List<SignedDocument> signatures = new ArrayList<>();
        synchronized (lock) {
            for (String text : query("SELECT document FROM image_signature WHERE digest=? ORDER BY tenant", digest)) {
                signatures.add(read(text, x -> x));
            }
        }
        ImageVerifier.verify(tenant, digest, delegation(tenant).orElse(null), signatures);
        if (doc instanceof Model model && model.spec().signer() != null) checkSigner(model, signatures);
    }

    /** A Model that names its signer: one valid signature of its file, for its tenant, must be by that key. */
    private void checkSigner(Model m, List<SignedDocument> signatures) throws TrustException {
        Delegation delegation = delegation(m.metadata().tenant()).orElseThrow();
        for (SignedDocument d : signatures) {
            ImageStatement s = ImageStatement.read(d);
            if (s.digest().equals(m.spec().digest()) && s.tenant().equals(m.metadata().tenant())
                    && d.validSigners(delegation.keys()).contains(m.spec().signer())) return;
        }
        throw new TrustException("model " + m.name() + " (" + m.spec().digest() + ")", "is not signed by key "
                + m.spec().signer() + ", the signer its Model names");
    }

    /**
     * The content images a manifest names, each with the first field that names it: an App's image and initrd, those
     * of a Pipeline's step templates, a Model's file (signed as an image is, for the Model's tenant).
     */
    static java.util.Map<String, String> images(Manifest doc) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        switch (doc) {
            case App app -> addImages(app.spec(), "spec.", out);
            case Model model -> out.putIfAbsent(model.spec().digest(), "spec.digest");
            case Pipeline p -> {
                List<Step> steps = p.spec().steps();
                for (int i = 0; i < steps.size(); i++) {
                    if (steps.get(i).template() != null) addImages(steps.get(i).template(), "spec.steps[" + i + "].template.", out);
                }
            }
            default -> { }
        }
        return out;
    }

    private static void addImages(AppSpec spec, String prefix, java.util.Map<String, String> out) {
        if (ContentRef.looksLikeOne(spec.image())) out.putIfAbsent(spec.image(), prefix + "image");
        if (ContentRef.looksLikeOne(spec.initrd())) out.putIfAbsent(spec.initrd(), prefix + "initrd");
    }

    private Optional<Delegation> delegation(String tenant) {
        return stored(Delegation.TYPE, tenant).map(t -> read(t, Delegation::read));
    }

    private interface Reader<T> {
        T read(SignedDocument d) throws TrustException;
    }

    /** A document stored after it was verified: unreadable only if the database was altered on board. */
    private static <T> T read(String text, Reader<T> reader) {
        try {
            return reader.read(SignedDocument.parse(text, "stored document"));
        } catch (TrustException e) {
            throw new StoreException("a stored trust document is unreadable: " + e.getMessage(), e);
        }
    }

    private Optional<String> stored(String kind, String subject) {
        synchronized (lock) {
            return query("SELECT document FROM trust_document WHERE kind=? AND subject=?", kind, subject).stream().findFirst();
        }
    }

    private void put(String kind, String subject, long version, String text) {
        update("INSERT INTO trust_document(kind, subject, version, document) VALUES (?,?,?,?) ON CONFLICT(kind, subject) "
                + "DO UPDATE SET version=excluded.version, document=excluded.document", kind, subject, version, text);
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot store a trust document", e);
        }
    }

    private List<String> query(String sql, String... args) {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read trust documents", e);
        }
        return out;
    }
}
