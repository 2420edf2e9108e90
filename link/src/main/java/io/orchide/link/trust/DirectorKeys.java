package io.orchide.link.trust;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.link.secure.KeyFiles;

import java.security.PublicKey;
import java.util.Map;

/**
 * The root's word on which keys may act as ground's director (sign each satellite's desired state, and be the ground a
 * node's link accepts): all of them, replacing any earlier director document with a lower {@code version}. Ground's
 * key is replaced by naming the new key beside the old one, moving ground to it, then issuing a version without the
 * old one; a key is revoked by a newer version without it. Signed by the root's threshold, so a node takes it from any
 * channel (a trust bundle, the documents that ride with a desired-state change) and no online key can name another.
 * Nothing here expires.
 */
public record DirectorKeys(long version, Map<String, PublicKey> keys) {
    public static final String TYPE = "director";

    public DirectorKeys {
        keys = Map.copyOf(keys);
        if (version < 1) throw new IllegalArgumentException("director keys version must be 1 or more, got " + version);
    }

    public static DirectorKeys of(long version, Iterable<PublicKey> keys) {
        return new DirectorKeys(version, KeySet.byId(keys));
    }

    public SignedDocument unsigned() {
        ObjectNode body = CanonicalJson.object().put("version", version);
        body.set("keys", KeySet.write(keys));
        return SignedDocument.of(TYPE, body);
    }

    /** The director keys a document states, signatures not checked. */
    public static DirectorKeys read(SignedDocument d) throws TrustException {
        String what = "director keys";
        if (!TYPE.equals(d.type())) throw new TrustException(what, "is a document of type '" + d.type() + "', not " + TYPE);
        return new DirectorKeys(KeySet.positive(d.signed(), "version", what), KeySet.read(d.signed().get("keys"), what));
    }

    /**
     * The director keys {@code d} states, once it is signed by the threshold of {@code root} and newer than
     * {@code held} (null: none held): an older or equal version is refused, so a replayed document cannot bring a
     * revoked director key back.
     */
    public static DirectorKeys verify(RootMetadata root, SignedDocument d, DirectorKeys held) throws TrustException {
        DirectorKeys n = read(d);
        String what = "director keys version " + n.version;
        root.require(d, what);
        if (held != null && n.version <= held.version)
            throw new TrustException(what, "is not newer than the director keys held (version " + held.version + ")");
        return n;
    }

    /** The key ids, for a refusal: "none" when the root names no director at all. */
    public String describe() {
        return keys.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(keys.keySet()));
    }

    /** Whether {@code key} may act as director. */
    public boolean names(PublicKey key) {
        return keys.containsKey(KeyFiles.fingerprint(key));
    }
}
