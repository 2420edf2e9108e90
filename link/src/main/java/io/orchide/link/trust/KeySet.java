package io.orchide.link.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.link.secure.KeyFiles;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Public keys by id inside a document: {@code {"sha256:<hex>": "<base64 SubjectPublicKeyInfo>"}}. */
final class KeySet {
    private KeySet() { }

    static ObjectNode write(Map<String, PublicKey> keys) {
        ObjectNode o = CanonicalJson.object();
        for (var e : new TreeMap<>(keys).entrySet()) {
            o.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue().getEncoded()));
        }
        return o;
    }

    static Map<String, PublicKey> byId(Iterable<PublicKey> keys) {
        Map<String, PublicKey> out = new TreeMap<>();
        for (PublicKey k : keys) out.put(KeyFiles.fingerprint(k), k);
        return out;
    }

    /** Reads the keys, refusing one whose id is not its fingerprint (an id that lies about its key). */
    static Map<String, PublicKey> read(JsonNode node, String what) throws TrustException {
        if (node == null || !node.isObject()) throw new TrustException(what, "has no \"keys\" object");
        Map<String, PublicKey> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            PublicKey k;
            try {
                k = KeyFactory.getInstance(KeyFiles.ALGORITHM).generatePublic(
                        new X509EncodedKeySpec(Base64.getDecoder().decode(e.getValue().asText())));
            } catch (GeneralSecurityException | IllegalArgumentException x) {
                throw new TrustException(what, "key " + e.getKey() + " is not an " + KeyFiles.ALGORITHM + " public key");
            }
            if (!KeyFiles.fingerprint(k).equals(e.getKey()))
                throw new TrustException(what, "key id " + e.getKey() + " is not the fingerprint of its key");
            out.put(e.getKey(), k);
        }
        return out;
    }

    static long positive(JsonNode signed, String field, String what) throws TrustException {
        JsonNode n = signed.get(field);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.longValue() < 1)
            throw new TrustException(what, field + " must be a whole number of 1 or more, got " + n);
        return n.longValue();
    }

    static String text(JsonNode signed, String field, String what) throws TrustException {
        JsonNode n = signed.get(field);
        if (n == null || !n.isTextual() || n.textValue().isEmpty())
            throw new TrustException(what, field + " must be a non-empty string, got " + n);
        return n.textValue();
    }
}
