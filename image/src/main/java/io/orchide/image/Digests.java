package io.orchide.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** {@code sha256:<hex>} digests: format checks, hashing, raw bytes. */
public final class Digests {
    public static final String PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();

    private Digests() {
    }

    /** True for {@code sha256:} followed by exactly 64 lowercase hex digits. */
    public static boolean isDigest(String s) {
        if (s == null || s.length() != PREFIX.length() + 64 || !s.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link IllegalArgumentException} unless {@link #isDigest}. */
    public static String require(String digest) {
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("digest must be sha256:<64 lowercase hex>, got " + digest);
        }
        return digest;
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] data, int offset, int length) {
        MessageDigest md = newSha256();
        md.update(data, offset, length);
        return of(md.digest());
    }

    /** {@code sha256:<hex>} of 32 raw bytes. */
    public static String of(byte[] raw32) {
        return PREFIX + HEX.formatHex(raw32);
    }

    public static String hex(String digest) {
        return require(digest).substring(PREFIX.length());
    }

    /** The 32 raw bytes of a digest. */
    public static byte[] raw(String digest) {
        return HEX.parseHex(hex(digest));
    }
}
