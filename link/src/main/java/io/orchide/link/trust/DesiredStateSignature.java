package io.orchide.link.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.link.secure.KeyFiles;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Collection;

/**
 * Ground's director signature over one desired-state change for one satellite: the bundle's payload becomes
 * {@code {"signed": {"_type": "desired", "satellite": S, "change": {...}}, "signatures": [...]}}, signed with ground's
 * key (the one each node pins). The satellite is inside what is signed, so a change for one satellite is refused by
 * another; the change's generation (which only increases per object) is inside too, so a replay of an older one is
 * recognised as such. The signing key is one the node pins ({@code --ground-key}) or, on a node with a root, one the
 * root names as a director ({@link DirectorKeys}). Nothing in it expires (docs/security.md says why: an expiry judged
 * by an on-board clock either strands a node out of contact or protects nothing the generation does not).
 */
public final class DesiredStateSignature {
    public static final String TYPE = "desired";

    private DesiredStateSignature() { }

    /** {@code change} (a desired-state change's JSON payload) signed for {@code satellite} by {@code director}. */
    public static byte[] seal(String satellite, byte[] change, KeyPair director) {
        JsonNode c;
        try {
            c = CanonicalJson.JSON.readTree(change);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a desired-state change that is not JSON: " + e.getMessage(), e);
        }
        ObjectNode body = CanonicalJson.object().put("satellite", satellite);
        body.set("change", c);
        return SignedDocument.of(TYPE, body).sign(director.getPrivate(), director.getPublic()).toJson()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code payload} is a sealed change (else it is a bare one, from a ground that signs nothing). */
    public static boolean sealed(byte[] payload) {
        try {
            JsonNode n = CanonicalJson.JSON.readTree(payload);
            return n != null && n.isObject() && n.has("signed") && n.has("signatures");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The change inside a sealed payload, once it is signed by one of {@code directors} (ground's keys pinned on the
     * node) and meant for {@code satellite}; otherwise throws naming what failed.
     */
    public static byte[] open(byte[] payload, String satellite, Collection<PublicKey> directors) throws TrustException {
        return open(payload, satellite, KeySet.byId(directors), "ground's pinned key (pinned "
                + String.join(", ", directors.stream().map(KeyFiles::fingerprint).toList()) + ")");
    }

    /**
     * The change inside a sealed payload, once it is signed by a key of the root's {@code directors} and meant for
     * {@code satellite}: a key left out of the newest director keys (revoked) signs nothing any more.
     */
    public static byte[] open(byte[] payload, String satellite, DirectorKeys directors) throws TrustException {
        return open(payload, satellite, directors.keys(), "a director key of the root (director keys version "
                + directors.version() + " name " + directors.describe() + "; a key left out of them is revoked)");
    }

    private static byte[] open(byte[] payload, String satellite, java.util.Map<String, PublicKey> directors, String whose)
            throws TrustException {
        String what = "desired state";
        SignedDocument d = SignedDocument.parse(new String(payload, StandardCharsets.UTF_8), what);
        if (!TYPE.equals(d.type())) throw new TrustException(what, "is a document of type '" + d.type() + "', not " + TYPE);
        String meant = KeySet.text(d.signed(), "satellite", what);
        if (!meant.equals(satellite)) throw new TrustException(what, "is signed for satellite " + meant + ", not " + satellite);
        if (d.validSigners(directors).isEmpty()) {
            throw new TrustException(what, "is not signed by " + whose + ": signed by "
                    + String.join(", ", d.signatures().stream().map(SignedDocument.KeySignature::keyId).toList()));
        }
        JsonNode change = d.signed().get("change");
        if (change == null || !change.isObject()) throw new TrustException(what, "has no change");
        return CanonicalJson.bytes(change);
    }

    /** The change inside a sealed payload, nothing checked: for a node that pins no key (tests of the node alone). */
    public static byte[] openUnchecked(byte[] payload) throws TrustException {
        SignedDocument d = SignedDocument.parse(new String(payload, StandardCharsets.UTF_8), "desired state");
        JsonNode change = d.signed().get("change");
        if (change == null || !change.isObject()) throw new TrustException("desired state", "has no change");
        return CanonicalJson.bytes(change);
    }
}
