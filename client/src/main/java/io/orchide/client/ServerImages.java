package io.orchide.client;

import io.orchide.runtime.image.RootfsArchive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Ground's image store ({@code POST /api/v1/images}) as the apply flow pushes to it: a file as it is, a container's
 * root filesystem directory as its archive ({@link RootfsArchive}, the format the node unpacks). Ground stores what
 * it receives as content-defined chunks and sends a satellite only the chunks it does not hold yet.
 */
public final class ServerImages implements ImagePusher {
    static final String IMAGES = "/api/v1/images";

    private final Server server;

    public ServerImages(Server server) {
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    public String pushFile(Path file) {
        return digest(server.upload(IMAGES, file, "push " + file.getFileName()), file);
    }

    @Override
    public String pushTree(Path dir) {
        Path tar = null;
        try {
            tar = Files.createTempFile("orchide-rootfs-", ".tar");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar))) {
                RootfsArchive.write(dir, out);
            }
            return digest(server.upload(IMAGES, tar, "push " + dir.getFileName() + " (root filesystem)"), dir);
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

    private static String digest(com.fasterxml.jackson.databind.JsonNode reply, Path what) {
        String d = reply.path("digest").asText("");
        if (d.isEmpty()) throw new ApplyException("the server stored " + what + " but named no digest: " + reply);
        return d;
    }
}
