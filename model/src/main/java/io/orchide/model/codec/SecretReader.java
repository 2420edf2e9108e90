package io.orchide.model.codec;

import io.orchide.model.Arch;
import io.orchide.model.Metadata;
import io.orchide.model.Secret;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a document of {@code kind: Secret}: {@code data} (key names and clear values, as a user writes it) or
 * {@code sealed} (as ground sends it), exactly one of the two. An error names a value's path and its size, never the
 * value itself.
 */
public final class SecretReader implements KindReader<Secret> {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+");

    @Override public String kind() {
        return Secret.KIND;
    }

    @Override public List<String> topLevelFields() {
        return List.of("apiVersion", "kind", "metadata", "data", "sealed");
    }

    @Override public Secret read(Cursor root, Arch nodeArch) {
        Metadata metadata = MetadataReader.read(root.field("metadata"));
        Cursor data = root.field("data");
        Cursor sealed = root.field("sealed");
        if (data.present() && sealed.present()) {
            sealed.error("a Secret holds either data (its values) or sealed (as ground sends it), not both");
            return null;
        }
        if (sealed.present()) return new Secret(metadata, null, sealed(sealed));
        if (!data.present()) {
            data.missing();
            return null;
        }
        return new Secret(metadata, data(data), null);
    }

    private static Map<String, String> data(Cursor c) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!c.hiddenMapping()) return out;
        Map<String, Cursor> entries = c.entries();
        if (entries.isEmpty()) c.errorWith("{}", "must hold at least one key");
        if (entries.size() > Secret.MAX_KEYS) {
            c.errorWith(entries.size() + " keys", "a Secret holds at most " + Secret.MAX_KEYS + " keys");
        }
        long total = 0;
        for (var e : entries.entrySet()) {
            String key = e.getKey();
            String problem = keyProblem(key);
            if (problem != null) {
                e.getValue().errorWith(key, problem);
                continue;
            }
            String value = e.getValue().hiddenString();
            if (value == null) {
                if (!e.getValue().present()) e.getValue().missing();
                continue;
            }
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            total += bytes + key.length();
            if (bytes > Secret.MAX_VALUE_BYTES) {
                c.field(key).errorWith(bytes + " bytes", "a value holds at most " + Secret.MAX_VALUE_BYTES + " bytes");
                continue;
            }
            out.put(key, value);
        }
        if (total > Secret.MAX_TOTAL_BYTES) {
            c.errorWith(total + " bytes", "a Secret's keys and values hold at most " + Secret.MAX_TOTAL_BYTES + " bytes in all");
        }
        return out;
    }

    /** Why {@code key} cannot name a value of a Secret; null when it can. */
    public static String keyProblem(String key) {
        if (key.length() > Secret.MAX_KEY_LENGTH) return "a key name has at most " + Secret.MAX_KEY_LENGTH + " characters";
        if (!KEY.matcher(key).matches()) return "a key name holds only letters, digits, '.', '_' and '-'";
        return null;
    }

    private static Secret.Sealed sealed(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("version", "keys", "copies");
        Integer version = c.field("version").integer(1, Integer.MAX_VALUE);
        if (!c.field("version").present()) c.field("version").missing();
        List<String> keys = new ArrayList<>();
        for (Cursor k : c.field("keys").items()) {
            String s = k.requiredString();
            if (s == null) continue;
            String problem = keyProblem(s);
            if (problem != null) k.error(problem);
            else keys.add(s);
        }
        List<Secret.Copy> copies = new ArrayList<>();
        for (Cursor item : c.field("copies").items()) {
            if (!item.mapping()) continue;
            item.allowOnly("nodeKey", "ephemeral", "ciphertext");
            String nodeKey = item.field("nodeKey").requiredString();
            String eph = base64(item.field("ephemeral"));
            String ct = base64(item.field("ciphertext"));
            if (nodeKey != null && eph != null && ct != null) copies.add(new Secret.Copy(nodeKey, eph, ct));
        }
        if (!c.field("copies").present()) c.field("copies").missing();
        return version == null ? null : new Secret.Sealed(version, keys, copies);
    }

    private static String base64(Cursor c) {
        String s = c.requiredString();
        if (s == null) return null;
        try {
            Base64.getDecoder().decode(s);
            return s;
        } catch (IllegalArgumentException e) {
            c.error("must be base64");
            return null;
        }
    }
}
