package io.orchide.cli.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Writes an OCI image layout holding one file, annotated the way urunc marks unikernel images. */
final class UruncLayout {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UruncLayout() {
    }

    static Path write(Path dir, String fileName, byte[] content, Map<String, String> annotations) throws Exception {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            TarArchiveEntry e = new TarArchiveEntry(fileName);
            e.setSize(content.length);
            e.setMode(0644);
            out.putArchiveEntry(e);
            out.write(content);
            out.closeArchiveEntry();
        }
        String layer = blob(dir, tar.toByteArray());
        byte[] config = JSON.writeValueAsBytes(Map.of("architecture", "amd64", "os", "linux",
                "rootfs", Map.of("type", "layers", "diff_ids", List.of(layer)), "config", Map.of()));
        String configDigest = blob(dir, config);
        byte[] manifest = JSON.writeValueAsBytes(Map.of("schemaVersion", 2,
                "mediaType", "application/vnd.oci.image.manifest.v1+json",
                "config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json", "digest", configDigest,
                        "size", config.length),
                "layers", List.of(Map.of("mediaType", "application/vnd.oci.image.layer.v1.tar", "digest", layer,
                        "size", tar.size())),
                "annotations", annotations));
        String manifestDigest = blob(dir, manifest);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests",
                List.of(Map.of("mediaType", "application/vnd.oci.image.manifest.v1+json", "digest", manifestDigest,
                        "size", manifest.length, "platform", Map.of("architecture", "amd64", "os", "linux"))))));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return dir;
    }

    private static String blob(Path dir, byte[] b) throws IOException, NoSuchAlgorithmException {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        Files.write(dir.resolve("blobs/sha256/" + hex), b);
        return "sha256:" + hex;
    }
}
