package io.orchide.ground.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash of an audit entry: SHA-256 over a canonical encoding of its sequence number, its time (epoch
 * milliseconds), each of its fields and the previous entry's hash. The encoding is unambiguous, so no two different
 * entries encode alike: a version tag, the numbers as 8 bytes big-endian, each text field as a null marker (0xFF) or
 * 0x00 followed by its UTF-8 length (4 bytes big-endian) and bytes, in a fixed order (actor, tenant, verb, resource,
 * outcome, source, detail), then the previous hash's 32 bytes. Changing it invalidates every stored chain: a new
 * encoding needs a new tag, and entries remember nothing of which they used, so it would also need a migration.
 */
public final class AuditChain {
    /** The hash before the first entry ever appended: the anchor of a log nothing was pruned from. */
    public static final String GENESIS = "0".repeat(64);
    private static final byte[] TAG = "orchide-audit-v1".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    private AuditChain() {
    }

    /** The hash of the entry {@code seq} appended at {@code time} (milliseconds count) after one hashed {@code prevHash}. */
    public static String hash(long seq, Instant time, AuditEntry e, String prevHash) {
        return hash(seq, time.toEpochMilli(), e.actor(), e.tenant(), e.verb(), e.resource(), e.outcome().wire(),
                e.source(), e.detail(), prevHash);
    }

    /**
     * The same over the values as stored, unchecked and unnormalised: verification hashes what the row holds, so
     * that an edit no normalisation would undo (an empty string for a null, an unknown outcome) still shows.
     *
     * @throws IllegalArgumentException when {@code prevHash} is not 64 hex digits
     */
    public static String hash(long seq, long timeMillis, String actor, String tenant, String verb, String resource,
                              String outcome, String source, String detail, String prevHash) {
        if (!wellFormed(prevHash)) throw new IllegalArgumentException("prevHash: not a SHA-256 in hex: " + prevHash);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(TAG);
        out.write(0);
        putLong(out, seq);
        putLong(out, timeMillis);
        putText(out, actor);
        putText(out, tenant);
        putText(out, verb);
        putText(out, resource);
        putText(out, outcome);
        putText(out, source);
        putText(out, detail);
        out.writeBytes(HEX.parseHex(prevHash));
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every JDK", ex);
        }
    }

    /** Whether {@code h} is a hash as the chain stores them (64 lower-case hex digits). */
    static boolean wellFormed(String h) {
        return h != null && h.length() == 64 && h.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f');
    }

    private static void putLong(ByteArrayOutputStream out, long v) {
        for (int i = 7; i >= 0; i--) out.write((int) (v >>> (8 * i)));
    }

    private static void putText(ByteArrayOutputStream out, String s) {
        if (s == null) {
            out.write(0xFF);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(0);
        putLong4(out, b.length);
        out.writeBytes(b);
    }

    private static void putLong4(ByteArrayOutputStream out, int v) {
        for (int i = 3; i >= 0; i--) out.write(v >>> (8 * i));
    }
}
