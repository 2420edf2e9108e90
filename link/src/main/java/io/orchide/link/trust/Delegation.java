package io.orchide.link.trust;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.PublicKey;
import java.util.Map;

/**
 * The root's word on which keys may sign a tenant's images: all of them, replacing any earlier delegation of that
 * tenant with a lower {@code version}. A rotation is a new version with the new key; a revocation is a new version
 * without the key (no keys at all: the tenant may sign nothing). Signed by the root's threshold.
 */
public record Delegation(String tenant, long version, Map<String, PublicKey> keys) {
    public static final String TYPE = "delegation";

    public Delegation {
        keys = Map.copyOf(keys);
    }

    public static Delegation of(String tenant, long version, Iterable<PublicKey> keys) {
        return new Delegation(tenant, version, KeySet.byId(keys));
    }

    public SignedDocument unsigned() {
        ObjectNode body = CanonicalJson.object().put("tenant", tenant).put("version", version);
        body.set("keys", KeySet.write(keys));
        return SignedDocument.of(TYPE, body);
    }

    /** The delegation a document states, signatures not checked. */
    public static Delegation read(SignedDocument d) throws TrustException {
        String what = "delegation";
        if (!TYPE.equals(d.type())) throw new TrustException(what, "is a document of type '" + d.type() + "', not " + TYPE);
        String tenant = KeySet.text(d.signed(), "tenant", what);
        what = "delegation to tenant " + tenant;
        return new Delegation(tenant, KeySet.positive(d.signed(), "version", what), KeySet.read(d.signed().get("keys"), what));
    }

    /**
     * The delegation {@code d} states, once it is signed by the threshold of {@code root} and newer than {@code held}
     * (null: none held for its tenant): an older or equal version is refused, so a replayed delegation cannot bring a
     * revoked key back.
     */
    public static Delegation verify(RootMetadata root, SignedDocument d, Delegation held) throws TrustException {
        Delegation n = read(d);
        String what = "delegation to tenant " + n.tenant + " version " + n.version;
        root.require(d, what);
        if (held != null && held.tenant.equals(n.tenant) && n.version <= held.version)
            throw new TrustException(what, "is not newer than the delegation held (version " + held.version + ")");
        return n;
    }
}
