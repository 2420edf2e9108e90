package io.orchide.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.runtime.JsonFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}): its manifest,
 * configuration and layers. Every blob read is checked against its sha256 digest.
 */
public final class OciImageLayout {
    private static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

    private final Path dir;
    private final Descriptor manifest;
    private final Map<String, String> annotations;
    private final ImageConfig config;
    private final List<Descriptor> layers;

    private OciImageLayout(Path dir, Descriptor manifest, Map<String, String> annotations, ImageConfig config,
                           List<Descriptor> layers) {
        this.dir = dir;
        this.manifest = manifest;
        this.annotations = Map.copyOf(annotations);
        this.config = config;
        this.layers = List.copyOf(layers);
    }

    /** Whether {@code dir} looks like an OCI image layout. */
    public static boolean isLayout(Path dir) {
        return Files.isRegularFile(dir.resolve("oci-layout")) && Files.isRegularFile(dir.resolve("index.json"));
    }

    /**
     * Reads the layout's manifest (for a multi-platform index, the one for {@code preferredArch}, an OCI
     * architecture name, else the first) and its configuration.
     */
    public static OciImageLayout open(Path dir, String preferredArch) throws IOException {
        if (!isLayout(dir)) throw new ImageException("not an OCI image layout", dir.toString());
        JsonNode index = JsonFiles.read(dir.resolve("index.json"));
        Descriptor chosen = choose(dir, index, preferredArch);
        JsonNode manifest = JsonFiles.read(readBlob(dir, chosen));
        Map<String, String> annotations = new HashMap<>(chosen.annotations());
        annotations.putAll(strings(manifest.path("annotations")));
        JsonNode configDoc = JsonFiles.read(readBlob(dir, descriptor(manifest.path("config"))));
        JsonNode c = configDoc.path("config");
        ImageConfig config = new ImageConfig(text(configDoc, "architecture"), text(configDoc, "os"),
                list(c.path("Entrypoint")), list(c.path("Cmd")), list(c.path("Env")), text(c, "WorkingDir"),
                strings(c.path("Labels")));
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : manifest.path("layers")) layers.add(descriptor(l));
        return new OciImageLayout(dir, chosen, annotations, config, layers);
    }

    private static Descriptor choose(Path dir, JsonNode index, String preferredArch) throws IOException {
        List<Descriptor> all = new ArrayList<>();
        Descriptor match = null;
        for (JsonNode m : index.path("manifests")) {
            Descriptor d = descriptor(m);
            all.add(d);
            if (match == null && preferredArch != null
                    && preferredArch.equals(m.path("platform").path("architecture").asText(null))) match = d;
        }
        if (all.isEmpty()) throw new ImageException("index.json lists no manifest", dir.toString());
        Descriptor d = match != null ? match : all.getFirst();
        if (INDEX_MEDIA_TYPE.equals(d.mediaType())) return choose(dir, JsonFiles.read(readBlob(dir, d)), preferredArch);
        return d;
    }

    public Path dir() { return dir; }

    /** Digest of the chosen manifest, e.g. {@code sha256:ab12...}. */
    public String manifestDigest() { return manifest.digest(); }

    /** Annotations of the manifest (and of its index entry). */
    public Map<String, String> annotations() { return annotations; }

    public ImageConfig config() { return config; }

    public List<Descriptor> layers() { return layers; }

    /** Unpacks every layer in order into {@code rootfs}, each verified against its digest first. */
    public void unpack(Path rootfs) throws IOException {
        Files.createDirectories(rootfs);
        LayerUnpacker unpacker = new LayerUnpacker(rootfs);
        for (Descriptor layer : layers) {
            Path blob = blobPath(dir, layer.digest());
            verify(blob, layer.digest());
            try (InputStream in = Files.newInputStream(blob)) {
                unpacker.unpack(in, layer.digest());
            }
        }
    }

    /** Reads a blob whole, rejecting it when its content does not hash to its digest. */
    static byte[] readBlob(Path dir, Descriptor d) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(blobPath(dir, d.digest()));
        } catch (NoSuchFileException e) {
            throw new ImageException("blob missing", d.digest());
        }
        String actual = "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
        if (!actual.equals(d.digest())) throw new ImageException("blob content does not match digest", d.digest());
        return content;
    }

    private static void verify(Path blob, String digest) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(blob), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            throw new ImageException("blob missing", digest);
        }
        if (!("sha256:" + HexFormat.of().formatHex(md.digest())).equals(digest)) {
            throw new ImageException("blob content does not match digest", digest);
        }
    }

    static Path blobPath(Path dir, String digest) throws ImageException {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new ImageException("unsupported or malformed digest", digest);
        }
        return dir.resolve("blobs").resolve("sha256").resolve(digest.substring(7));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Descriptor descriptor(JsonNode n) {
        return new Descriptor(text(n, "mediaType"), text(n, "digest"), n.path("size").asLong(-1),
                strings(n.path("annotations")));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new HashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
