package io.orchide.link.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.link.secure.KeyFiles;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A signed document as it is stored and sent: {@code {"signed": {...}, "signatures": [{"keyid", "sig"}]}}. Each
 * signature is Ed25519 over the {@link CanonicalJson} bytes of {@code signed}, whose {@code _type} says what the
 * document is (so that a signature over one kind of document never passes for another). A key id is the key's
 * {@link KeyFiles#fingerprint}.
 */
public record SignedDocument(ObjectNode signed, List<KeySignature> signatures) {
    public static final String TYPE = "_type";

    /** One signature: the signing key's id and the signature's bytes. */
    public record KeySignature(String keyId, byte[] signature) {
    }

    public SignedDocument {
        signatures = List.copyOf(signatures);
    }

    /** An unsigned document of {@code type} around {@code body}'s fields. */
    public static SignedDocument of(String type, ObjectNode body) {
        ObjectNode s = CanonicalJson.object().put(TYPE, type);
        s.setAll(body);
        return new SignedDocument(s, List.of());
    }

    public String type() {
        JsonNode t = signed.get(TYPE);
        return t == null || !t.isTextual() ? "" : t.textValue();
    }

    /** The exact bytes every signature is over. */
    public byte[] bytes() {
        return CanonicalJson.bytes(signed);
    }

    /** This document with one more signature, by {@code key}. */
    public SignedDocument sign(PrivateKey key, PublicKey publicKey) {
        try {
            Signature s = Signature.getInstance(KeyFiles.ALGORITHM);
            s.initSign(key);
            s.update(bytes());
            List<KeySignature> all = new ArrayList<>(signatures);
            all.add(new KeySignature(KeyFiles.fingerprint(publicKey), s.sign()));
            return new SignedDocument(signed, all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an " + KeyFiles.ALGORITHM + " key", e);
        }
    }

    /**
     * The ids of the keys of {@code keys} (by id) whose signature here verifies, each once: a key that signed twice
     * counts once towards a threshold; a signature by a key not in {@code keys}, or one that does not verify, counts
     * for nothing.
     */
    public Set<String> validSigners(Map<String, PublicKey> keys) {
        Set<String> out = new LinkedHashSet<>();
        byte[] data = bytes();
        for (KeySignature ks : signatures) {
            PublicKey k = keys.get(ks.keyId());
            if (k != null && verifies(k, data, ks.signature())) out.add(ks.keyId());
        }
        return out;
    }

    private static boolean verifies(PublicKey key, byte[] data, byte[] sig) {
        try {
            Signature v = Signature.getInstance(KeyFiles.ALGORITHM);
            v.initVerify(key);
            v.update(data);
            return v.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public String toJson() {
        return new String(CanonicalJson.bytes(toTree()), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The document as a JSON tree (what {@link #toJson} writes). */
    public ObjectNode toTree() {
        ObjectNode o = CanonicalJson.object();
        o.set("signed", signed);
        ArrayNode a = o.putArray("signatures");
        for (KeySignature s : signatures) {
            a.addObject().put("keyid", s.keyId()).put("sig", Base64.getEncoder().encodeToString(s.signature()));
        }
        return o;
    }

    /** Reads a document's text; {@code what} names it in a refusal. Nothing is verified here. */
    public static SignedDocument parse(String text, String what) throws TrustException {
        JsonNode n = CanonicalJson.parse(text, what);
        if (!n.isObject() || !(n.get("signed") instanceof ObjectNode signed))
            throw new TrustException(what, "has no \"signed\" object");
        try {
            CanonicalJson.bytes(signed);
        } catch (IllegalArgumentException e) {
            throw new TrustException(what, e.getMessage());
        }
        JsonNode sigs = n.get("signatures");
        if (sigs == null || !sigs.isArray()) throw new TrustException(what, "has no \"signatures\" array");
        List<KeySignature> out = new ArrayList<>();
        for (JsonNode s : sigs) {
            JsonNode id = s.get("keyid"), sig = s.get("sig");
            if (id == null || !id.isTextual() || sig == null || !sig.isTextual())
                throw new TrustException(what, "has a signature without a keyid and a sig");
            try {
                out.add(new KeySignature(id.textValue(), Base64.getDecoder().decode(sig.textValue())));
            } catch (IllegalArgumentException e) {
                throw new TrustException(what, "signature by " + id.textValue() + " is not base64");
            }
        }
        return new SignedDocument(signed, out);
    }
}
