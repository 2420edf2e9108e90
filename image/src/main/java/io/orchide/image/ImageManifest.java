package io.orchide.image;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import io.orchide.model.codec.Trees;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An image: its digest, its size and its chunks in order. The chunk sizes add up to the size.
 *
 * <p>Compact JSON, the form that goes on the link ({@link #toJson()} / {@link #fromJson(byte[])}):
 * <pre>{"digest":"sha256:…","size":10485760,"chunks":[["sha256:…",8192],["sha256:…",13011],…]}</pre>
 * Each chunk is a pair {@code [digest, size]}; an error in one names it by its JSON path, {@code chunks[3][0]} for
 * the digest of the fourth chunk, {@code chunks[3][1]} for its size.
 */
public record ImageManifest(String digest, long size, List<ChunkRef> chunks) {
    /** sha256 of no bytes: the only digest an empty image may have. */
    public static final String EMPTY_DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    public ImageManifest {
        Digests.require(digest);
        chunks = List.copyOf(chunks);
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        long sum = 0;
        for (ChunkRef c : chunks) {
            sum += c.size();
        }
        if (sum != size) {
            throw new IllegalArgumentException("chunk sizes add up to " + sum + ", size is " + size);
        }
        if (size == 0 && !digest.equals(EMPTY_DIGEST)) {
            throw new IllegalArgumentException("an empty image has digest " + EMPTY_DIGEST + ", got " + digest);
        }
    }

    /** Digest and chunks of a file, read once, with {@link Chunker#DEFAULT}. */
    public static ImageManifest of(Path file) throws IOException {
        return of(file, Chunker.DEFAULT);
    }

    public static ImageManifest of(Path file, Chunker chunker) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in, chunker, null);
        }
    }

    /**
     * Digest and chunks of a stream, read once; each chunk is also handed to {@code sink} (may be null), which is
     * how {@link ImageStore#importFile} stores the chunks in the same pass.
     */
    public static ImageManifest of(InputStream in, Chunker chunker, Chunker.ChunkConsumer sink) throws IOException {
        MessageDigest whole = Digests.newSha256();
        MessageDigest part = Digests.newSha256();
        List<ChunkRef> refs = new ArrayList<>();
        long size = chunker.split(in, (data, off, len) -> {
            whole.update(data, off, len);
            part.update(data, off, len);
            refs.add(new ChunkRef(Digests.of(part.digest()), len));
            if (sink != null) {
                sink.accept(data, off, len);
            }
        });
        return new ImageManifest(Digests.of(whole.digest()), size, refs);
    }

    /** Compact JSON, UTF-8. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + chunks.size() * 82);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("digest", digest);
            g.writeNumberField("size", size);
            g.writeArrayFieldStart("chunks");
            for (ChunkRef c : chunks) {
                g.writeStartArray();
                g.writeString(c.digest());
                g.writeNumber(c.size());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads and checks compact JSON; every bad field is reported with its path and value, none is accepted. */
    public static ImageManifest fromJson(byte[] json) throws ManifestException {
        JsonNode root;
        try (JsonParser p = JSON.createParser(json)) {
            root = Trees.read(p);
            if (p.nextToken() != null) {
                throw new ManifestException(new FieldError("", null, "trailing content after the manifest at byte "
                        + p.currentLocation().getByteOffset()));
            }
        } catch (JsonProcessingException e) {
            throw new ManifestException(new FieldError("", null, "not JSON: " + e.getOriginalMessage()
                    + " at byte " + e.getLocation().getByteOffset()));
        } catch (IOException e) {
            throw new ManifestException(new FieldError("", null, "unreadable: " + e.getMessage()));
        }
        return fromTree(root);
    }

    /** Checks a JSON tree (e.g. one embedded in a bigger document). */
    public static ImageManifest fromTree(JsonNode root) throws ManifestException {
        if (root == null || !root.isObject()) {
            throw new ManifestException(new FieldError("", shown(root), "must be an object {digest, size, chunks}"));
        }
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!name.equals("digest") && !name.equals("size") && !name.equals("chunks")) {
                errors.add(new FieldError(name, null, "unknown field (allowed: digest, size, chunks)"));
            }
        }
        String digest = digest(root.get("digest"), "digest", errors);
        long size = -1;
        JsonNode sizeNode = root.get("size");
        if (sizeNode == null) {
            errors.add(new FieldError("size", null, "is required"));
        } else if (!sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong() || sizeNode.asLong() < 0) {
            errors.add(new FieldError("size", shown(sizeNode), "must be a whole number of bytes >= 0"));
        } else {
            size = sizeNode.asLong();
        }
        List<ChunkRef> chunks = new ArrayList<>();
        boolean chunksOk = true;
        long sum = 0;
        JsonNode list = root.get("chunks");
        if (list == null) {
            errors.add(new FieldError("chunks", null, "is required"));
            chunksOk = false;
        } else if (!list.isArray()) {
            errors.add(new FieldError("chunks", shown(list), "must be an array of [digest, size] pairs"));
            chunksOk = false;
        } else {
            for (int i = 0; i < list.size(); i++) {
                JsonNode pair = list.get(i);
                String at = "chunks[" + i + "]";
                if (!pair.isArray() || pair.size() != 2) {
                    errors.add(new FieldError(at, shown(pair), "must be a pair [digest, size]"));
                    chunksOk = false;
                    continue;
                }
                String d = digest(pair.get(0), at + "[0]", errors);
                JsonNode s = pair.get(1);
                long n = -1;
                if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 1 || s.asLong() > ChunkRef.MAX_SIZE) {
                    errors.add(new FieldError(at + "[1]", shown(s), "chunk size must be a whole number 1.."
                            + ChunkRef.MAX_SIZE));
                } else {
                    n = s.asLong();
                }
                if (d == null || n < 0) {
                    chunksOk = false;
                    continue;
                }
                chunks.add(new ChunkRef(d, n));
                sum += n;
            }
        }
        if (chunksOk && size >= 0 && sum != size) {
            errors.add(new FieldError("size", Long.toString(size), "chunk sizes add up to " + sum));
        }
        if (digest != null && size == 0 && !digest.equals(EMPTY_DIGEST)) {
            errors.add(new FieldError("digest", digest, "an empty image has digest " + EMPTY_DIGEST));
        }
        if (!errors.isEmpty()) {
            throw new ManifestException(errors);
        }
        return new ImageManifest(digest, size, chunks);
    }

    private static String digest(JsonNode n, String path, List<FieldError> errors) {
        if (n == null) {
            errors.add(new FieldError(path, null, "is required"));
            return null;
        }
        if (!n.isTextual() || !Digests.isDigest(n.textValue())) {
            errors.add(new FieldError(path, shown(n), "must be sha256:<64 lowercase hex>"));
            return null;
        }
        return n.textValue();
    }

    private static String shown(JsonNode n) {
        if (n == null) {
            return "null";
        }
        String s = n.isTextual() ? n.textValue() : n.toString();
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }

    /** The compact binary form ({@link ManifestCodec}): raw digests and varint sizes, about 42 % of the JSON. */
    public byte[] toBinary() {
        return ManifestCodec.encode(this);
    }

    /** Reads and checks the binary form; refuses it whole with an {@link ImageException} naming the field. */
    public static ImageManifest fromBinary(byte[] bin) throws ImageException {
        return ManifestCodec.decode(bin);
    }

    /** The distinct chunk digests, in first-use order. */
    public List<ChunkRef> distinctChunks() {
        return chunks.stream().distinct().toList();
    }
}
