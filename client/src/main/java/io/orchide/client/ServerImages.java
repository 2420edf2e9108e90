package io.orchide.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.runtime.image.RootfsArchive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Ground's image store ({@code POST /api/v1/images}) as the apply flow pushes to it: a file as it is, a container's
 * root filesystem directory as its archive ({@link RootfsArchive}, the format the node unpacks). Ground stores what
 * it receives as content-defined chunks and sends a satellite only the chunks it does not hold yet. An image ground
 * already holds (the same SHA-256 over the same bytes) is named without being sent again, so re-applying a manifest
 * costs a listing, not an upload.
 */
public final class ServerImages implements ImagePusher {
    static final String IMAGES = "/api/v1/images";

    private final Server server;

    public ServerImages(Server server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    public String pushFile(Path file) {
        return push(file, "push " + file.getFileName(), file);
    }

    @Override
    public String pushTree(Path dir) {
        Path tar = null;
        try {
            tar = Files.createTempFile("orchide-rootfs-", ".tar");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar))) {
                RootfsArchive.write(dir, out);
            }
            return push(tar, "push " + dir.getFileName() + " (root filesystem)", dir);
        } catch (IOException e) {
            throw new ApplyException("cannot pack " + dir + " as a root filesystem image: " + e.getMessage());
        } finally {
            if (tar != null) {
                try {
                    Files.deleteIfExists(tar);
                } catch (IOException ignored) {
                    // a temporary file: the system's to clean if it stays
                }
            }
        }
    }

    private String push(Path file, String label, Path what) {
        String local = sha256(file);
        for (JsonNode held : server.get(IMAGES).path("items")) {
            if (held.path("digest").asText().equals(local)) return local;
        }
        return digest(server.upload(IMAGES, file, label), what);
    }

    private static String sha256(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new ApplyException("cannot read " + file + ": " + e.getMessage());
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static String digest(JsonNode reply, Path what) {
        String d = reply.path("digest").asText("");
        if (d.isEmpty()) throw new ApplyException("the server stored " + what + " but named no digest: " + reply);
        return d;
    }
}
