package io.orchide.link.trust;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.PublicKey;
import java.util.Map;
import java.util.Set;

/**
 * The operator's root of trust: its {@code keys}, how many of them must sign ({@code threshold}), and a
 * {@code version} that only increases. A root is trusted first because it was pinned at install (and signed by its
 * own threshold, so that a typo in the file is caught); every later root must be signed by the threshold of the root
 * before it and by its own, so that neither a stolen set of old keys short of the threshold nor new keys alone can
 * replace it. Nothing here expires: a node out of contact for months still walks the chain one version at a time.
 */
public record RootMetadata(long version, int threshold, Map<String, PublicKey> keys) {
    public static final String TYPE = "root";

    public RootMetadata {
        keys = Map.copyOf(keys);
        if (version < 1) throw new IllegalArgumentException("root version must be 1 or more, got " + version);
        if (threshold < 1 || threshold > keys.size())
            throw new IllegalArgumentException("root threshold must be between 1 and the number of keys (" + keys.size()
                    + "), got " + threshold);
    }

    public static RootMetadata of(long version, int threshold, Iterable<PublicKey> keys) {
        return new RootMetadata(version, threshold, KeySet.byId(keys));
    }

    /** The document to sign. */
    public SignedDocument unsigned() {
        ObjectNode body = CanonicalJson.object().put("version", version).put("threshold", threshold);
        body.set("keys", KeySet.write(keys));
        return SignedDocument.of(TYPE, body);
    }

    /** The root a document states, signatures not checked. */
    public static RootMetadata read(SignedDocument d) throws TrustException {
        String what = "root metadata";
        if (!TYPE.equals(d.type())) throw new TrustException(what, "is a document of type '" + d.type() + "', not " + TYPE);
        long version = KeySet.positive(d.signed(), "version", what);
        long threshold = KeySet.positive(d.signed(), "threshold", what);
        Map<String, PublicKey> keys = KeySet.read(d.signed().get("keys"), what);
        if (threshold > keys.size())
            throw new TrustException(what + " version " + version, "threshold " + threshold + " is more than its "
                    + keys.size() + " key(s)");
        return new RootMetadata(version, (int) threshold, keys);
    }

    /** A root as pinned at install: it must carry its own threshold of signatures. */
    public static RootMetadata pinned(SignedDocument d) throws TrustException {
        RootMetadata r = read(d);
        r.require(d, "root metadata version " + r.version);
        return r;
    }

    /**
     * The root that follows this one: version exactly one more (no version skipped, so none is missed), signed by the
     * threshold of this root's keys and by the threshold of its own.
     */
    public RootMetadata next(SignedDocument d) throws TrustException {
        RootMetadata n = read(d);
        String what = "root metadata version " + n.version;
        if (n.version != version + 1)
            throw new TrustException(what, "does not follow the root held (version " + version + "): a rotation takes "
                    + "version " + (version + 1));
        require(d, what + " (signatures of the root it replaces, version " + version + ")");
        n.require(d, what + " (signatures of its own keys)");
        return n;
    }

    /** Throws unless {@code d} carries valid signatures of at least {@link #threshold} of this root's keys. */
    public void require(SignedDocument d, String what) throws TrustException {
        Set<String> valid = d.validSigners(keys);
        if (valid.size() < threshold)
            throw new TrustException(what, "is signed by " + valid.size() + " of the root's keys; " + threshold
                    + " are needed");
    }
}
