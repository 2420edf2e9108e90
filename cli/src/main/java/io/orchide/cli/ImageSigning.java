package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.link.trust.ImageStatement;
import io.orchide.link.trust.SignedDocument;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The signature of an image just pushed: the tenant ground stored it for, its file name and the digest of the bytes
 * read here (not the one ground answers: a signer signs what it holds), signed and given to ground, which keeps it
 * only if the key is delegated to that tenant.
 */
final class ImageSigning {
    private ImageSigning() { }

    /** Signs and sends; returns the image's digest. */
    static String sign(ApiClient api, Path file, JsonNode pushed, KeyPair key) {
        String digest = digest(file);
        if (!digest.equals(pushed.path("digest").asText()))
            throw new CliException("image push: ground stored " + pushed.path("digest").asText() + " but " + file
                    + " is " + digest + " (the file changed during the push?); not signed");
        String tenant = pushed.path("tenant").asText();
        SignedDocument d = new ImageStatement(tenant, file.getFileName().toString(), digest).unsigned()
                .sign(key.getPrivate(), key.getPublic());
        try {
            api.post("/api/v1/images/" + digest + "/signatures?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8),
                    d.toJson());
        } catch (CliException e) {
            throw new CliException("image push: the image " + digest + " is stored, but its signature was refused: "
                    + e.getMessage(), e.details());
        }
        System.err.println("signed for tenant " + tenant + " by key " + io.orchide.link.secure.KeyFiles.fingerprint(key.getPublic()));
        return digest;
    }

    static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new CliException("image push: cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
