package io.orchide.node.link;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one file a product goes down as: the product's file itself; for a directory output, its only file when it
 * holds one (a compressed scene), otherwise a tar of it (entries sorted, times zeroed, so the same tree gives the
 * same bytes) written once beside it in the outbox.
 */
record ProductFile(Path path, long size, String sha256) {
    static ProductFile of(Path product, String knownSha, long knownSize) throws IOException {
        if (!Files.isDirectory(product)) return new ProductFile(product, knownSize, knownSha != null ? knownSha : sha256(product));
        List<Path> files;
        try (Stream<Path> s = Files.walk(product)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.size() == 1) return new ProductFile(files.getFirst(), Files.size(files.getFirst()), sha256(files.getFirst()));
        Path tar = product.resolveSibling(product.getFileName() + ".tar");
        if (!Files.exists(tar)) {
            Path part = product.resolveSibling("." + product.getFileName() + ".tar.part");
            try (OutputStream out = Files.newOutputStream(part); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
                t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Path f : files) {
                    TarArchiveEntry e = new TarArchiveEntry(f.toFile(), product.relativize(f).toString());
                    e.setModTime(0);
                    e.setUserId(0);
                    e.setGroupId(0);
                    t.putArchiveEntry(e);
                    Files.copy(f, t);
                    t.closeArchiveEntry();
                }
            }
            Files.move(part, tar, StandardCopyOption.ATOMIC_MOVE);
        }
        return new ProductFile(tar, Files.size(tar), sha256(tar));
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
