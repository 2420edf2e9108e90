package io.orchide.node.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a product as a user names them: the file itself, or each file of a directory output by its path
 * inside it, with its size and (where asked) its SHA-256. A product's record holds a digest only for a single file.
 */
final class ProductFiles {
    /** More files than this in a directory product are counted, not listed. */
    static final int MAX_LISTED = 100;

    private ProductFiles() {
    }

    /** {@code [{name, sizeBytes, sha256}]}; {@code sha256} is the record's for a file, computed for a directory's files when {@code digests}. */
    static ArrayNode of(Path path, String recordedSha256, boolean digests) {
        ArrayNode a = Exchange.JSON.arrayNode();
        if (!Files.isDirectory(path)) {
            ObjectNode n = a.addObject().put("name", path.getFileName().toString());
            n.put("sizeBytes", size(path));
            String sha = recordedSha256 != null ? recordedSha256 : digests ? sha256(path) : null;
            if (sha == null) n.putNull("sha256");
            else n.put("sha256", sha);
            return a;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(path)) {
            files = s.filter(Files::isRegularFile).sorted().limit(MAX_LISTED + 1L).toList();
        } catch (IOException e) {
            return a; // gone from the outbox (downlinked or expired): the record still says what it was
        }
        for (Path f : files.subList(0, Math.min(files.size(), MAX_LISTED))) {
            ObjectNode n = a.addObject().put("name", path.relativize(f).toString());
            n.put("sizeBytes", size(f));
            String sha = digests ? sha256(f) : null;
            if (sha == null) n.putNull("sha256");
            else n.put("sha256", sha);
        }
        return a;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
