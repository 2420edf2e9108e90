package io.orchide.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A manifest of {@code kind: Secret}: a tenant's named key/value pairs. A user writes it with {@code data} (the clear
 * values); ground turns it into its {@code sealed} form (the key names, a version, and the data encrypted to each of
 * the satellite's node keys) before it stores or sends anything, so exactly one of the two is present. Its
 * {@link #toString()} never shows a value.
 */
public record Secret(Metadata metadata, Map<String, String> data, Sealed sealed) implements Manifest {
    public static final String API_VERSION = App.API_VERSION;
    public static final String KIND = "Secret";
    /** The most keys one Secret holds. */
    public static final int MAX_KEYS = 64;
    /** The most bytes (UTF-8) of one value. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    /** The most bytes (UTF-8) of all keys and values together. */
    public static final int MAX_TOTAL_BYTES = 256 * 1024;
    /** The most characters of a key's name. */
    public static final int MAX_KEY_LENGTH = 253;

    public Secret {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(data));
    }

    /** The data sealed to the node keys of one satellite, at {@code version} (ground's generation of the object). */
    public record Sealed(int version, List<String> keys, List<Copy> copies) {
        public Sealed {
            keys = List.copyOf(keys);
            copies = List.copyOf(copies);
        }
    }

    /**
     * The data (as a JSON object of strings) sealed to the node key whose fingerprint is {@code nodeKey}:
     * {@code ephemeral} and {@code ciphertext} in base64.
     */
    public record Copy(String nodeKey, String ephemeral, String ciphertext) {
    }

    @Override
    public String kind() {
        return KIND;
    }

    public boolean isSealed() {
        return sealed != null;
    }

    /** The key names, sorted: what {@code get} and {@code describe} show. */
    public List<String> keys() {
        return sealed != null ? sealed.keys() : List.copyOf(data.keySet());
    }

    /** This secret sealed: {@code data} gone, {@code sealed} in its place. */
    public Secret withSealed(Sealed s) {
        return new Secret(metadata, Map.of(), s);
    }

    /**
     * The associated data a copy is sealed with: the secret's identity (tenant, name, version) and the node key's
     * fingerprint, so that a copy moved to another secret, version or node does not open.
     */
    public static byte[] associatedData(String tenant, String name, int version, String nodeKey) {
        return ("orchide.io/v1 Secret\0" + tenant + "\0" + name + "\0" + version + "\0" + nodeKey)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && metadata.equals(s.metadata) && data.equals(s.data) && Objects.equals(sealed, s.sealed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metadata, data.keySet(), sealed);
    }

    @Override
    public String toString() {
        return "Secret[" + metadata.tenant() + "/" + metadata.name() + ", keys=" + keys()
                + (sealed != null ? ", version=" + sealed.version() + ", sealed to " + sealed.copies().size() + " key(s)" : "") + "]";
    }
}
