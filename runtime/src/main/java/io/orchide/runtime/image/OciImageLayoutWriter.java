package io.orchide.runtime.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}) of one platform whose
 * one uncompressed layer holds the given files, with annotations on the manifest (where urunc and
 * {@link OciImageLayout#open} read them). The same files and annotations always give the same bytes: entries are
 * sorted, their times are the epoch, and the JSON keys are in a fixed order.
 */
public final class OciImageLayoutWriter {
    /** One regular file of the layer: {@code path} relative to the root, e.g. {@code unikernel/hello.elf}. */
    public record File(String path, byte[] content, int mode) {
        public File {
            if (path.startsWith("/") || path.isEmpty() || List.of(path.split("/")).contains("..")) {
                throw new IllegalArgumentException("a layer path is relative and stays inside the root (got " + path + ")");
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar";

    private OciImageLayoutWriter() {
    }

    /**
     * Writes the layout into {@code dir} (created; it must not exist or be empty).
     *
     * @param ociArch the platform's architecture as OCI names it ({@code amd64}, {@code arm64})
     * @return the manifest's digest, {@code sha256:...}
     */
    public static String write(Path dir, String ociArch, List<File> files, Map<String, String> annotations)
            throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) throw new ImageException("exists and is not a directory", dir.toString());
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) throw new ImageException("directory is not empty", dir.toString());
            }
        }
        Files.createDirectories(dir.resolve("blobs/sha256"));
        byte[] layer = tar(files);
        String layerDigest = blob(dir, layer);

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", ociArch);
        config.put("os", "linux");
        config.put("config", Map.of());
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(layerDigest)));
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configDigest = blob(dir, configBytes);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
        manifest.put("config", descriptor(CONFIG_MEDIA_TYPE, configDigest, configBytes.length));
        manifest.put("layers", List.of(descriptor(LAYER_MEDIA_TYPE, layerDigest, layer.length)));
        manifest.put("annotations", new TreeMap<>(annotations));
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        String manifestDigest = blob(dir, manifestBytes);

        Map<String, Object> entry = descriptor(MANIFEST_MEDIA_TYPE, manifestDigest, manifestBytes.length);
        entry.put("platform", Map.of("architecture", ociArch, "os", "linux"));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("manifests", List.of(entry));
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return manifestDigest;
    }

    private static byte[] tar(List<File> files) throws IOException {
        TreeSet<String> dirs = new TreeSet<>();
        for (File f : files) {
            String p = f.path();
            for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) dirs.add(p.substring(0, i + 1));
        }
        List<File> sorted = new ArrayList<>(files);
        sorted.sort(java.util.Comparator.comparing(File::path));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String d : dirs) {
                TarArchiveEntry e = new TarArchiveEntry(d);
                e.setMode(040755);
                e.setModTime(new Date(0));
                out.putArchiveEntry(e);
                out.closeArchiveEntry();
            }
            for (File f : sorted) {
                TarArchiveEntry e = new TarArchiveEntry(f.path());
                e.setSize(f.content().length);
                e.setMode(0100000 | f.mode());
                e.setModTime(new Date(0));
                out.putArchiveEntry(e);
                out.write(f.content());
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static String blob(Path dir, byte[] content) throws IOException {
        String digest = "sha256:" + HexFormat.of().formatHex(OciImageLayout.sha256().digest(content));
        Files.write(OciImageLayout.blobPath(dir, digest), content);
        return digest;
    }
}
