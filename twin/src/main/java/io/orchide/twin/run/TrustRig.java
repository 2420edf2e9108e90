package io.orchide.twin.run;

import io.orchide.client.http.HttpApi;
import io.orchide.client.http.Transfers;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's chain of trust in the twin, made as {@code orchide keys} makes it: a root of {@link #ROOT_KEYS} keys
 * of which {@link #THRESHOLD} must sign ({@code root.json}, pinned on every node at install), and for each tenant an
 * image-signing key the root delegates to it, and ground's key named by the root as its director
 * ({@link #nameDirector}: {@code orchide keys delegate --director}), so that nodes take desired state only from it.
 * Ground gets the root, the director keys and the delegations as a platform admin gives them
 * ({@code orchide keys push}); the twin signs each tenant's images with its key as they are pushed. Key rotations and
 * root rotations are made the same way, with the threshold of the keys held now (and of the new root's).
 * The private keys stay in this object only ({@code dir} gets the public halves and the signed documents): a twin's
 * keys, not an operator's, gone with the run.
 */
public final class TrustRig {
    public static final int ROOT_KEYS = 3, THRESHOLD = 2;
    static final String ROOT_FILE = "root.json", DIRECTOR_FILE = "director.json";

    private final Path dir;
    private List<KeyPair> rootKeys;
    private SignedDocument root;
    private final Map<String, KeyPair> signers = new LinkedHashMap<>();
    private final Map<String, SignedDocument> delegations = new LinkedHashMap<>();
    private final List<PublicKey> directorKeys = new ArrayList<>();
    private SignedDocument directors;

    private TrustRig(Path dir) {
        this.dir = dir;
    }

    /** A new root in {@code dir} (its {@code root.json} and key files), and a delegated key for each of {@code tenants}. */
    public static TrustRig make(Path dir, List<String> tenants) throws IOException {
        TrustRig t = new TrustRig(dir);
        Files.createDirectories(dir);
        t.rootKeys = keys(ROOT_KEYS);
        SignedDocument r = RootMetadata.of(1, THRESHOLD, t.rootKeys.stream().map(KeyPair::getPublic).toList()).unsigned();
        for (KeyPair k : t.rootKeys) r = r.sign(k.getPrivate(), k.getPublic());
        t.root = r;
        t.write(ROOT_FILE, r);
        for (int i = 0; i < t.rootKeys.size(); i++) t.writeKey("root-key" + (i + 1), t.rootKeys.get(i));
        for (String tenant : tenants) t.delegate(tenant, KeyFiles.generate());
        return t;
    }

    /** The root metadata file every node pins ({@code orchide node init --root}). */
    public Path rootFile() {
        return dir.resolve(ROOT_FILE);
    }

    /** The tenants the root delegates a key to, in order. */
    public List<String> tenants() {
        return List.copyOf(signers.keySet());
    }

    /** The key {@code tenant} signs its images with now; null for a tenant the root delegates nothing to. */
    public KeyPair signer(String tenant) {
        return signers.get(tenant);
    }

    /**
     * The root names {@code groundKey} as its director ({@code orchide keys delegate --director --key ground.pub}):
     * the next version of the director keys, naming only it, signed by the threshold of the root's keys and written
     * to {@code director.json}.
     */
    public void nameDirector(PublicKey groundKey) {
        directorKeys.clear();
        directorKeys.add(groundKey);
        signDirectors();
    }

    /** The newest director keys version made; 0 before {@link #nameDirector}. */
    public long directorVersion() {
        return directors == null ? 0 : directors.signed().path("version").asLong();
    }

    private void signDirectors() {
        long version = directorVersion() + 1;
        SignedDocument d = DirectorKeys.of(version, directorKeys).unsigned();
        for (KeyPair k : rootKeys.subList(0, THRESHOLD)) d = d.sign(k.getPrivate(), k.getPublic());
        directors = d;
        write(DIRECTOR_FILE, d);
    }

    /**
     * Gives ground the newest root, the director keys and each tenant's newest delegation, as a platform admin;
     * returns ground's answer for each ({@code root/root version 1 accepted}, ...).
     */
    public List<String> giveGround(String groundApi, String adminToken) {
        HttpApi admin = new HttpApi(URI.create(groundApi), Transfers.NONE, adminToken);
        List<String> out = new ArrayList<>();
        List<SignedDocument> docs = new ArrayList<>(List.of(root));
        if (directors != null) docs.add(directors);
        docs.addAll(delegations.values());
        for (SignedDocument d : docs) {
            var r = admin.post("/api/v1/trust", d.toJson());
            out.add(r.path("type").asText() + "/" + r.path("subject").asText() + " version " + r.path("version").asText()
                    + " " + r.path("result").asText());
        }
        return out;
    }

    /**
     * {@code tenant}'s signing key moves to a new one: the next version of its delegation names only the new key,
     * so the old one is revoked with it. Signed by the threshold of the root's keys. Returns the new key.
     */
    public KeyPair rotateKey(String tenant) throws IOException {
        if (!signers.containsKey(tenant)) throw new IllegalArgumentException("tenant: no key is delegated to " + tenant);
        KeyPair k = KeyFiles.generate();
        delegate(tenant, k);
        return k;
    }

    /**
     * The root moves to {@link #ROOT_KEYS} new keys: the next root version, signed by the threshold of the keys held
     * now and by all the new ones ({@code orchide keys rotate-root}). Every delegation is signed again by the new keys
     * (a newer version of each), since a delegation counts only with the threshold of the newest root; so are the
     * director keys, if the root names any.
     */
    public void rotateRoot() throws IOException {
        RootMetadata old;
        try {
            old = RootMetadata.read(root);
        } catch (TrustException e) {
            throw new IllegalStateException("the twin's own root does not read: " + e.getMessage(), e);
        }
        List<KeyPair> next = keys(ROOT_KEYS);
        SignedDocument r = RootMetadata.of(old.version() + 1, THRESHOLD, next.stream().map(KeyPair::getPublic).toList()).unsigned();
        for (KeyPair k : rootKeys.subList(0, THRESHOLD)) r = r.sign(k.getPrivate(), k.getPublic());
        for (KeyPair k : next) r = r.sign(k.getPrivate(), k.getPublic());
        try {
            old.next(r);
        } catch (TrustException e) {
            throw new IllegalStateException("the twin's root rotation does not verify: " + e.getMessage(), e);
        }
        rootKeys = next;
        root = r;
        write("root-v" + (old.version() + 1) + ".json", r);
        for (int i = 0; i < next.size(); i++) writeKey("root-v" + (old.version() + 1) + "-key" + (i + 1), next.get(i));
        for (Map.Entry<String, KeyPair> e : new ArrayList<>(signers.entrySet())) delegate(e.getKey(), e.getValue());
        if (directors != null) signDirectors();
    }

    /** The newest root version made. */
    public long rootVersion() {
        return root.signed().path("version").asLong();
    }

    private void delegate(String tenant, KeyPair key) throws IOException {
        SignedDocument held = delegations.get(tenant);
        long version = held == null ? 1 : held.signed().path("version").asLong() + 1;
        SignedDocument d = Delegation.of(tenant, version, List.of(key.getPublic())).unsigned();
        for (KeyPair k : rootKeys.subList(0, THRESHOLD)) d = d.sign(k.getPrivate(), k.getPublic());
        signers.put(tenant, key);
        delegations.put(tenant, d);
        write(tenant + ".delegation.json", d);
        writeKey(tenant + "-v" + version, key);
    }

    private static List<KeyPair> keys(int n) {
        List<KeyPair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(KeyFiles.generate());
        return out;
    }

    /** Only the public half: the private keys of a twin's run need not outlive it on disk. */
    private void writeKey(String base, KeyPair k) throws IOException {
        Files.writeString(dir.resolve(base + ".pub"), KeyFiles.pem(k.getPublic()), StandardCharsets.UTF_8);
    }

    private void write(String name, SignedDocument d) {
        try {
            Path tmp = Files.createTempFile(dir, ".doc", ".tmp");
            Files.writeString(tmp, d.toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
