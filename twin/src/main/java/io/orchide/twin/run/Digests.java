package io.orchide.twin.run;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in lower-case hex, as products and images are named. */
final class Digests {
    private Digests() {
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256:} and the first 12 hex digits: enough to tell images apart in a sentence. */
    static String shortName(String digest) {
        int colon = digest.indexOf(':');
        String hex = digest.substring(colon + 1);
        return "sha256:" + hex.substring(0, Math.min(12, hex.length()));
    }
}
