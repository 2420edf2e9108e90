package io.orchide.link.session;

import io.orchide.link.LinkException;
import io.orchide.link.PayloadSource;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A payload's checksum as a bundle carries it ({@code sha256:<hex>}), read in one pass. */
final class PayloadChecksum {
    private PayloadChecksum() { }

    /** Hashes {@code payload} (queued as bundle {@code id}); refuses one whose length differs from its declared size. */
    static String of(PayloadSource payload, String id) {
        try (InputStream in = payload.open()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long n = 0;
            for (int r; (r = in.read(buf)) > 0; n += r) md.update(buf, 0, r);
            if (n != payload.size()) throw new LinkException("payload", n + " bytes", "differs from its declared size " + payload.size());
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new LinkException("payload", id, "cannot be read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
