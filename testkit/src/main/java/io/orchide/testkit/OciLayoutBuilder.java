package io.orchide.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small OCI image layouts for tests: layers built entry by entry, blobs named by their sha256, the config's
 * {@code diff_ids} the digests of the uncompressed layers, the index entry with its platform (as registries write
 * them). {@link #singleFile} is an image of one file, the shape urunc's unikernel images have.
 */
public final class OciLayoutBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<Map<String, Object>> layers = new ArrayList<>();
    private final List<String> diffIds = new ArrayList<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final Map<String, Object> config = new LinkedHashMap<>();
    private String architecture = "amd64";

    public OciLayoutBuilder(Path dir) {
        this.dir = dir;
    }

    /** One tar layer under construction. */
    public final class Layer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;
        private final boolean gzip;

        Layer(boolean gzip) {
            this.gzip = gzip;
            tar = new TarArchiveOutputStream(bytes);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        public Layer dir(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(040755);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public Layer file(String name, byte[] content, int mode) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(content.length);
            e.setMode(0100000 | mode);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        }

        public Layer file(String name, String content) throws IOException {
            return file(name, content.getBytes(), 0644);
        }

        public Layer symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public OciLayoutBuilder done() throws IOException {
            tar.finish();
            tar.close();
            byte[] plain = bytes.toByteArray();
            diffIds.add("sha256:" + HexFormat.of().formatHex(sha256(plain)));
            byte[] b = plain;
            if (gzip) {
                ByteArrayOutputStream zipped = new ByteArrayOutputStream();
                try (OutputStream z = new GzipCompressorOutputStream(zipped)) {
                    z.write(plain);
                }
                b = zipped.toByteArray();
            }
            layers.add(descriptor(gzip ? "application/vnd.oci.image.layer.v1.tar+gzip"
                    : "application/vnd.oci.image.layer.v1.tar", blob(b), b.length, null));
            return OciLayoutBuilder.this;
        }
    }

    public Layer layer() { return new Layer(false); }

    public Layer gzipLayer() { return new Layer(true); }

    /** An image of one file {@code name} (mode 0644) in one uncompressed layer, with these manifest annotations. */
    public static Path singleFile(Path dir, String name, byte[] content, Map<String, String> annotations)
            throws IOException {
        Files.createDirectories(dir);
        OciLayoutBuilder b = new OciLayoutBuilder(dir).layer().file(name, content, 0644).done();
        annotations.forEach(b::annotation);
        b.build();
        return dir;
    }

    public OciLayoutBuilder annotation(String k, String v) {
        annotations.put(k, v);
        return this;
    }

    public OciLayoutBuilder config(String key, Object value) {
        config.put(key, value);
        return this;
    }

    public OciLayoutBuilder architecture(String arch) {
        this.architecture = arch;
        return this;
    }

    /** Writes config, manifest and index; returns the manifest digest. */
    public String build() throws IOException {
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architecture", architecture);
        cfg.put("os", "linux");
        cfg.put("config", config);
        cfg.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        byte[] cfgBytes = JSON.writeValueAsBytes(cfg);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", blob(cfgBytes),
                cfgBytes.length, null));
        manifest.put("layers", layers);
        if (!annotations.isEmpty()) manifest.put("annotations", annotations);
        byte[] mBytes = JSON.writeValueAsBytes(manifest);
        String mDigest = blob(mBytes);
        Map<String, Object> entry = descriptor("application/vnd.oci.image.manifest.v1+json", mDigest, mBytes.length, null);
        entry.put("platform", Map.of("architecture", architecture, "os", "linux"));
        Map<String, Object> index = Map.of("schemaVersion", 2, "manifests", List.of(entry));
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        return mDigest;
    }

    private String blob(byte[] content) throws IOException {
        String hex = HexFormat.of().formatHex(sha256(content));
        Path p = dir.resolve("blobs/sha256/" + hex);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return "sha256:" + hex;
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size,
                                                  Map<String, String> ann) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        if (ann != null) d.put("annotations", ann);
        return d;
    }
}
