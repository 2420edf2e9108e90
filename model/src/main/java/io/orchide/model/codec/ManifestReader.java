package io.orchide.model.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the envelope of one document ({@code apiVersion}, {@code kind}, unknown top-level fields) and hands the
 * body to the {@link KindReader} of its kind. A new kind is one more reader in {@link #ALL_KINDS}.
 */
public final class ManifestReader {
    /** The only API version understood today. */
    public static final String API_VERSION = App.API_VERSION;

    /** Every kind known, by name. */
    public static final Map<String, KindReader<?>> ALL_KINDS = kinds(new AppReader(), new PipelineReader(), new DatasetReader(),
            new SecretReader(), new DeviceGrantReader(), new ModelReader());

    private final Map<String, KindReader<?>> kinds;

    /** A reader accepting only the given kinds. */
    public ManifestReader(Map<String, KindReader<?>> kinds) {
        this.kinds = Map.copyOf(kinds);
    }

    public static Map<String, KindReader<?>> kinds(KindReader<?>... readers) {
        Map<String, KindReader<?>> map = new LinkedHashMap<>();
        for (KindReader<?> r : readers) map.put(r.kind(), r);
        return map;
    }

    /**
     * Reads one document, reporting problems under {@code path} ("" for the root, "[2]" for the third of a stream).
     *
     * @return the manifest, meaningful only when no error was added
     */
    public Manifest read(JsonNode document, String path, Arch nodeArch, Errors errors) {
        Cursor root = Cursor.root(document, path, errors);
        if (!root.present()) {
            root.error("document is empty");
            return null;
        }
        if (!document.isObject()) {
            root.error("must be a mapping with apiVersion, kind, metadata and spec");
            return null;
        }
        Cursor apiVersion = root.field("apiVersion");
        String version = apiVersion.requiredString();
        if (version != null && !version.equals(API_VERSION)) apiVersion.error("must be " + API_VERSION);
        Cursor kindField = root.field("kind");
        String kind = kindField.requiredString();
        if (kind == null) return null;
        KindReader<?> reader = kinds.get(kind);
        if (reader == null) {
            kindField.error("unknown kind; expected " + alternatives(kindNames()));
            return null;
        }
        root.allowOnly(reader.topLevelFields());
        return reader.read(root, nodeArch);
    }

    /** {@code App}, {@code App or Pipeline}, {@code App, Dataset or Pipeline}. */
    private static String alternatives(List<String> names) {
        if (names.size() <= 1) return String.join("", names);
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }

    private List<String> kindNames() {
        return kinds.keySet().stream().sorted().toList();
    }
}
